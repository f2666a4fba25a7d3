// Tests of executable-not-allowed: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'executable-not-allowed';

test("\u00a73.5 \u00a78 #6 Executable on a systemEvent task fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "FixtureApp.exe" }]);
});

test("\u00a73.5 push and control channel tasks: in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("\u00a73.5 quick fix removes the attribute", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"), "FixtureApp.exe");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Package.appxmanifest")?.includes("<Extension Category=\"windows.backgroundTasks\" EntryPoint=\"Tasks.SyncTask\">"), texts.get("Package.appxmanifest"));
});

test("issue 9 \u00a73.5 a systemEvent task sharing its Extension with a controlChannel task (RTC reconnect): in good-control-channel stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-control-channel"))).map((f) => f.message), []);
});
