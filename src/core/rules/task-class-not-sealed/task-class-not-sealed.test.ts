// Tests of task-class-not-sealed: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'task-class-not-sealed';

test("§8 #1 unsealed C# task classes fire", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Tasks.cs", covers: "UnsealedTask" }, { file: "Tasks.cs", covers: "PartialTask" }]);
});

test("§8 #1 C++/CX ref class without sealed fires", async () => {
  const dir = fixture(ID, "bad-cppcx");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "NotSealedTask.h", covers: "NotSealedTask" }]);
});

test("§8 #1 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§8 #1 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"), "PartialTask");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Tasks.cs")?.includes("public sealed partial class PartialTask"), texts.get("Tasks.cs"));
});

test("§5 App SDK a full-trust COM task class ([ComVisible]/[Guid]) in the app's exe: in good-com-class stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-com-class"))).map((f) => f.message), []);
});

test("issue 9 §8 #1 a class only the app runs in-process (OnBackgroundActivated, no EntryPoint names it): in good-in-process stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-in-process"))).map((f) => f.message), []);
});

test("issue 9 §8 #1 the same class named by a manifest EntryPoint fires", async () => {
  const dir = fixture(ID, "bad-declared");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "SyncWorker.cs", covers: "SyncWorker" }]);
});

test("issue 9 §8 #1 a public unsealed task class in a Windows Runtime Component fires even when nothing names it", async () => {
  const dir = fixture(ID, "bad-component-export");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Workers/SyncWorker.cs", covers: "SyncWorker" }]);
});
