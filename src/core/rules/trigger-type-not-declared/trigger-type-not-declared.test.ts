// Tests of trigger-type-not-declared: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'trigger-type-not-declared';

test("§8 #5 TimeTrigger against an Extension without timer fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Registrations.cs", covers: "new TimeTrigger(15, false)" }]);
});

test("§8 #5 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§8 #5 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"));
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Package.appxmanifest")?.includes("<Task Type=\"timer\" />"), texts.get("Package.appxmanifest"));
});

test("issue 9 each page resolves its own TaskEntryPoint constant, so each trigger meets its own declaration: in good-scoped-constants stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-scoped-constants"))).map((f) => f.message), []);
});
