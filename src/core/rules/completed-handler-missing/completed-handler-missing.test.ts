// Tests of completed-handler-missing: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'completed-handler-missing';

test("§5 registration without a Completed handler fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Registrations.cs", covers: "builder.Register()" }]);
});

test("§5 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§5 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"));
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Registrations.cs")?.includes("builder.Register().Completed +="), texts.get("Registrations.cs"));
});

test("issue 9 a helper registration whose page attaches Completed (to the result and to what AllTasks holds): in good-helper-page stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-helper-page"))).map((f) => f.message), []);
});

test("issue 9 a helper registration whose page never attaches Completed fires at the call", async () => {
  const dir = fixture(ID, "bad-helper-page");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "ScenarioPage.cs", covers: "Registration.RegisterTask(EntryPoint, Name, new SystemTrigger(SystemTriggerType.TimeZoneChange, false))" }]);
});

test("issue 9 a Completed handler attached in the same file, through a method taking the registration (as Microsoft's BackgroundTask sample does): in good-same-file stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-same-file"))).map((f) => f.message), []);
});

test("issue 9 VB pages that register through a helper and attach Completed with AddHandler (any case) or a Handles clause: in good-vb-helper stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-vb-helper"))).map((f) => f.message), []);
});

test("issue 9 a VB page whose Completed handler is never wired up fires at the helper call", async () => {
  const dir = fixture(ID, "bad-vb-helper");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "SyncPage.vb", covers: "Registration.RegisterTask(SyncEntryPoint, SyncName, New SystemTrigger(SystemTriggerType.TimeZoneChange, False))" }]);
});

test("issue 9 a C++/CX page subscribing with the event's add accessor (reg->Completed::add(...)): in good-cx-event-add stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-cx-event-add"))).map((f) => f.message), []);
});

test("issue 9 a C++/CX page that adds only a Progress handler through the accessor fires at Register()", async () => {
  const dir = fixture(ID, "bad-cx-event-add");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "SensorPage.xaml.cpp", covers: "builder->Register()" }]);
});
