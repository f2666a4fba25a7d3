// Tests of deferral-never-completed: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'deferral-never-completed';

test("§8 #8 deferral without Complete fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Tasks.cs", covers: "taskInstance.GetDeferral()" }]);
});

test("§8 #8 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§8 #8 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"));
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Tasks.cs")?.includes("deferral.Complete();"), texts.get("Tasks.cs"));
});

test("issue 9 an IoT startup task holds its deferral on purpose: info only", async () => {
  const found = await findingsOf(ID, fixture(ID, "good-iot-startup"));
  assert.deepEqual(found.map((f) => f.severity), ["info"]);
  assert.match(found[0].message, /IoT startup task/);
});

test("issue 9 app-service message deferral, deferrals in members (Platform::Agile, C++/WinRT) completed in callbacks and Canceled handlers: in good-member-deferrals stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-member-deferrals"))).map((f) => f.message), []);
});

test("issue 9 the task's own deferral of an app service task, never completed, fires (the message deferral does not count)", async () => {
  const dir = fixture(ID, "bad-app-service");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "AppServiceTask.cs", covers: "taskInstance.GetDeferral()" }]);
});
