// Tests of duplicate-entry-point: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture } from '../codeTestKit';

const ID = 'duplicate-entry-point';

test("\u00a73.5 a second Extension with the same EntryPoint fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "Tasks.SyncTask", occurrence: 1 }]);
});

test("\u00a73.5 case-different names and Extensions without EntryPoint: in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});
