// Tests of extension-missing-entry-point: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture } from '../codeTestKit';

const ID = 'extension-missing-entry-point';

test("\u00a73.5 win8 Extension without EntryPoint or StartPage fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "<Extension Category=\"windows.backgroundTasks\">" }]);
});

test("\u00a73.5 win10 in-process Extension without OnBackgroundActivated fires", async () => {
  const dir = fixture(ID, "bad-win10");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "<Extension Category=\"windows.backgroundTasks\">" }]);
});

test("\u00a73.5 finding has severity info", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "bad-win10"))).map((f) => f.severity), ["info"]);
});

test("\u00a73.5 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("\u00a73.5 in-process with OnBackgroundActivated: in good-win10 stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-win10"))).map((f) => f.message), []);
});
