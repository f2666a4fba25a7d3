// Tests of task-run-missing: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'task-run-missing';

test("§5 task classes without Run(IBackgroundTaskInstance) fire", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Tasks.cs", covers: "NoRunTask" }, { file: "Tasks.cs", covers: "WrongRunTask" }]);
});

test("§5 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§5 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"), "NoRunTask");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Tasks.cs")?.includes("public void Run(IBackgroundTaskInstance taskInstance)"), texts.get("Tasks.cs"));
});

test("issue 9 C++ Run declared with SAL annotations and __stdcall: in good-sal-stdcall stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-sal-stdcall"))).map((f) => f.message), []);
});

test("issue 9 §5 Run defined in another part of a partial class: in good-partial stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-partial"))).map((f) => f.message), []);
});

test("issue 9 §5 a partial task class with a single part and no Run fires", async () => {
  const dir = fixture(ID, "bad-partial");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "PurgeTask.cs", covers: "PurgeTask" }]);
});
