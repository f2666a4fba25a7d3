// Tests of manifest-entry-point-class-not-found: the bad fixtures fire at exactly the expected ranges, the good ones (near-misses)
// stay silent, and the quick fix removes the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'manifest-entry-point-class-not-found';

test("\u00a73.5 \u00a78 #4 misspelled, miscased and non-task EntryPoints fire", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "Tasks.TimerTsk" }, { file: "Package.appxmanifest", covers: "tasks.SyncTask" }, { file: "Package.appxmanifest", covers: "Tasks.Helper" }]);
});

test("\u00a73.5 App SDK shim, activatable classes and the app class: in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("\u00a73.5 a workspace without task classes: in good-no-code stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-no-code"))).map((f) => f.message), []);
});

test("\u00a73.5 quick fix picks the closest class", async () => {
  const { before, after, texts } = await fixRoundTrip(ID, fixture(ID, "bad"), "Tasks.TimerTsk");
  assert.equal(after.length, before.length - 1);
  assert.ok(texts.get("Package.appxmanifest")?.includes("EntryPoint=\"Tasks.TimerTask\""), texts.get("Package.appxmanifest"));
});

test("issue 9 XamlRenderingBackgroundTask subclass, classes deriving from the app's own task base, a VB class: in good-base-classes stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-base-classes"))).map((f) => f.message), []);
});

test("issue 9 a class deriving from a non-task base, and a VB class without Implements IBackgroundTask, fire", async () => {
  const dir = fixture(ID, "bad-base-classes");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "Tasks.Helper" }, { file: "Package.appxmanifest", covers: "Tasks.VbHelper" }]);
});

test("issue 9 VB `Namespace Global.Jobs` declares Jobs.CleanupTask: in good-vb-global stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-vb-global"))).map((f) => f.message), []);
});

test("issue 9 an EntryPoint spelled with VB's Global. prefix, and one naming a class the VB file lacks, fire", async () => {
  const dir = fixture(ID, "bad-vb-global");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "Global.Jobs.CleanupTask" }, { file: "Package.appxmanifest", covers: "Jobs.RefreshTask" }]);
});

test("issue 9 an EntryPoint naming Windows' own task class (Windows.Networking.Sockets.WebSocketKeepAlive, a control channel's keep-alive): in good-platform-class stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-platform-class"))).map((f) => f.message), []);
});

test("issue 9 the keep-alive class named without its Windows. root namespace fires", async () => {
  const dir = fixture(ID, "bad-platform-lookalike");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Package.appxmanifest", covers: "Networking.Sockets.WebSocketKeepAlive" }]);
});

test("issue 9 VB classes under the .vbproj RootNamespace (no Namespace block: Jobs.CleanupTask; Namespace Sync: Jobs.Sync.SyncTask) and one under Namespace Global.Reports: in good-vb-root-namespace stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-vb-root-namespace"))).map((f) => f.message), []);
});

test("issue 9 a RootNamespace class that implements IBackgroundTaskInstance, a name missing the Namespace block, and the RootNamespace put before Global.Reports fire", async () => {
  const dir = fixture(ID, "bad-vb-root-namespace");
  const findings = await findingsOf(ID, dir);
  assertFindings(findings, dir, [{ file: "App/Package.appxmanifest", covers: "Jobs.CleanupTask" }, { file: "App/Package.appxmanifest", covers: "Jobs.SyncTask" }, { file: "App/Package.appxmanifest", covers: "Jobs.Reports.ReportTask" }]);
  assert.ok(findings.some((f) => f.message === "EntryPoint 'Jobs.CleanupTask' names a class that does not implement IBackgroundTask."), findings.map((f) => f.message).join("\n"));
  assert.ok(findings.some((f) => f.message.includes("did you mean 'Jobs.Sync.SyncTask'")), findings.map((f) => f.message).join("\n"));
});
