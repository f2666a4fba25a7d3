// Tests of ignorable-namespace-missing: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'ignorable-namespace-missing';

test("\u00a73.3 uap4 (15063+) missing from IgnorableNamespaces, lowest MinVersion 10586: fires at its first use", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "uap4:SupportsMultipleInstances" }]);
});

test("\u00a73.3 uap4 used without IgnorableNamespaces at MinVersion 10240 fires; rescap (no build in the facts) does not", async () => {
  const dir = fixture(ID, "bad-no-attribute");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "uap4:SupportsMultipleInstances" }]);
});

test("\u00a73.3 App SDK manifest at 17763 with com, desktop, rescap and an unlisted uap4: in good-appsdk stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-appsdk"))).map((f) => f.message), []);
});

test("\u00a73.3 no readable MinVersion: in good-no-minversion stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-no-minversion"))).map((f) => f.message), []);
});

test("\u00a73.3 MinVersion 10.0.0.0 names no build (template value): in good-template-minversion stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-template-minversion"))).map((f) => f.message), []);
});

test("\u00a73.3 listed, base uap and unused prefixes: in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("\u00a73.2 Windows 8.1 manifests: in good-win81 stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-win81"))).map((f) => f.message), []);
});

test("\u00a73.3 quick fix appends the prefix", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"), "uap4:SupportsMultipleInstances");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Package.appxmanifest")?.includes("IgnorableNamespaces=\"uap uap4\""), texts.get("Package.appxmanifest"));
});

test("\u00a73.3 quick fix adds the attribute", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad-no-attribute"), "uap4:SupportsMultipleInstances");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Package.appxmanifest")?.includes("<Package IgnorableNamespaces=\"uap4\""), texts.get("Package.appxmanifest"));
});
