// Tests of task-type-invalid: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'task-type-invalid';

test("\u00a73.2 \u00a78 #26 uap types without uap:, Phone 8.1 types and unknown types fire on win10", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "chatMessageNotification" }, { file: "Package.appxmanifest", covers: "gattCharacteristicNotification" }, { file: "Package.appxmanifest", covers: "timers" }]);
});

test("\u00a73.2 general and location fire in a Windows 8 manifest", async () => {
  const dir = fixture(ID, "bad-win8");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "general" }, { file: "Package.appxmanifest", covers: "location" }]);
});

test("\u00a73.2 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("\u00a73.2 m2 types on Windows 8.1: in good-win81 stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-win81"))).map((f) => f.message), []);
});

test("\u00a78 #26 quick fix writes uap:Task", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"), "chatMessageNotification");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Package.appxmanifest")?.includes("<uap:Task Type=\"chatMessageNotification\" />"), texts.get("Package.appxmanifest"));
});

test("\u00a78 #26 quick fix replaces a Phone 8.1 type by bluetooth", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"), "gattCharacteristicNotification");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Package.appxmanifest")?.includes("<Task Type=\"bluetooth\" />"), texts.get("Package.appxmanifest"));
});
