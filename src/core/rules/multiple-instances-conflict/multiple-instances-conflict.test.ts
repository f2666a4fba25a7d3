// Tests of multiple-instances-conflict: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture } from '../codeTestKit';

const ID = 'multiple-instances-conflict';

test("\u00a73.3 \u00a78 #27 SupportsMultipleInstances with ServerName or ResourceGroup fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "true" }, { file: "Package.appxmanifest", covers: "true", occurrence: 1 }]);
});

test("\u00a73.3 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});
