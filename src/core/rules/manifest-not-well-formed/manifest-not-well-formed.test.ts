// Tests of manifest-not-well-formed: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture } from '../codeTestKit';

const ID = 'manifest-not-well-formed';

test("\u00a73 a mismatched closing tag fires at the tag", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "</BackgroundTask>" }]);
});

test("\u00a73 a truncated file fires at the unclosed element", async () => {
  const dir = fixture(ID, "bad-truncated");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "Extensions" }]);
});

test("\u00a73 comments that look like tags, entities, CRLF and BOM: in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});
