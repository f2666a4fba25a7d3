// Engine mechanics with in-memory facts and purpose-made rules: incremental re-checks, severity
// overrides, suppressions, app grouping and the linking of helper registrations to their call sites.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/core/engine';
import { emptyFacts, type FileFacts, type RegistrationFact } from '../../src/core/facts/types';
import { findSuppressions } from '../../src/core/parsers/extract';
import type { FileRule, Rule, WorkspaceRule } from '../../src/core/rules/types';
import { buildApps, linkRegistrations } from '../../src/core/workspace/apps';
import { LineIndex } from '../../src/core/text/lineIndex';

function registration(overrides: Partial<RegistrationFact> = {}): RegistrationFact {
  return { span: { start: 0, end: 5 }, builderKind: 'winrt', conditions: [], registerGuarded: false, allTasksChecked: false, completedHandler: false, statementStart: 0, indent: '', ...overrides };
}

function countingRules() {
  const runs = { file: 0, workspace: 0 };
  const fileRule: FileRule = {
    id: 'test-file', severity: 'warning', title: 't', source: 't', reads: ['code'], scope: 'file',
    checkFile(file, ctx) {
      runs.file++;
      for (const c of file.taskClasses) ctx.report({ path: file.path, span: c.nameSpan, message: `class ${c.name}` });
    },
  };
  const workspaceRule: WorkspaceRule = {
    id: 'test-workspace', severity: 'error', title: 't', source: 't', reads: ['code'], scope: 'workspace',
    checkWorkspace(ctx) {
      runs.workspace++;
      for (const app of ctx.workspace.apps) for (const { file, registration: r } of app.registrations) ctx.report({ path: file.path, span: r.span, message: `registration ${r.name?.kind === 'string' ? r.name.value : '?'}` });
    },
  };
  return { runs, rules: [fileRule, workspaceRule] as Rule[] };
}

function taskFile(path: string, name: string): FileFacts {
  const f = emptyFacts(path, 'csharp');
  f.taskClasses.push({ language: 'csharp', name, fullName: `Tasks.${name}`, nameSpan: { start: 0, end: name.length }, span: { start: 0, end: 10 }, isPublic: true, isSealed: true, handlesCanceled: true });
  return f;
}

test('an edit to a file without background-task facts re-runs no rule', () => {
  const { runs, rules } = countingRules();
  const engine = new Engine({}, rules);
  engine.setFacts('/w/A.cs', taskFile('/w/A.cs', 'A'), 'A class');
  engine.setFacts('/w/Other.cs', emptyFacts('/w/Other.cs', 'csharp'), 'x');
  assert.equal(engine.check().length, 1);
  const before = { ...runs };
  engine.setFacts('/w/Other.cs', emptyFacts('/w/Other.cs', 'csharp'), 'x changed');
  assert.equal(engine.check().length, 1);
  assert.deepEqual(runs, before);
});

test('an edit to a task file re-runs file rules for that file only, and workspace rules once', () => {
  const { runs, rules } = countingRules();
  const engine = new Engine({}, rules);
  engine.setFacts('/w/A.cs', taskFile('/w/A.cs', 'A'), 'A class');
  engine.setFacts('/w/B.cs', taskFile('/w/B.cs', 'B'), 'B class');
  engine.check();
  const before = { ...runs };
  engine.setFacts('/w/A.cs', taskFile('/w/A.cs', 'A2'), 'A2 class');
  const findings = engine.checkFile('/w/A.cs');
  assert.deepEqual(findings.map((f) => f.message), ['class A2']);
  assert.equal(runs.file - before.file, 1);
  assert.equal(runs.workspace - before.workspace, 1);
});

test('severity overrides change the level and off disables the rule', () => {
  const { rules } = countingRules();
  const engine = new Engine({ rules: { 'test-file': 'error' } }, rules);
  engine.setFacts('/w/A.cs', taskFile('/w/A.cs', 'A'), 'A class');
  assert.deepEqual(engine.check().map((f) => f.severity), ['error']);
  engine.setOptions({ rules: { 'test-file': 'off' } });
  assert.deepEqual(engine.check(), []);
});

test('folder settings (VS Code per-resource): the rule severities and profile of each folder apply to its files', () => {
  const { rules } = countingRules();
  const engine = new Engine({ rules: { 'test-file': 'off' }, folders: [{ root: '/w/one', rules: { 'test-file': 'info' } }, { root: '/w/one/inner', rules: { 'test-file': 'off' } }, { root: '/w/two', profile: 'win81' }] }, rules);
  for (const p of ['/w/one/A.cs', '/w/one/inner/B.cs', '/w/two/C.cs', '/w/D.cs']) engine.setFacts(p, taskFile(p, p.slice(-4, -3)), 'X class');
  const manifest = emptyFacts('/w/two/Package.appxmanifest', 'manifest');
  manifest.manifest = { namespaces: {}, rootSpan: { start: 0, end: 1 }, profile: 'win10', applications: [], extensions: [], capabilities: [], prefixUses: {} };
  engine.setFacts(manifest.path, manifest, '<Package/>');
  // Off globally, on (as info) in /w/one, off again in its inner folder.
  assert.deepEqual(engine.check().filter((f) => f.ruleId === 'test-file').map((f) => `${f.path} ${f.severity}`), ['/w/one/A.cs info']);
  assert.equal(engine.workspace().appOf('/w/two/Package.appxmanifest')?.profile, 'win81');
});

test('bgtask-disable-next-line suppresses the named rule on the next line only', () => {
  const text = '// bgtask-disable-next-line test-file\nA class\nA again';
  assert.deepEqual(findSuppressions('csharp', text), [{ line: 1, rules: ['test-file'] }]);
  const { rules } = countingRules();
  const engine = new Engine({}, rules);
  const facts = taskFile('/w/A.cs', 'A');
  facts.taskClasses[0].nameSpan = { start: text.indexOf('A class'), end: text.indexOf('A class') + 1 };
  facts.suppressions = findSuppressions('csharp', text);
  engine.setFacts('/w/A.cs', facts, text);
  assert.deepEqual(engine.check(), []);
  facts.suppressions = [{ line: 1, rules: ['other-rule'] }];
  engine.setFacts('/w/A.cs', { ...facts }, text + ' ');
  assert.equal(engine.check().length, 1);
});

test('XML suppression comments are read too', () => {
  assert.deepEqual(findSuppressions('manifest', '<a>\n  <!-- bgtask-disable-next-line task-type-invalid, too-many-tasks -->\n  <Task/>'), [{ line: 2, rules: ['task-type-invalid', 'too-many-tasks'] }]);
});

test('files join the app of the project that references their project, else the nearest manifest scope', () => {
  const manifest = emptyFacts('/w/App/Package.appxmanifest', 'manifest');
  manifest.manifest = { namespaces: {}, rootSpan: { start: 0, end: 1 }, profile: 'win81', applications: [], extensions: [], capabilities: [], prefixUses: {} };
  const appProject = emptyFacts('/w/App/App.csproj', 'project');
  appProject.project = { isWindowsRuntimeComponent: false, isApp: true, projectReferences: [{ path: '/lib/Tasks/Tasks.csproj', span: { start: 0, end: 1 } }], compileItems: [], sdkStyle: false, windowsAppSdkBackgroundTask: false };
  const taskProject = emptyFacts('/lib/Tasks/Tasks.csproj', 'project');
  taskProject.project = { isWindowsRuntimeComponent: true, isApp: false, projectReferences: [], compileItems: [], sdkStyle: false, windowsAppSdkBackgroundTask: false };
  const referenced = taskFile('/lib/Tasks/Task.cs', 'T');
  const sibling = taskFile('/w/Shared/Helper.cs', 'H');
  const stray = taskFile('/elsewhere/X.cs', 'X');
  const otherManifest = emptyFacts('/v/Package.appxmanifest', 'manifest');
  otherManifest.manifest = { ...manifest.manifest!, profile: 'win10' };
  const apps = buildApps([manifest, otherManifest, appProject, taskProject, referenced, sibling, stray], undefined, '/');
  assert.equal(apps.length, 3);
  assert.equal(apps[0].profile, 'win81');
  assert.deepEqual(apps[0].files.map((f) => f.path).sort(), ['/lib/Tasks/Task.cs', '/w/Shared/Helper.cs']);
  assert.deepEqual(apps[0].projects.map((p) => p.path), ['/w/App/App.csproj', '/lib/Tasks/Tasks.csproj']);
  assert.deepEqual(apps[1].files, [], 'the other app gets nothing');
  assert.equal(apps[2].manifest, undefined, 'a file under a folder shared by two apps belongs to neither');
  assert.deepEqual(apps[2].files.map((f) => f.path), ['/elsewhere/X.cs']);
});

test('helper registrations become one concrete registration per call site, with constants resolved', () => {
  const config = emptyFacts('/w/SampleConfiguration.cs', 'csharp');
  config.constants = { 'SDKTemplate.BackgroundTaskSample.SampleBackgroundTaskEntryPoint': 'Tasks.SampleBackgroundTask', 'SDKTemplate.BackgroundTaskSample.SampleBackgroundTaskName': 'SampleBackgroundTask' };
  config.registrations.push(registration({ enclosingFunction: 'RegisterBackgroundTask', helperParameters: { entryPoint: 0, name: 1, trigger: 2, condition: 3 }, allTasksChecked: true, cancelOnConditionLoss: { kind: 'boolean', value: true, span: { start: 1, end: 2 } } }));
  const scenario = emptyFacts('/w/Scenario1.xaml.cs', 'csharp');
  scenario.calls.push({
    callee: 'BackgroundTaskSample.RegisterBackgroundTask',
    span: { start: 10, end: 50 },
    args: [
      { value: { kind: 'reference', name: 'BackgroundTaskSample.SampleBackgroundTaskEntryPoint', span: { start: 11, end: 20 }, scope: 'SDKTemplate.Scenario1' } },
      { value: { kind: 'reference', name: 'BackgroundTaskSample.SampleBackgroundTaskName', span: { start: 21, end: 30 }, scope: 'SDKTemplate.Scenario1' } },
      { value: { kind: 'expression', text: 'new SystemTrigger(...)', span: { start: 31, end: 40 } }, trigger: { className: 'SystemTrigger', span: { start: 31, end: 40 }, systemTriggerType: { name: 'TimeZoneChange', span: { start: 32, end: 33 } } } },
      { value: { kind: 'expression', text: 'null', span: { start: 41, end: 45 } } },
    ],
    allTasksChecked: false,
    guarded: false,
  });
  const linked = linkRegistrations([config, scenario]);
  assert.equal(linked.length, 1);
  const [{ file, registration: r }] = linked;
  assert.equal(file.path, '/w/Scenario1.xaml.cs');
  assert.deepEqual(r.entryPoint, { kind: 'string', value: 'Tasks.SampleBackgroundTask', span: { start: 11, end: 20 } });
  assert.deepEqual(r.name, { kind: 'string', value: 'SampleBackgroundTask', span: { start: 21, end: 30 } });
  assert.equal(r.trigger?.systemTriggerType?.name, 'TimeZoneChange');
  assert.deepEqual(r.conditions, []);
  assert.equal(r.cancelOnConditionLoss, undefined, 'no condition passed, so CancelOnConditionLoss is not set');
  assert.equal(r.allTasksChecked, true, 'the helper checks AllTasks itself');
  assert.deepEqual(r.viaHelperCall, { start: 10, end: 50 });
});

test('LineIndex maps offsets for LF, CRLF and lone CR line ends', () => {
  const index = new LineIndex('a\r\nbc\rd\ne');
  assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(index.positionAt(3), { line: 1, character: 0 });
  assert.deepEqual(index.positionAt(6), { line: 2, character: 0 });
  assert.deepEqual(index.positionAt(8), { line: 3, character: 0 });
  assert.equal(index.offsetAt({ line: 1, character: 1 }), 4);
  assert.equal(index.lineCount, 4);
});
