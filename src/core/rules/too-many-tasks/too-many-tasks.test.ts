// Tests of too-many-tasks: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture } from '../codeTestKit';

const ID = 'too-many-tasks';

test("\u00a73.2 a sixth Task fires on win8", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "<Task Type=\"timer\" />", occurrence: 1 }]);
});

test("\u00a73.2 an eighteenth Task fires on win10", async () => {
  const dir = fixture(ID, "bad-win10");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "<Task Type=\"location\" />", occurrence: 1 }]);
});

test("\u00a73.2 five on win8: in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("\u00a73.2 eight on win81: in good-win81 stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-win81"))).map((f) => f.message), []);
});
