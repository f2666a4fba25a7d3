// Tests for the C# facts extractor (src/core/parsers/csharp.ts): task classes, registrations,
// helper calls and constants on fixtures modelled on the official BackgroundTask sample (§7), exact
// UTF-16 spans, robustness on half-typed and odd input, and extraction speed.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractCSharp } from '../../src/core/parsers/csharp';
import { loadGrammar } from '../../src/core/parsers/treeSitter';
import { linkRegistrations } from '../../src/core/workspace/apps';
import type { FileFacts, Span } from '../../src/core/facts/types';

const FIXTURES = path.join(process.env.BGTASK_REPO ?? process.cwd(), 'test/parsers/fixtures/csharp');

function fixture(name: string): { text: string; facts: FileFacts } {
  const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  return { text, facts: extractCSharp(`/w/${name}`, text) };
}

const at = (text: string, span: Span | undefined) => (span ? text.slice(span.start, span.end) : undefined);

/** Every span and offset anywhere in the facts lies inside the text. */
function assertSpansInside(facts: unknown, text: string, where = 'facts'): void {
  if (!facts || typeof facts !== 'object') return;
  const o = facts as Record<string, unknown>;
  if (typeof o.start === 'number' && typeof o.end === 'number') {
    assert.ok(0 <= o.start && o.start <= o.end && o.end <= text.length, `${where}: span ${o.start}-${o.end} outside 0-${text.length}`);
  }
  for (const key of ['offset', 'statementStart']) {
    if (typeof o[key] === 'number') assert.ok((o[key] as number) >= 0 && (o[key] as number) <= text.length, `${where}.${key} outside the text`);
  }
  for (const [k, v] of Object.entries(o)) assertSpansInside(v, text, `${where}.${k}`);
}

function applyEdits(text: string, edits: Array<{ start: number; end: number; text: string }>): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

before(async () => {
  await loadGrammar('csharp');
});

test('sample SampleBackgroundTask: sealed public task with Canceled handler, a field deferral and a ThreadPoolTimer (§7)', () => {
  const { text, facts } = fixture('SampleBackgroundTask.cs');
  assert.equal(facts.taskClasses.length, 1);
  const task = facts.taskClasses[0];
  assert.equal(task.name, 'SampleBackgroundTask');
  assert.equal(task.fullName, 'Tasks.SampleBackgroundTask');
  assert.equal(at(text, task.nameSpan), 'SampleBackgroundTask');
  assert.ok(at(text, task.span)!.startsWith('public sealed class SampleBackgroundTask'));
  assert.equal(task.isPublic, true);
  assert.equal(task.isSealed, true);
  assert.equal(task.sealedFix, undefined);
  assert.equal(task.publicFix, undefined);
  assert.equal(task.handlesCanceled, true);
  const run = task.run!;
  assert.equal(at(text, run.nameSpan), 'Run');
  assert.equal(run.isAsync, false);
  assert.ok(at(text, run.bodySpan)!.startsWith('{') && at(text, run.bodySpan)!.endsWith('}'));
  assert.ok(at(text, run.asyncWork)!.startsWith('ThreadPoolTimer.CreatePeriodicTimer('));
  assert.equal(run.deferrals.length, 1);
  const d = run.deferrals[0];
  assert.equal(at(text, d.span), 'taskInstance.GetDeferral()');
  assert.equal(d.variable, '_deferral');
  assert.equal(d.completed, true, '_deferral.Complete() in the timer callback');
  assert.equal(d.completedInFinally, false);
  assert.equal(d.afterAwait, false);
  assert.equal(run.hasTryFinally, false);
  assert.deepEqual(facts.classes, []);
  assert.deepEqual(facts.registrations, []);
});

test('sample ServicingComplete: synchronous Run, no deferral, no async work (§7)', () => {
  const { facts } = fixture('ServicingComplete.cs');
  const task = facts.taskClasses[0];
  assert.equal(task.fullName, 'Tasks.ServicingComplete');
  assert.equal(task.handlesCanceled, true);
  assert.equal(task.run?.isAsync, false);
  assert.equal(task.run?.asyncWork, undefined);
  assert.deepEqual(task.run?.deferrals, []);
});

test('sample SampleConfiguration: RegisterBackgroundTask is a helper fed from its parameters, with a conditional AddCondition', () => {
  const { text, facts } = fixture('SampleConfiguration.cs');
  assert.equal(facts.registrations.length, 1);
  const r = facts.registrations[0];
  assert.equal(at(text, r.span), 'new BackgroundTaskBuilder()');
  assert.equal(r.builderVariable, 'builder');
  assert.equal(r.builderKind, 'winrt');
  assert.equal(r.enclosingFunction, 'RegisterBackgroundTask');
  assert.deepEqual(r.helperParameters, { entryPoint: 0, name: 1, trigger: 2, condition: 3, taskGroup: 4 });
  assert.deepEqual(r.name, { kind: 'reference', name: 'name', span: r.name!.span, scope: 'SDKTemplate.BackgroundTaskSample' });
  assert.equal(r.cancelOnConditionLoss?.kind === 'boolean' && r.cancelOnConditionLoss.value, true);
  assert.equal(r.trigger?.unresolved, true);
  assert.deepEqual(r.conditions, [], 'the condition comes from each call site');
  assert.equal(at(text, r.registerCall), 'builder.Register()');
  assert.equal(r.registerGuarded, false);
  assert.equal(r.allTasksChecked, true, 'as in the sample, another member of the class (UnregisterBackgroundTasks) walks AllTasks');
  assert.equal(text.slice(r.statementStart, r.statementStart + 11), 'var builder');
  assert.equal(r.indent, '            ');
  assert.equal(facts.constants['SDKTemplate.BackgroundTaskSample.SampleBackgroundTaskEntryPoint'], 'Tasks.SampleBackgroundTask');
  assert.equal(facts.constants['SDKTemplate.BackgroundTaskSample.SampleBackgroundTaskName'], 'SampleBackgroundTask');
  assert.equal(facts.constants['SampleBackgroundTaskName'], undefined, 'constants are keyed by full name only; names resolve by scope');
  assert.equal(facts.constants['SDKTemplate.BackgroundTaskSample.ServicingCompleteTaskEntryPoint'], 'Tasks.ServicingComplete');
  assert.equal(facts.constants['SDKTemplate.BackgroundTaskSample.GroupedBackgroundTaskName'], 'GroupedBackgroundTask', 'static readonly');
  assert.equal(facts.constants['SDKTemplate.BackgroundTaskSample.SampleBackgroundTaskProgress'], undefined, 'a mutable static is no constant');
  assert.deepEqual(facts.requestAccess.map((s) => at(text, s)), ['BackgroundExecutionManager.RequestAccessAsync()']);
  assert.deepEqual(facts.calls, [], 'no call here reaches a registration helper');
  assert.deepEqual(facts.classes.map((c) => [c.name, c.isPublic, c.isSealed]), [['MainPage', true, false], ['Scenario', true, false], ['BackgroundTaskSample', false, false]]);
  const mainPage = facts.classes[0];
  assert.equal(text.slice(mainPage.sealedFix!.offset, mainPage.sealedFix!.offset + 13), 'partial class', 'sealed goes before partial');
});

test('sample scenario 1: the helper call with an inline SystemTrigger and a null condition', () => {
  const { text, facts } = fixture('Scenario1_SampleBackgroundTask.xaml.cs');
  assert.equal(facts.calls.length, 1);
  const call = facts.calls[0];
  assert.equal(call.callee, 'BackgroundTaskSample.RegisterBackgroundTask');
  assert.equal(call.enclosingFunction, 'RegisterBackgroundTask');
  assert.equal(call.allTasksChecked, true, 'OnNavigatedTo, in the same page class, walks AllTasks before the click handler can run');
  assert.equal(call.guarded, false);
  assert.deepEqual(call.args.map((a) => a.value.kind), ['reference', 'reference', 'expression', 'expression']);
  assert.equal(call.args[0].value.kind === 'reference' && call.args[0].value.name, 'BackgroundTaskSample.SampleBackgroundTaskEntryPoint');
  const trigger = call.args[2].trigger!;
  assert.equal(trigger.className, 'SystemTrigger');
  assert.equal(at(text, trigger.span), 'new SystemTrigger(SystemTriggerType.TimeZoneChange, false)');
  assert.equal(trigger.systemTriggerType?.name, 'TimeZoneChange');
  assert.equal(at(text, trigger.systemTriggerType?.span), 'TimeZoneChange');
  assert.equal(trigger.oneShot?.kind === 'boolean' && trigger.oneShot.value, false);
  assert.equal(call.args[3].value.kind === 'expression' && call.args[3].value.text, 'null');
  assert.equal(facts.classes[0].isSealed, true);
});

test('sample scenario 5: an ApplicationTrigger field passed to the helper and signalled with RequestAsync', () => {
  const { text, facts } = fixture('Scenario5_ApplicationTriggerTask.xaml.cs');
  assert.deepEqual(facts.applicationTriggerRequests.map((s) => at(text, s)), ['trigger.RequestAsync()']);
  const trigger = facts.calls[0].args[2].trigger;
  assert.deepEqual(trigger && { className: trigger.className, unresolved: trigger.unresolved }, { className: 'ApplicationTrigger', unresolved: true });
});

test('sample files link into concrete registrations through the helper and the constants', () => {
  const files = ['SampleConfiguration.cs', 'Scenario1_SampleBackgroundTask.xaml.cs', 'Scenario5_ApplicationTriggerTask.xaml.cs'].map((f) => fixture(f).facts);
  const linked = linkRegistrations(files).map(({ registration: r }) => ({
    name: r.name?.kind === 'string' ? r.name.value : r.name?.kind,
    entryPoint: r.entryPoint?.kind === 'string' ? r.entryPoint.value : r.entryPoint?.kind,
    trigger: r.trigger?.systemTriggerType?.name ?? r.trigger?.className,
    cancelOnConditionLoss: r.cancelOnConditionLoss,
    conditions: r.conditions.length,
  }));
  assert.deepEqual(linked, [
    { name: 'SampleBackgroundTask', entryPoint: 'Tasks.SampleBackgroundTask', trigger: 'TimeZoneChange', cancelOnConditionLoss: undefined, conditions: 0 },
    { name: 'ApplicationTriggerTask', entryPoint: 'Tasks.SampleBackgroundTask', trigger: 'ApplicationTrigger', cancelOnConditionLoss: undefined, conditions: 0 },
  ]);
});

test('task class shapes: modifiers, fixes, nesting, records; interfaces and IBackgroundTaskInstance are not tasks', () => {
  const { text, facts } = fixture('TaskShapes.cs');
  const byName = new Map(facts.taskClasses.map((t) => [t.name, t]));
  assert.deepEqual([...byName.keys()], ['InternalTask', 'PartialTask', 'NoRun', 'GuardedTask', 'LeakyTask', 'Nested', 'RecordTask']);
  assert.equal(byName.get('Nested')!.fullName, 'Shapes.Tasks.Helpers.Nested');
  assert.equal(byName.get('RecordTask')!.isSealed, true);
  assert.equal(byName.get('NoRun')!.run, undefined);
  assert.equal(at(text, byName.get('InternalTask')!.publicFix!.span), 'internal');
  assert.deepEqual(byName.get('NoRun')!.publicFix, { span: { start: byName.get('NoRun')!.span.start, end: byName.get('NoRun')!.span.start }, text: 'public ' });
  const noRunBody = byName.get('NoRun')!.bodyInsert!;
  assert.equal(text[noRunBody.offset - 1], '{');
  assert.equal(noRunBody.indent, '        ');
  assert.deepEqual(facts.classes.map((c) => [c.name, c.isSealed, c.isStatic, !!c.sealedFix]), [['Helpers', true, true, false], ['TaskBase', false, false, false], ['NotATask', true, false, false]]);

  // The fixes produce what they promise: re-extracting the fixed text finds public sealed classes.
  const edits = [];
  for (const t of facts.taskClasses) {
    if (t.sealedFix) edits.push({ start: t.sealedFix.offset, end: t.sealedFix.offset, text: t.sealedFix.text });
    if (t.publicFix) edits.push({ ...t.publicFix.span, text: t.publicFix.text });
  }
  const fixed = applyEdits(text, edits);
  assert.match(fixed, /public sealed partial class PartialTask/);
  assert.match(fixed, /public sealed class InternalTask/);
  assert.match(fixed, /public sealed class NoRun/);
  for (const t of extractCSharp('/w/fixed.cs', fixed).taskClasses) assert.ok(t.isPublic && t.isSealed, `${t.name} fixed`);
});

test('Run analysis: async work, deferral after await, completion in finally, discarded tasks (§8 #7, #8)', () => {
  const { text, facts } = fixture('TaskShapes.cs');
  const run = (name: string) => facts.taskClasses.find((t) => t.name === name)!.run!;
  assert.equal(run('InternalTask').isAsync, true);
  assert.equal(at(text, run('InternalTask').asyncWork), 'await Task.Delay(100)');
  assert.deepEqual(run('InternalTask').deferrals, []);

  const partial = run('PartialTask');
  assert.equal(partial.deferrals[0].afterAwait, true);
  assert.equal(partial.deferrals[0].completed, true);
  assert.equal(facts.taskClasses.find((t) => t.name === 'PartialTask')!.handlesCanceled, true);

  const guarded = run('GuardedTask');
  assert.equal(guarded.hasTryFinally, true);
  assert.deepEqual({ ...guarded.deferrals[0], span: undefined }, { span: undefined, variable: '_deferral', completed: true, completedInFinally: true, afterAwait: false });

  const leaky = run('LeakyTask');
  assert.equal(leaky.isAsync, false);
  assert.equal(at(text, leaky.asyncWork), '_ = SaveAsync()');
  assert.equal(leaky.deferrals[0].completed, false);
  assert.equal(run('Nested').asyncWork, undefined);
});

test('comments and strings that look like code produce no facts', () => {
  const { facts } = fixture('Decoys.cs');
  assert.deepEqual(facts.taskClasses, []);
  assert.deepEqual(facts.registrations, []);
  assert.deepEqual(facts.calls, []);
  assert.deepEqual(facts.requestAccess, []);
  assert.deepEqual(facts.classes.map((c) => c.name), ['Text']);
  assert.deepEqual(Object.keys(facts.constants), ['Decoys.Text.Code']);
});

test('registration shapes: initializers, followed locals, named arguments, guarded Register, Completed handler', () => {
  const { text, facts } = fixture('Registrations.cs');
  const [time, maintenance, typed, com] = facts.registrations;
  assert.equal(facts.registrations.length, 4);

  assert.equal(time.name?.kind === 'string' && time.name.value, 'TimeTask');
  assert.equal(at(text, time.name?.span), '"TimeTask"', 'string spans include the quotes');
  assert.deepEqual(time.entryPoint, { kind: 'string', value: 'Tasks.TimeTask', span: time.entryPoint!.span });
  assert.equal(at(text, time.entryPoint?.span), '@"Tasks.TimeTask"');
  assert.equal(time.isNetworkRequested?.kind === 'boolean' && time.isNetworkRequested.value, true);
  assert.equal(time.trigger?.className, 'TimeTrigger');
  assert.equal(time.trigger?.freshness?.kind === 'number' && time.trigger.freshness.value, 15);
  assert.equal(at(text, time.trigger?.span), 'new TimeTrigger(freshnessTime: 15, oneShot: false)');
  assert.deepEqual(time.conditions.map((c) => [c.type, at(text, c.typeSpan)]), [['InternetAvailable', 'InternetAvailable'], ['UserPresent', 'UserPresent']]);
  assert.equal(at(text, time.conditions[0].span), 'builder.AddCondition(condition)');
  assert.equal(time.registerGuarded, true);
  assert.equal(time.completedHandler, true);
  assert.equal(time.allTasksChecked, true);

  assert.equal(maintenance.builderVariable, 'maintenance');
  assert.ok(at(text, maintenance.span)!.startsWith('new()') && at(text, maintenance.span)!.endsWith('}'), 'target-typed new with its initializer');
  assert.deepEqual(maintenance.name, { kind: 'typeName', name: 'RegisterMaintenance', span: maintenance.name!.span });
  assert.deepEqual(maintenance.entryPoint, { kind: 'reference', name: 'EntryPoints.Maintenance', span: maintenance.entryPoint!.span, scope: 'Registrations.Registrar' });
  assert.equal(maintenance.trigger?.className, 'MaintenanceTrigger');
  assert.equal(maintenance.trigger?.oneShot?.kind === 'boolean' && maintenance.trigger.oneShot.value, true);
  assert.equal(at(text, maintenance.registerCall), 'maintenance.Register()');
  assert.equal(maintenance.completedHandler, false);
  assert.equal(maintenance.allTasksChecked, true, 'RegisterAll, in the same class, checks AllTasks');

  assert.deepEqual(typed.entryPoint, { kind: 'typeName', name: 'Registrar', span: typed.entryPoint!.span });
  assert.deepEqual(typed.trigger, { className: 'ApplicationTrigger', span: typed.trigger!.span, unresolved: true });

  assert.equal(com.builderKind, 'appsdk');
  assert.equal(com.entryPointClsid?.kind, 'expression');
  assert.equal(com.name?.kind === 'string' && com.name.value, 'ComTask', 'App SDK Register(String name)');
  assert.equal(facts.constants['Registrations.EntryPoints.Maintenance'], 'Tasks.MaintenanceTask');
});

test('builder kind follows usings: App SDK using alone, both usings ambiguous', () => {
  const body = 'class R { void M() { var b = new BackgroundTaskBuilder(); b.Register(); } }';
  const kind = (usings: string) => extractCSharp('/w/k.cs', usings + body).registrations[0].builderKind;
  assert.equal(kind('using Microsoft.Windows.ApplicationModel.Background;\n'), 'appsdk');
  assert.equal(kind('using Windows.ApplicationModel.Background;\n'), 'winrt');
  assert.equal(kind('using Windows.ApplicationModel.Background;\nusing Microsoft.Windows.ApplicationModel.Background;\n'), 'unknown');
  assert.equal(kind(''), 'unknown');
  const aliased = extractCSharp('/w/a.cs', 'using Builder = Microsoft.Windows.ApplicationModel.Background.BackgroundTaskBuilder;\nclass R { void M() { var b = new Builder(); b.Register(); } }');
  assert.equal(aliased.registrations[0]?.builderKind, 'appsdk');
  const namespaceAlias = extractCSharp('/w/n.cs', 'using Windows.ApplicationModel.Background;\nusing AppSdk = Microsoft.Windows.ApplicationModel.Background;\nclass R { void M() { var b = new AppSdk.BackgroundTaskBuilder(); var w = new BackgroundTaskBuilder(); } }');
  assert.deepEqual(namespaceAlias.registrations.map((r) => r.builderKind), ['appsdk', 'winrt']);
});

test('AllTasks checks: the method, a same-file caller, or another member of the class (§8 #9)', () => {
  const text = [
    'class Unguarded {',
    '  void Unchecked() { var b = new BackgroundTaskBuilder(); b.Register(); }',
    '}',
    'class Registrar {',
    '  void Lookup() { foreach (var t in BackgroundTaskRegistration.AllTasks) { } }',
    '  void Sibling() { var b = new BackgroundTaskBuilder(); b.Register(); }',
    '}',
    'class Callers {',
    '  void Helper() { var b = new BackgroundTaskBuilder(); b.Register(); }',
    '  void Nested() { void Local() { var b = new BackgroundTaskBuilder(); b.Register(); } Local(); }',
    '}',
    'class Other { void Start() { if (BackgroundTaskRegistration.AllTasks.Count == 0) new Callers().Helper(); } }',
    '// BackgroundTaskRegistration.AllTasks in a comment does not count; nor does "AllTasks" in a string',
  ].join('\n');
  const facts = extractCSharp('/w/a.cs', text);
  assert.deepEqual(facts.registrations.map((r) => [r.enclosingFunction, r.allTasksChecked]), [['Unchecked', false], ['Sibling', true], ['Helper', true], ['Local', false]]);
});

test('CRLF line endings give the same facts with CRLF offsets', () => {
  const { text, facts } = fixture('Registrations.cs');
  const crlf = text.replace(/\n/g, '\r\n');
  const crlfFacts = extractCSharp('/w/Registrations.cs', crlf);
  assert.equal(crlfFacts.registrations.length, facts.registrations.length);
  for (const r of crlfFacts.registrations) {
    assert.equal(at(crlf, r.registerCall), `${r.builderVariable}.Register(${r.builderKind === 'appsdk' ? '"ComTask"' : ''})`);
    assert.ok(!r.indent.includes('\r') && !r.indent.includes('\n'));
  }
  assert.equal(at(crlf, crlfFacts.registrations[0].entryPoint?.span), '@"Tasks.TimeTask"');
  assertSpansInside(crlfFacts, crlf);
});

test('a BOM and non-ASCII text before a class keep UTF-16 offsets exact', () => {
  // C# identifiers take letters from any script (not emoji); comments and strings take anything.
  const text = '\uFEFF// Überprüfung 🚀 日本語 façade\nusing Windows.ApplicationModel.Background;\nnamespace Ns { /* 🚀🚀 */ public sealed class Tâche日本Task : IBackgroundTask { public void Run(IBackgroundTaskInstance i) { var d = i.GetDeferral(); d.Complete(); } }\n'
    + 'class R { void M() { var b = new BackgroundTaskBuilder { Name = "🚀", TaskEntryPoint = "Ns.Tâche日本Task" }; b.Register(); } } }';
  const facts = extractCSharp('/w/u.cs', text);
  const task = facts.taskClasses[0];
  assert.equal(at(text, task.nameSpan), 'Tâche日本Task');
  assert.equal(task.fullName, 'Ns.Tâche日本Task');
  assert.equal(at(text, task.run?.deferrals[0].span), 'i.GetDeferral()');
  const ep = facts.registrations[0].entryPoint!;
  assert.equal(at(text, ep.span), '"Ns.Tâche日本Task"');
  assert.equal(ep.kind === 'string' && ep.value, 'Ns.Tâche日本Task');
  const name = facts.registrations[0].name!;
  assert.equal(at(text, name.span), '"🚀"');
  assertSpansInside(facts, text);
});

test('half-typed code: a missing closing brace mid-file keeps the task, its namespace and the registration', () => {
  const text = [
    'using Windows.ApplicationModel.Background;',
    'namespace Tasks',
    '{',
    '    public sealed class Half : IBackgroundTask',
    '    {',
    '        public void Run(IBackgroundTaskInstance t)',
    '        {',
    '            var d = t.GetDeferral();',
    '            if (busy) {',
    '            d.Complete();',
    '        }',
    '    }',
    '',
    '    public sealed class Reg',
    '    {',
    '        void M() { var b = new BackgroundTaskBuilder(); b.TaskEntryPoint = "Tasks.Half"; b.SetTrigger(new SystemTrigger(SystemTriggerType.TimeZoneChange, false)); b.Register(); }',
    '    }',
    '}',
  ].join('\n');
  const facts = extractCSharp('/w/h.cs', text);
  assert.equal(facts.taskClasses[0]?.fullName, 'Tasks.Half');
  assert.equal(at(text, facts.taskClasses[0].run?.deferrals[0]?.span), 't.GetDeferral()');
  const r = facts.registrations[0];
  assert.equal(r.entryPoint?.kind === 'string' && r.entryPoint.value, 'Tasks.Half');
  assert.equal(r.trigger?.systemTriggerType?.name, 'TimeZoneChange');
  assertSpansInside(facts, text);
});

test('half-typed code: a statement being typed at the end of the file', () => {
  const text = 'using Windows.ApplicationModel.Background;\nnamespace Tasks\n{\n    public sealed class Half : IBackgroundTask\n    {\n        public void Run(IBackgroundTaskInstance t)\n        {\n            var d = t.GetDeferral();\n            d.Comp\n        }\n    }\n'
    + '    public sealed class Reg\n    {\n        void M() { var b = new BackgroundTaskBuilder(); b.TaskEntryPoint = "Tasks.Half"; b.SetTrigger(new SystemTrigger(SystemTriggerType.';
  const facts = extractCSharp('/w/h.cs', text);
  assert.equal(facts.taskClasses[0]?.fullName, 'Tasks.Half');
  assert.equal(facts.taskClasses[0].run?.deferrals[0]?.completed, false);
  assert.equal(facts.registrations[0]?.entryPoint?.kind === 'string' && facts.registrations[0].entryPoint.value, 'Tasks.Half');
  assertSpansInside(facts, text);
  assert.deepEqual(facts.problems, []);
});

test('an unterminated block comment never throws; tree-sitter recovers the classes around it', () => {
  const text = 'public sealed class Before : IBackgroundTask { public void Run(IBackgroundTaskInstance t) { } }\n/* unterminated\npublic sealed class After : IBackgroundTask { }\n';
  const facts = extractCSharp('/w/c.cs', text);
  // The compiler would read `After` as comment; keeping it steadies diagnostics while the user types `*/`.
  assert.equal(facts.taskClasses[0]?.name, 'Before');
  assert.equal(at(text, facts.taskClasses[0].nameSpan), 'Before');
  assertSpansInside(facts, text);
  assert.deepEqual(facts.problems, []);
});

test('binary junk, empty text and every prefix of a real file never throw and keep spans inside the text', () => {
  const junk = Array.from({ length: 4000 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff)).join('');
  for (const text of ['', '\0\0\0', junk, 'class', 'class A : IBackgroundTask', '{{{{{{', 'new BackgroundTaskBuilder { Name = ']) {
    const facts = extractCSharp('/w/j.cs', text);
    assertSpansInside(facts, text);
  }
  const { text } = fixture('SampleConfiguration.cs');
  for (let end = 0; end < text.length; end += 211) {
    const prefix = text.slice(0, end);
    const facts = extractCSharp('/w/p.cs', prefix);
    assert.deepEqual(facts.problems, [], `prefix ${end}`);
    assertSpansInside(facts, prefix, `prefix ${end}`);
  }
});

test('every span in every fixture lies inside its text', () => {
  for (const name of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.cs'))) {
    const { text, facts } = fixture(name);
    assertSpansInside(facts, text, name);
    assert.deepEqual(facts.problems, [], name);
  }
});

test('a 300-line file extracts (its time is printed; the speed target lives in npm run bench, not in a timed unit test)', () => {
  const parts = ['SampleBackgroundTask.cs', 'Registrations.cs', 'SampleConfiguration.cs'].map((f) => fixture(f).text);
  const text = parts.join('\n');
  const lines = text.split('\n').length;
  assert.ok(lines >= 300, `${lines} lines`);
  for (let i = 0; i < 5; i++) extractCSharp('/w/warm.cs', text);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    extractCSharp('/w/big.cs', text);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1];
  console.log(`# csharp extraction: ${lines} lines, median ${median.toFixed(2)} ms`);
  assert.ok(extractCSharp('/w/big.cs', text).taskClasses.length > 0, 'the joined file still yields its task classes');
});
