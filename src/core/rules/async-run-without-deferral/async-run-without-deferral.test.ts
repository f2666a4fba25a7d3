// Tests of async-run-without-deferral: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'async-run-without-deferral';

test("§8 #7 async Run and ContinueWith without a deferral fire", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Tasks.cs", covers: "Run", occurrence: 1 }, { file: "Tasks.cs", covers: "Run", occurrence: 2 }]);
});

test("§8 #7 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§8 #7 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"));
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Tasks.cs")?.includes("var deferral = taskInstance.GetDeferral();"), texts.get("Tasks.cs"));
});

test("issue 9 VB task classes: a deferral completed in Finally, one kept in a field and completed by a timer, synchronous Run: in good-vb stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-vb"))).map((f) => f.message), []);
});

test("issue 9 a VB Async Run without a deferral fires", async () => {
  const dir = fixture(ID, "bad-vb");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Tasks.vb", covers: "Run", occurrence: 0 }]);
});
