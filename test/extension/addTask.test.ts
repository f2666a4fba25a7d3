// "Add Background Task…" output checked by the engine: the class, the registration helper and the
// manifest edit, applied to a copy of an example app for every trigger offered, must add no warning
// or error, and the engine must see the new class, declaration and registration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import { extractManifest } from '../../src/core/parsers/manifest';
import { loadWorkspace } from '../../src/core/workspace/scan';
import { manifestInsert, registrationFileName, registrationText, taskClassText, taskFileName, triggerChoices, type AddTaskOptions } from '../../src/extension/addTaskTemplates';
import { REPO } from '../helpers/ruleHarness';

function copyExample(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-addtask-'));
  fs.cpSync(path.join(REPO, 'examples', name), dir, { recursive: true });
  return dir;
}

async function serious(dir: string) {
  const engine = new Engine();
  await loadWorkspace(engine, [dir]);
  return { engine, findings: engine.check().filter((f) => f.severity !== 'info').map((f) => `${path.relative(dir, f.path)}:${f.start.line + 1} ${f.ruleId}: ${f.message}`) };
}

function apply(dir: string, manifestRel: string, taskDir: string, o: AddTaskOptions): void {
  const manifestPath = path.join(dir, manifestRel);
  const text = fs.readFileSync(manifestPath, 'utf8');
  const facts = extractManifest(manifestPath, text).manifest!;
  const edit = manifestInsert(o, facts, text);
  assert.ok(!('error' in edit), JSON.stringify(edit));
  fs.writeFileSync(manifestPath, text.slice(0, edit.offset) + edit.text + text.slice(edit.offset));
  const write = (base: string, rel: string, body: string) => {
    fs.mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    fs.writeFileSync(path.join(base, rel), body);
  };
  write(path.join(dir, taskDir), taskFileName(o), taskClassText(o));
  write(path.dirname(manifestPath), registrationFileName(o), registrationText(o));
}

test('C# into examples/csharp-uwp: every trigger offered on win10 checks clean', async () => {
  assert.ok(triggerChoices('win10').some((c) => c.className === 'ApplicationTrigger'));
  // The sample already registers an ApplicationTrigger, which an app may register only once.
  const choices = triggerChoices('win10', ['ApplicationTrigger']);
  assert.ok(choices.length >= 15 && !choices.some((c) => c.className === 'ApplicationTrigger'));
  const dir = copyExample('csharp-uwp');
  try {
    choices.forEach((trigger, i) =>
      apply(dir, 'BackgroundTask/Package.appxmanifest', 'Tasks', {
        language: 'csharp', name: `AddedTask${i}`, namespace: 'Tasks', appNamespace: 'SDKTemplate', trigger, profile: 'win10',
        conditions: i % 2 ? ['InternetAvailable', 'UserPresent'] : [],
      }),
    );
    const { engine, findings } = await serious(dir);
    assert.deepEqual(findings, []);
    const app = engine.workspace().apps.find((a) => a.manifest?.path.endsWith('BackgroundTask/Package.appxmanifest'))!;
    const names = app.registrations.map((r) => (r.registration.name?.kind === 'string' ? r.registration.name.value : '?'));
    for (let i = 0; i < choices.length; i++) assert.ok(names.includes(`AddedTask${i}`), `registration AddedTask${i} seen`);
    assert.equal(app.manifest!.manifest!.extensions.filter((e) => e.entryPoint?.value.startsWith('Tasks.AddedTask')).length, choices.length);
    const maintenance = choices.findIndex((c) => c.className === 'MaintenanceTrigger');
    const ext = app.manifest!.manifest!.extensions.find((e) => e.entryPoint?.value === `Tasks.AddedTask${maintenance}`)!;
    assert.deepEqual(ext.tasks.map((t) => t.type), ['general']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a second trigger for an existing entry point adds only its Task Type', () => {
  const text = fs.readFileSync(path.join(REPO, 'examples/csharp-uwp/BackgroundTask/Package.appxmanifest'), 'utf8');
  const facts = extractManifest('/x/Package.appxmanifest', text).manifest!;
  const o: AddTaskOptions = { language: 'csharp', name: 'ServicingComplete', namespace: 'Tasks', appNamespace: 'X', trigger: { className: 'MaintenanceTrigger', freshness: 15 }, conditions: [], profile: 'win10' };
  const edit = manifestInsert(o, facts, text);
  assert.ok(!('error' in edit));
  assert.equal(edit.text.trim(), '<Task Type="general" />');
  const same = manifestInsert({ ...o, trigger: { className: 'SystemTrigger', systemTriggerType: 'TimeZoneChange' } }, facts, text);
  assert.ok(!('error' in same) && same.text === '', 'systemEvent is already declared');
});

test('a manifest without <Extensions> gets one inside <Application>', () => {
  const text = '<?xml version="1.0" encoding="utf-8"?>\n<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10">\n  <Applications>\n    <Application Id="App" Executable="A.exe" EntryPoint="A.App">\n    </Application>\n  </Applications>\n</Package>\n';
  const facts = extractManifest('/x/Package.appxmanifest', text).manifest!;
  const o: AddTaskOptions = { language: 'csharp', name: 'T', namespace: 'N', appNamespace: 'A', trigger: { className: 'TimeTrigger', freshness: 15 }, conditions: [], profile: 'win10' };
  const edit = manifestInsert(o, facts, text);
  assert.ok(!('error' in edit));
  const out = text.slice(0, edit.offset) + edit.text + text.slice(edit.offset);
  const again = extractManifest('/x/Package.appxmanifest', out).manifest!;
  assert.equal(again.syntaxError, undefined);
  assert.deepEqual(again.extensions.map((e) => [e.entryPoint?.value, e.tasks.map((t) => t.type)]), [['N.T', ['timer']]]);
  assert.match(out, /\n      <Extensions>\n        <Extension Category="windows.backgroundTasks" EntryPoint="N.T">\n          <BackgroundTasks>\n            <Task Type="timer" \/>/);
});

test('JavaScript into examples/winjs (win81): checks clean, StartPage declared', async () => {
  const choices = triggerChoices('win81');
  assert.ok(!choices.some((c) => c.className === 'ApplicationTrigger'), 'no Windows 10 triggers on win81');
  const dir = copyExample('winjs');
  try {
    apply(dir, 'Package.appxmanifest', '.', { language: 'javascript', name: 'AddedTask', namespace: '', appNamespace: '', trigger: choices[0], conditions: ['InternetAvailable'], profile: 'win81' });
    const { findings, engine } = await serious(dir);
    assert.deepEqual(findings, []);
    const m = engine.workspace().apps[0].manifest!.manifest!;
    assert.ok(m.extensions.some((e) => e.startPage?.value === 'js\\addedtask.js'));
    assert.ok(fs.readFileSync(path.join(dir, 'js/addedtask-registration.js'), 'utf8').includes('builder.taskEntryPoint = "js\\\\addedtask.js";'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
