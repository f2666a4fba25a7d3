// Tests of task-type-missing: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture } from '../codeTestKit';

const ID = 'task-type-missing';

test("\u00a73.2 BackgroundTasks without a Task and an Extension without BackgroundTasks fire", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "<BackgroundTasks ServerName=\"Sync\">" }, { file: "Package.appxmanifest", covers: "<Extension Category=\"windows.backgroundTasks\" EntryPoint=\"Tasks.TimerTask\" />" }]);
});

test("\u00a73.2 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});
