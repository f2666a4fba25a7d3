// Tests of appsdk-com-class-missing: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture } from '../codeTestKit';

const ID = 'appsdk-com-class-missing';

test("\u00a75 App SDK a missing shim activatable class and an unmatched CLSID fire", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "Microsoft.Windows.ApplicationModel.Background.UniversalBGTask.Task" }, { file: "Registration.cs", covers: "new Guid(\"8C5A2E1D-3B4F-4A6C-9D7E-0F1A2B3C4D5E\")" }]);
});

test("\u00a75 App SDK typeof(X).GUID with a braced lower-case com:Class Id: in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§5 App SDK a C++ project with WindowsAppSDKBackgroundTask=true gets the shim registration at build: in good-cpp-build stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-cpp-build"))).map((f) => f.message), []);
});

test("§5 App SDK the same C++ app without the project property misses the shim's activatable class", async () => {
  const dir = fixture(ID, "bad-cpp-no-build");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "Microsoft.Windows.ApplicationModel.Background.UniversalBGTask.Task" }]);
});
