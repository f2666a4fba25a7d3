// Tests of appsdk-incompatible-builder: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture } from '../codeTestKit';

const ID = 'appsdk-incompatible-builder';

test("§8 #31 WinRT builder with a CLSID and SystemTrigger fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Registration.cs", covers: "new Guid(\"8C5A2E1D-3B4F-4A6C-9D7E-0F1A2B3C4D5E\")" }]);
});

test("§8 #31 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});
