// Tests of declared-task-never-registered: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture } from '../codeTestKit';

const ID = 'declared-task-never-registered';

test("§3.5 declared but unregistered EntryPoint fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "Tasks.UnusedTask" }]);
});

test("§3.5 declared but unregistered StartPage fires", async () => {
  const dir = fixture(ID, "bad-js");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "js\\unused.js" }]);
});

test("§3.5 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("issue 9 an IoT startup task is started at boot, not registered by code: in good-iot-startup stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-iot-startup"))).map((f) => f.message), []);
});
