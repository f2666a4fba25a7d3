// Tests of registration-without-existing-check: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'registration-without-existing-check';

test("§8 #9 Register without an AllTasks lookup fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Registrations.cs", covers: "builder.Register()" }]);
});

test("§8 #9 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§8 #9 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"));
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Registrations.cs")?.includes("BackgroundTaskRegistration.AllTasks"), texts.get("Registrations.cs"));
});

test("issue 9 an unnamed registration on a fresh BackgroundTransferCompletionGroup trigger: in good-completion-group stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-completion-group"))).map((f) => f.message), []);
});

test("issue 9 AllTasks looked up through a helper of the same class (C#, C++/CX, JS): in good-lookup-helper stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-lookup-helper"))).map((f) => f.message), []);
});

test("issue 9 AllTasks looked up through the app's helper in another class (MainPage.LookupBackgroundTask): in good-lookup-other-class stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-lookup-other-class"))).map((f) => f.message), []);
});

test("issue 9 C++/WinRT: AllTasks looked up through the app's free helper in another file: in good-lookup-other-file-cppwinrt stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-lookup-other-file-cppwinrt"))).map((f) => f.message), []);
});
