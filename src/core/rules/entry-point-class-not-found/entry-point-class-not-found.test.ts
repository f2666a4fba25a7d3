// Tests of entry-point-class-not-found: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'entry-point-class-not-found';

test("§8 #4 entry points naming no task class fire (case-sensitive)", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Registrations.cs", covers: "\"Tasks.Synctask\"" }, { file: "Registrations.cs", covers: "\"Tasks.SyncTsk\"" }]);
});

test("§8 #4 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§8 #4 quick fix removes the finding", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"), "\"Tasks.SyncTsk\"");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Registrations.cs")?.includes("TaskEntryPoint = \"Tasks.SyncTask\";"), texts.get("Registrations.cs"));
});

test("issue 9 an entry point from a property getter that names no class fires", async () => {
  const dir = fixture(ID, "bad-property-getter");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Registrar.cs", covers: "EntryPoint", occurrence: 2 }]);
});

test("issue 9 VB registrations naming no task class fire (a Const through a With block, an object initializer); the right name stays silent", async () => {
  const dir = fixture(ID, "bad-vb");
  assertFindings(await findingsOf(ID, dir), dir, [
    { file: "Registrations.vb", covers: "TimerEntryPoint", occurrence: 1 },
    { file: "Registrations.vb", covers: "\"company.tasks.SyncTask\"" },
  ]);
});

test("issue 9 an entry point from a block getter (`{ get { return \"X.Y\"; } }`) that names no class fires", async () => {
  const dir = fixture(ID, "bad-property-getter-block");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Registrar.cs", covers: "EntryPoint", occurrence: 2 }]);
});

test("issue 9 a TaskEntryPoint naming Windows' own task class (Windows.Networking.Sockets.WebSocketKeepAlive) from a constant: in good-platform-class stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-platform-class"))).map((f) => f.message), []);
});

test("issue 9 the keep-alive class named without its Windows. root namespace fires where the constant is used", async () => {
  const dir = fixture(ID, "bad-platform-lookalike");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "ChannelSetup.cs", covers: "KeepAliveEntryPoint", occurrence: 1 }]);
});

test("issue 9 VB registrations naming a component's classes with its .vbproj RootNamespace (Jobs.CleanupTask, Jobs.Sync.SyncTask): in good-vb-root-namespace stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-vb-root-namespace"))).map((f) => f.message), []);
});

test("issue 9 a VB registration leaving the Sync namespace out fires and offers the RootNamespace name", async () => {
  const dir = fixture(ID, "bad-vb-root-namespace");
  const findings = await findingsOf(ID, dir);
  assertFindings(findings, dir, [{ file: "App/Registration.vb", covers: "\"Jobs.SyncTask\"" }]);
  assert.match(findings[0].message, /did you mean 'Jobs\.Sync\.SyncTask'/);
});
