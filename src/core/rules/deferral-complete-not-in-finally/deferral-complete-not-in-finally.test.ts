// Tests of deferral-complete-not-in-finally: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'deferral-complete-not-in-finally';

test("§8 #8 Complete after awaited work outside finally fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Tasks.cs", covers: "taskInstance.GetDeferral()" }]);
});

test("§8 #8 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§8 #8 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"));
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Tasks.cs")?.includes("finally"), texts.get("Tasks.cs"));
});

test("issue 9 §8 #8 Complete() also in a catch-all handler (catch (Exception), bare catch): in good-catch-all stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-catch-all"))).map((f) => f.message), []);
});

test("issue 9 §8 #8 Complete() in a handler for one exception type only fires", async () => {
  const dir = fixture(ID, "bad-catch-some");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Tasks.cs", covers: "taskInstance.GetDeferral()" }]);
});

test("issue 9 §8 #8 every await inside a try whose catch-all handler swallows the exception, Complete() after it: in good-swallowing-try stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-swallowing-try"))).map((f) => f.message), []);
});

test("issue 9 §8 #8 a catch-all that rethrows, a typed catch only, or an await after the try fire", async () => {
  const dir = fixture(ID, "bad-rethrowing-try");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Tasks.cs", covers: "taskInstance.GetDeferral()", occurrence: 0 }, { file: "Tasks.cs", covers: "taskInstance.GetDeferral()", occurrence: 1 }, { file: "Tasks.cs", covers: "taskInstance.GetDeferral()", occurrence: 2 }]);
});
