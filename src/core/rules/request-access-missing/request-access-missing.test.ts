// Tests of request-access-missing: one app-wide finding at the app's first registration with the others
// as related places, the good fixtures (near-misses) stay silent, and the quick fix awaits the call
// inside an async method and is not offered in a synchronous one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertFindings, findingsOf } from '../../../../test/helpers/ruleHarness';
import { fixture, fixRoundTrip } from '../codeTestKit';

const ID = 'request-access-missing';

test("§8 #11 win10 registration without RequestAccessAsync fires", async () => {
  const dir = fixture(ID, "bad");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "Registrations.cs", covers: "builder.Register()" }]);
});

test("§8 #11 an app-wide finding: once per app, at the first registration, the others related", async () => {
  const dir = fixture(ID, "bad-async");
  const findings = await findingsOf(ID, dir);
  assertFindings(findings, dir, [{ file: "More.cs", covers: "more.Register()" }]);
  assert.match(findings[0].message, /call it before registering 'More' \(and 2 other registrations of this app, listed as related\)/);
  const related = findings[0].related!.map((r) => `${path.basename(r.path)} ${fs.readFileSync(r.path, 'utf8').slice(r.span.start, r.span.end)}: ${r.message}`);
  assert.deepEqual(related, [
    "Registrations.cs builder.Register(): also registered without RequestAccessAsync: 'Sync'",
    "Registrations.cs timer.Register(): also registered without RequestAccessAsync: 'Timer'",
  ]);
});

test("§8 #11 near-misses in good stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good"))).map((f) => f.message), []);
});

test("§8 #11 near-misses in good-win81 stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-win81"))).map((f) => f.message), []);
});

test("§8 #11 no quick fix in a synchronous method: an un-awaited call would register before access is granted", async () => {
  const [finding] = await findingsOf(ID, fixture(ID, "bad"));
  assert.equal(finding.fix, undefined);
  const [more] = await findingsOf(ID, fixture(ID, "bad-async"));
  assert.equal(more.fix, undefined, "RegisterMore is synchronous");
});

test("§8 #11 quick fix awaits the call inside an async method", async () => {
  const dir = fixture(ID, "bad-async");
  // With More.cs gone, the first registration is in the async RegisterAsync: the fix awaits there and removes the finding.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bgtask-ram-"));
  try {
    for (const f of ["Package.appxmanifest", "Tasks.cs", "Registrations.cs"]) fs.copyFileSync(path.join(dir, f), path.join(tmp, f));
    const { before, after, texts: fixed } = await fixRoundTrip(ID, tmp);
    assert.equal(before.length, 1);
    assert.deepEqual(after, []);
    assert.match(fixed.get("Registrations.cs")!, /public static async Task RegisterAsync\(\)\n        \{\n            await BackgroundExecutionManager.RequestAccessAsync\(\);\n            var builder = new BackgroundTaskBuilder\(\);/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("§8 #11 no quick fix inside a lambda of an async method (an await there would not compile)", async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bgtask-ram-"));
  try {
    for (const f of ["Package.appxmanifest", "Tasks.cs"]) fs.copyFileSync(path.join(fixture(ID, "bad-async"), f), path.join(tmp, f));
    fs.writeFileSync(path.join(tmp, "Registrations.cs"), [
      "using System;",
      "using System.Threading.Tasks;",
      "using Windows.ApplicationModel.Background;",
      "namespace App",
      "{",
      "    public static class Registrations",
      "    {",
      "        public static async Task RegisterAsync(Action<Action> dispatch)",
      "        {",
      "            await Task.Yield();",
      "            dispatch(() =>",
      "            {",
      "                var builder = new BackgroundTaskBuilder();",
      "                builder.Name = \"Sync\";",
      "                builder.TaskEntryPoint = \"Tasks.SyncTask\";",
      "                builder.SetTrigger(new SystemTrigger(SystemTriggerType.InternetAvailable, false));",
      "                builder.Register();",
      "            });",
      "        }",
      "    }",
      "}",
      "",
    ].join("\n"));
    const [finding] = await findingsOf(ID, tmp);
    assert.ok(finding, "the finding is there");
    assert.equal(finding.fix, undefined);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("issue 9 C++/CX `task<BackgroundAccessStatus> t(BackgroundExecutionManager::RequestAccessAsync());` (C++'s vexing parse) requests access: in good-cpp-task-ctor stay silent", async () => {
  assert.deepEqual((await findingsOf(ID, fixture(ID, "good-cpp-task-ctor"))).map((f) => f.message), []);
});

test("issue 9 a C++/CX task constructed from GetAccessStatus only fires at Register()", async () => {
  const dir = fixture(ID, "bad-cpp-task-ctor");
  assertFindings(await findingsOf(ID, dir), dir, [{ file: "LocationPage.xaml.cpp", covers: "builder->Register()" }]);
});
