// Tests of request-access-missing: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'request-access-missing';

test("§8 #11 win10 registration without RequestAccessAsync fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Registrations.cs", covers: "builder.Register()" }]);
});

test("§8 #11 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§8 #11 near-misses in good-win81 stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-win81"))).map((f) => f.message), []);
});

test("§8 #11 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"));
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Registrations.cs")?.includes("BackgroundExecutionManager.RequestAccessAsync();"), texts.get("Registrations.cs"));
});
