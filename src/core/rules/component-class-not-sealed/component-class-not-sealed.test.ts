// Tests of component-class-not-sealed: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'component-class-not-sealed';

test("§8 #1 public unsealed class in a winmdobj project fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Tasks/Tasks.cs", covers: "TaskHelper" }]);
});

test("§8 #1 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§8 #1 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"), "TaskHelper");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Tasks/Tasks.cs")?.includes("public sealed class TaskHelper"), texts.get("Tasks/Tasks.cs"));
});
