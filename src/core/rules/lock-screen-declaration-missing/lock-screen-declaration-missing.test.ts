// Tests of lock-screen-declaration-missing: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'lock-screen-declaration-missing';

test("\u00a73.4 \u00a78 #25 a timer task without LockScreen fires on win8", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "timer" }]);
});

test("\u00a73.4 a LockScreen without BadgeLogo fires on win81", async () => {
  const dir = fixture(ID, "bad-win81");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "<m2:LockScreen Notification=\"badge\" />" }]);
});

test("\u00a73.4 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("\u00a73.4 no lock-screen task type: in good-no-lock-type stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-no-lock-type"))).map((f) => f.message), []);
});

test("\u00a73.4 Windows 10 (UNVERIFIED, not checked): in good-win10 stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-win10"))).map((f) => f.message), []);
});

test("\u00a73.4 quick fix declares LockScreen before SplashScreen", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"), "timer");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Package.appxmanifest")?.includes("<LockScreen Notification=\"badge\" BadgeLogo=\"images\\badgelogo.png\" />\n        <SplashScreen"), texts.get("Package.appxmanifest"));
});
