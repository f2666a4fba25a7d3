// Tests of trigger-type-not-declared: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, checkPath, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'trigger-type-not-declared';

test("§8 #5 TimeTrigger against an Extension without timer fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Registrations.cs", covers: "new TimeTrigger(15, false)" }]);
});

test("§8 #5 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§8 #5 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"));
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Package.appxmanifest")?.includes("<Task Type=\"timer\" />"), texts.get("Package.appxmanifest"));
});

test("issue 9 each page resolves its own TaskEntryPoint constant, so each trigger meets its own declaration: in good-scoped-constants stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-scoped-constants"))).map((f) => f.message), []);
});

/** Entry points of a fixture's registrations, as resolved (a reference left unresolved shows as `?Name`). */
async function entryPointsOf(dir: string): Promise<string[]> {
  const { engine } = await checkPath(dir);
  return engine.workspace().apps.flatMap((a) => a.registrations).map(({ registration: r }) => (r.entryPoint?.kind === 'string' ? r.entryPoint.value : `?${r.entryPoint?.kind === 'reference' ? r.entryPoint.name : ''}`)).sort();
}

test("issue 9 C++ constants in headers that never say Background (same identifiers at namespace scope in two headers, a #define reached through pch.h) resolve through each .cpp's #include: in good-header-constants stay silent", async () => {
  const dir = fixture(ID, "good-header-constants");
  assert.deepEqual(await entryPointsOf(dir), ["Tasks.MaintenanceTask", "Tasks.NetworkTask", "Tasks.TimerTask"]);
  assert.deepEqual((await findingsOf(ID, dir)).map((f) => f.message), []);
});

test("issue 9 a trigger that does not match the entry point a header constant names fires (C++/WinRT class member, C++/CX Platform::String^ const through pch.h)", async () => {
  const dir = fixture(ID, "bad-header-constants");
  assertFindings(await findingsOf(ID, dir), dir, [
    { file: "winrt/TimerPage.cpp", covers: "SystemTrigger{ SystemTriggerType::TimeZoneChange, false }" },
    { file: "cx/Scenario.cpp", covers: "ref new SystemTrigger(SystemTriggerType::InternetAvailable, false)" },
  ]);
});

test("issue 9 VB registrations: a helper call's inline trigger, a With block's SetTrigger; each against its entry point's declared Task Types (bad-vb)", async () => {
  const dir = fixture(ID, "bad-vb");
  assertFindings(await findingsOf(ID, dir), dir, [
    { file: "Registration.vb", covers: "New SystemTrigger(SystemTriggerType.TimeZoneChange, False)" },
    { file: "Registration.vb", covers: "New TimeTrigger(15, False)" },
  ]);
});
