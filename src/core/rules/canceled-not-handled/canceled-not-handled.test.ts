// Tests of canceled-not-handled: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'canceled-not-handled';

test("§8 #28 win10 task without a Canceled handler fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Tasks.cs", covers: "QuietTask" }]);
});

test("§8 #28 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§8 #28 near-misses in good-win81 stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-win81"))).map((f) => f.message), []);
});

test("§8 #28 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"));
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Tasks.cs")?.includes("taskInstance.Canceled +="), texts.get("Tasks.cs"));
});

test("issue 9 .cpp subscriptions (C++/CX += with a SAL Run, C++/WinRT Canceled({ this, &T::OnCanceled })): in good-cpp-subscriptions stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-cpp-subscriptions"))).map((f) => f.message), []);
});

test("issue 9 §8 #28 Canceled subscribed in another part of a partial class: in good-partial stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-partial"))).map((f) => f.message), []);
});
