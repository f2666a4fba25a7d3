// Tests of task-class-not-public: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'task-class-not-public';

test("§8 #1 internal and default-access task classes fire", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Tasks.cs", covers: "InternalTask" }, { file: "Tasks.cs", covers: "DefaultAccessTask" }]);
});

test("§8 #1 C++/CX ref class without public fires", async () => {
  const dir = fixture(ID, "bad-cppcx");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "PrivateTask.h", covers: "PrivateTask" }]);
});

test("§8 #1 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§8 #1 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"), "InternalTask");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Tasks.cs")?.includes("public sealed class InternalTask"), texts.get("Tasks.cs"));
});

test("issue 9 §8 #1 a class only the app runs in-process (OnBackgroundActivated, no EntryPoint names it): in good-in-process stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-in-process"))).map((f) => f.message), []);
});

test("issue 9 §8 #1 the same class named by a manifest EntryPoint fires", async () => {
  const dir = fixture(ID, "bad-declared");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "SyncWorker.cs", covers: "SyncWorker" }]);
});
