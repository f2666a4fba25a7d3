// Tests of entry-point-not-declared: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'entry-point-not-declared';

test("§3.5 entry point without a manifest Extension fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Registrations.cs", covers: "\"Tasks.TimerTask\"" }]);
});

test("§3.5 JS entry point that is no StartPage fires", async () => {
  const dir = fixture(ID, "bad-js");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "js/default.js", covers: "\"js\\\\other.js\"" }]);
});

test("§3.5 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§3.5 near-misses in good-js stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-js"))).map((f) => f.message), []);
});

test("§3.5 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"));
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Package.appxmanifest")?.includes("EntryPoint=\"Tasks.TimerTask\""), texts.get("Package.appxmanifest"));
  assert.ok(texts.get("Package.appxmanifest")?.includes("<Task Type=\"timer\" />"), texts.get("Package.appxmanifest"));
});
