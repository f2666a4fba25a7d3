// Tests for the JavaScript/TypeScript facts extractor (src/core/parsers/javascript.ts): registrations
// through the WinRT camelCase projection and its aliases, helper registrations and their call sites
// (modelled on the official BackgroundTask sample's global.js), constants, task scripts, TypeScript
// task classes, exact UTF-16 spans, and robustness on half-typed and odd input.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractJavaScript } from '../../src/core/parsers/javascript';
import { extractFacts } from '../../src/core/parsers/extract';
import { loadGrammar } from '../../src/core/parsers/treeSitter';
import { linkRegistrations } from '../../src/core/workspace/apps';
import type { FileFacts, Span } from '../../src/core/facts/types';

const FIXTURES = path.join(process.env.BGTASK_REPO ?? process.cwd(), 'test/parsers/fixtures/javascript');

/** Fixtures of TypeScript are stored as `.ts.txt` so the project's type-check leaves them alone. */
function fixture(name: string): { text: string; facts: FileFacts } {
  const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  const file = name.replace(/\.txt$/, '');
  return { text, facts: extractJavaScript(`/w/${file}`, text, file.endsWith('.ts')) };
}

const js = (text: string) => extractJavaScript('/w/a.js', text, false);
const ts = (text: string) => extractJavaScript('/w/a.ts', text, true);
const at = (text: string, span: Span | undefined) => (span ? text.slice(span.start, span.end) : undefined);

/** Every span and offset anywhere in the facts lies inside the text. */
function assertSpansInside(facts: unknown, text: string, where = 'facts'): void {
  if (!facts || typeof facts !== 'object') return;
  const o = facts as Record<string, unknown>;
  if (typeof o.start === 'number' && typeof o.end === 'number') {
    assert.ok(0 <= o.start && o.start <= o.end && o.end <= text.length, `${where}: span ${o.start}-${o.end} outside 0-${text.length}`);
  }
  for (const key of ['offset', 'statementStart', 'closeInsertOffset']) {
    if (typeof o[key] === 'number') assert.ok((o[key] as number) >= 0 && (o[key] as number) <= text.length, `${where}.${key} outside the text`);
  }
  for (const [k, v] of Object.entries(o)) assertSpansInside(v, text, `${where}.${k}`);
}

before(async () => {
  await loadGrammar('tsx');
  await loadGrammar('typescript');
});

test('sample global.js: registerBackgroundTask is a helper fed from its parameters; names and entry points are constants', () => {
  const { text, facts } = fixture('global.js');
  assert.equal(facts.kind, 'javascript');
  assert.equal(facts.registrations.length, 1);
  const r = facts.registrations[0];
  assert.equal(at(text, r.span), 'new Windows.ApplicationModel.Background.BackgroundTaskBuilder()');
  assert.equal(r.builderVariable, 'builder');
  assert.equal(r.builderKind, 'winrt');
  assert.equal(r.enclosingFunction, 'registerBackgroundTask', 'named after its object key');
  assert.deepEqual(r.helperParameters, { entryPoint: 0, name: 1, trigger: 2, condition: 3 });
  assert.deepEqual(r.name, { kind: 'reference', name: 'taskName', span: r.name!.span });
  assert.equal(at(text, r.entryPoint?.span), 'taskEntryPoint');
  assert.deepEqual(r.trigger, { className: 'unknown', span: r.trigger!.span, unresolved: true });
  assert.deepEqual(r.conditions, [], 'the condition comes from each call site');
  assert.equal(r.cancelOnConditionLoss?.kind === 'boolean' && r.cancelOnConditionLoss.value, true);
  assert.equal(at(text, r.registerCall), 'builder.register()');
  assert.equal(r.registerGuarded, false);
  assert.equal(r.allTasksChecked, true, 'unregisterBackgroundTasks, in the same file, walks allTasks');
  assert.equal(r.completedHandler, true, 'attachProgressAndCompletedHandlers subscribes to completed');
  assert.equal(text.slice(r.statementStart, r.statementStart + 11), 'var builder');
  assert.equal(r.indent, '        ');
  assert.equal(facts.constants['BackgroundTaskSample.javaScriptBackgroundTaskEntryPoint'], 'js\\backgroundtask.js', 'escapes decoded');
  assert.equal(facts.constants['sampleBackgroundTaskName'], 'SampleBackgroundTask');
  assert.equal(facts.constants['BackgroundTaskSample.sampleBackgroundTaskRegistered'], undefined, 'only strings');
  assert.deepEqual(facts.calls.map((c) => c.callee), ['cur.unregister'], 'no call here reaches the helper');
  assert.deepEqual(facts.jsTasks, []);
  assert.deepEqual(facts.problems, []);
});

test('sample scenario: helper calls with an inline SystemTrigger, a SystemCondition and an ApplicationTrigger variable', () => {
  const { text, facts } = fixture('scenario.js');
  const helperCalls = facts.calls.filter((c) => c.callee === 'BackgroundTaskSample.registerBackgroundTask');
  assert.equal(helperCalls.length, 3);
  const [first, second, third] = helperCalls;
  assert.equal(first.enclosingFunction, 'registerJavaScriptTask');
  assert.equal(first.guarded, false);
  assert.deepEqual(first.args.map((a) => a.value.kind), ['reference', 'reference', 'expression', 'expression']);
  assert.equal(first.args[0].value.kind === 'reference' && first.args[0].value.name, 'BackgroundTaskSample.javaScriptBackgroundTaskEntryPoint');
  const trigger = first.args[2].trigger!;
  assert.equal(trigger.className, 'SystemTrigger');
  assert.equal(at(text, trigger.span), 'new Windows.ApplicationModel.Background.SystemTrigger(Windows.ApplicationModel.Background.SystemTriggerType.timeZoneChange, false)');
  assert.equal(trigger.systemTriggerType?.name, 'TimeZoneChange', 'camelCase member reported in PascalCase');
  assert.equal(at(text, trigger.systemTriggerType?.span), 'timeZoneChange');
  assert.equal(trigger.oneShot?.kind === 'boolean' && trigger.oneShot.value, false);
  assert.equal(first.args[3].value.kind === 'expression' && first.args[3].value.text, 'null');

  assert.equal(second.args[1].value.kind === 'string' && second.args[1].value.value, 'SampleBackgroundTaskWithCondition');
  assert.equal(second.args[2].trigger?.systemTriggerType?.name, 'TimeZoneChange', 'through the `background` alias');
  assert.equal(second.args[3].condition?.type, 'UserPresent');
  assert.equal(at(text, second.args[3].condition?.typeSpan), 'userPresent');

  const app = third.args[2].trigger;
  assert.deepEqual(app && { className: app.className, unresolved: app.unresolved, text: at(text, app.span) }, { className: 'ApplicationTrigger', unresolved: undefined, text: 'new background.ApplicationTrigger()' });
  assert.deepEqual(facts.applicationTriggerRequests.map((s) => at(text, s)), ['trigger.requestAsync()']);
  assert.deepEqual(facts.registrations, []);
});

test('sample files link into concrete registrations through the helper and the constants', () => {
  const files = ['global.js', 'scenario.js'].map((f) => fixture(f).facts);
  const linked = linkRegistrations(files).map(({ registration: r }) => ({
    name: r.name?.kind === 'string' ? r.name.value : r.name?.kind,
    entryPoint: r.entryPoint?.kind === 'string' ? r.entryPoint.value : r.entryPoint?.kind,
    trigger: r.trigger?.systemTriggerType?.name ?? r.trigger?.className,
    conditions: r.conditions.map((c) => c.type),
    cancelOnConditionLoss: r.cancelOnConditionLoss?.kind === 'boolean' ? r.cancelOnConditionLoss.value : undefined,
    allTasksChecked: r.allTasksChecked,
  }));
  assert.deepEqual(linked, [
    { name: 'SampleJavaScriptBackgroundTask', entryPoint: 'js\\backgroundtask.js', trigger: 'TimeZoneChange', conditions: [], cancelOnConditionLoss: undefined, allTasksChecked: true },
    { name: 'SampleBackgroundTaskWithCondition', entryPoint: 'Tasks.SampleBackgroundTask', trigger: 'TimeZoneChange', conditions: ['UserPresent'], cancelOnConditionLoss: true, allTasksChecked: true },
    { name: 'ApplicationTriggerTask', entryPoint: 'Tasks.SampleBackgroundTask', trigger: 'ApplicationTrigger', conditions: [], cancelOnConditionLoss: undefined, allTasksChecked: true },
  ]);
});

test('a task script: WebUIBackgroundTaskInstance.current, oncanceled, close() in a nested function', () => {
  const { text, facts } = fixture('backgroundtask.js');
  assert.equal(facts.jsTasks.length, 1);
  const task = facts.jsTasks[0];
  assert.equal(at(text, task.span), 'Windows.UI.WebUI.WebUIBackgroundTaskInstance.current');
  assert.equal(task.callsClose, true);
  assert.equal(task.handlesCanceled, true);
  assert.equal(text.slice(0, task.closeInsertOffset).trimEnd().slice(-5), '})();', 'after the last statement');
  assert.equal(text.slice(task.closeInsertOffset).trim(), '');
});

test('close(): only the worker global counts; listeners, aliases and the fix offset', () => {
  const script = (body: string) => `var instance = Windows.UI.WebUI.WebUIBackgroundTaskInstance.current;\n${body}\n// trailing comment\n`;
  const closes = (body: string) => js(script(body)).jsTasks[0]?.callsClose;
  assert.equal(closes('file.close(); stream.close();'), false, 'x.close() is another object');
  assert.equal(closes('function close() {} close();'), false, 'a local function named close');
  assert.equal(closes('// close();\nvar s = "close()";'), false);
  assert.equal(closes('close();'), true);
  assert.equal(closes('self.close();'), true, 'the worker global scope');
  assert.equal(closes('work().done(close, close);'), true, 'handed over as a callback');
  assert.equal(closes('if (x) { setTimeout(function () { close(); }, 10); }'), true);

  const text = script('instance.addEventListener("canceled", onCanceled);\ndoWork();');
  const task = js(text).jsTasks[0];
  assert.equal(task.handlesCanceled, true);
  assert.equal(text.slice(0, task.closeInsertOffset).slice(-9), 'doWork();', 'before the trailing comment');
  assert.equal(js(script('')).jsTasks[0].handlesCanceled, false);

  const aliased = 'var WebUI = Windows.UI.WebUI;\nvar instance = WebUI.WebUIBackgroundTaskInstance.current;\n';
  assert.equal(at(aliased, js(aliased).jsTasks[0]?.span), 'WebUI.WebUIBackgroundTaskInstance.current');
  assert.deepEqual(js('var current = other.current; // WebUIBackgroundTaskInstance\n').jsTasks, []);
});

test('registration shapes: aliases, followed locals, promise error handlers, conditions, folding', () => {
  const { text, facts } = fixture('Registrations.js');
  assert.equal(facts.registrations.length, 3);
  const [time, maintenance, later] = facts.registrations;

  assert.equal(at(text, time.span), 'new bg.BackgroundTaskBuilder()');
  assert.equal(time.name?.kind === 'string' && time.name.value, 'TimeTask');
  assert.equal(at(text, time.name?.span), '"TimeTask"', 'string spans include the quotes');
  assert.equal(time.entryPoint?.kind === 'string' && time.entryPoint.value, 'js/time.js');
  assert.equal(time.isNetworkRequested?.kind === 'boolean' && time.isNetworkRequested.value, true);
  assert.equal(time.trigger?.className, 'TimeTrigger');
  assert.equal(time.trigger?.freshness?.kind === 'number' && time.trigger.freshness.value, 15);
  assert.deepEqual(time.conditions.map((c) => [c.type, at(text, c.typeSpan)]), [['InternetAvailable', 'internetAvailable'], ['UserPresent', 'userPresent']]);
  assert.equal(at(text, time.conditions[0].span), 'builder.addCondition(condition)', 'followed to its `new`');
  assert.equal(time.registerGuarded, true);
  assert.equal(time.completedHandler, true, 'oncompleted');
  assert.equal(time.allTasksChecked, false);

  assert.equal(at(text, maintenance.span), 'new Builder()', 'an alias of the builder class');
  assert.equal(maintenance.builderVariable, 'maintenance');
  assert.equal(maintenance.name?.kind === 'string' && maintenance.name.value, 'Maintenance');
  assert.deepEqual(maintenance.entryPoint, { kind: 'string', value: 'js\\maintenance.js', span: maintenance.entryPoint!.span }, 'a const local naming a constant, followed to its literal');
  assert.equal(at(text, maintenance.entryPoint?.span), '"js\\\\maintenance.js"');
  assert.equal(facts.constants.MAINTENANCE_ENTRY, 'js\\maintenance.js');
  assert.equal(maintenance.trigger?.className, 'MaintenanceTrigger');
  assert.equal(maintenance.trigger?.freshness?.kind === 'number' && maintenance.trigger.freshness.value, 1440, '60 * 24 folded');
  assert.equal(maintenance.trigger?.oneShot?.kind === 'boolean' && maintenance.trigger.oneShot.value, true);
  assert.equal(at(text, maintenance.registerCall), 'maintenance.register()', 'in a callback of the function holding the builder');
  assert.equal(maintenance.registerGuarded, true, '.done(ok, error)');
  assert.equal(maintenance.enclosingFunction, 'registerMaintenance', 'anonymous callbacks are looked through');

  assert.equal(later.trigger?.systemTriggerType?.name, 'NetworkStateChange');
  assert.equal(later.registerGuarded, false, '.then(ok) without an error handler');
  assert.deepEqual(facts.requestAccess.map((s) => at(text, s)), ['bg.BackgroundExecutionManager.requestAccessAsync()']);
});

test('aliases: namespace, builder class, destructuring, chains of aliases; the App SDK namespace', () => {
  const kinds = (text: string) => js(text).registrations.map((r) => r.builderKind);
  assert.deepEqual(kinds('var b = new Windows.ApplicationModel.Background.BackgroundTaskBuilder();'), ['winrt']);
  assert.deepEqual(kinds('var ns = Windows.ApplicationModel; var bg = ns.Background; var b = new bg.BackgroundTaskBuilder();'), ['winrt']);
  assert.deepEqual(kinds('const { BackgroundTaskBuilder } = Windows.ApplicationModel.Background; const b = new BackgroundTaskBuilder();'), ['winrt']);
  assert.deepEqual(kinds('var B = Microsoft.Windows.ApplicationModel.Background.BackgroundTaskBuilder; var b = new B();'), ['appsdk']);
  assert.deepEqual(kinds('var b = new BackgroundTaskBuilderFactory(); var c = new Background.TaskBuilder();'), []);

  const text = [
    'var bg = Windows.ApplicationModel.Background;',
    'var Trigger = bg.SystemTrigger, Types = bg.SystemTriggerType;',
    'function f() {',
    '    var b = new bg.BackgroundTaskBuilder();',
    '    var t = new Trigger(Types.userPresent, false);',
    '    b.setTrigger(t);',
    '    b.register();',
    '}',
  ].join('\n');
  const r = js(text).registrations[0];
  assert.equal(r.trigger?.className, 'SystemTrigger');
  assert.equal(r.trigger?.systemTriggerType?.name, 'UserPresent');
  assert.equal(at(text, r.trigger?.span), 'new Trigger(Types.userPresent, false)');
  const access = 'var M = Windows.ApplicationModel.Background.BackgroundExecutionManager;\nM.requestAccessAsync().then(go);\nOther.requestAccessAsync();';
  assert.deepEqual(js(access).requestAccess.map((s) => at(access, s)), ['M.requestAccessAsync()']);
});

test('builders are matched per function: the same variable name in two functions, reassignment wins', () => {
  const text = [
    'var bg = Windows.ApplicationModel.Background;',
    'function one() { var builder = new bg.BackgroundTaskBuilder(); builder.name = "One"; builder.name = "Uno"; builder.register(); }',
    'function two() { var builder = new bg.BackgroundTaskBuilder(); builder.name = "Two"; }',
    'function three(builder) { builder.name = "Three"; builder.register(); }',
  ].join('\n');
  const facts = js(text);
  assert.deepEqual(facts.registrations.map((r) => [r.enclosingFunction, r.name?.kind === 'string' && r.name.value, !!r.registerCall]), [['one', 'Uno', true], ['two', 'Two', false]]);
});

test('helper registrations: function declarations, var functions, methods; the calls that reach them', () => {
  const text = [
    'var bg = Windows.ApplicationModel.Background;',
    'function registerTask(entryPoint, name, trigger) {',
    '    var b = new bg.BackgroundTaskBuilder();',
    '    b.taskEntryPoint = entryPoint; b.name = name; b.setTrigger(trigger);',
    '    try { b.register(); } catch (e) { }',
    '}',
    'var registerOther = function (taskGroup) { var b = new bg.BackgroundTaskBuilder(); b.taskGroup = taskGroup; b.register(); };',
    'class Registrar { add(n) { const b = new bg.BackgroundTaskBuilder(); b.name = n; b.register(); } }',
    'var TASK = "js\\\\task.js";',
    'function start() {',
    '    var name = "Local";',
    '    registerTask(TASK, name, new bg.TimeTrigger(30, false));',
    '    new Registrar().add("Added");',
    '}',
  ].join('\n');
  const facts = js(text);
  assert.deepEqual(facts.registrations.map((r) => [r.enclosingFunction, r.helperParameters]), [
    ['registerTask', { entryPoint: 0, name: 1, trigger: 2 }],
    ['registerOther', { taskGroup: 0 }],
    ['add', { name: 0 }],
  ]);
  assert.equal(facts.registrations[0].registerGuarded, true);
  const call = facts.calls.find((c) => c.callee === 'registerTask')!;
  assert.deepEqual(call.args.map((a) => a.value.kind === 'string' ? a.value.value : a.value.kind), ['js\\task.js', 'Local', 'expression'], 'variables holding literals followed');
  const param = js('function caller(ep) { registerTask(ep, Sample.name, trigger); }').calls[0];
  assert.deepEqual(param.args.map((a) => a.value.kind === 'reference' && a.value.name), ['ep', 'Sample.name', 'trigger']);
  assert.equal(call.args[2].trigger?.className, 'TimeTrigger');
  assert.equal(call.enclosingFunction, 'start');
  assert.equal(facts.constants.TASK, 'js\\task.js');
  assert.equal(facts.constants.name, undefined, 'a function local is no constant');
  assert.ok(facts.calls.some((c) => c.callee === 'add'), '`new Registrar().add(...)` reaches the helper by its name');
  const linked = linkRegistrations([facts]).filter((e) => e.registration.viaHelperCall);
  assert.deepEqual(linked.map((e) => [e.registration.name?.kind === 'string' && e.registration.name.value, e.registration.entryPoint?.kind === 'string' && e.registration.entryPoint.value]), [['Local', 'js\\task.js'], ['Added', false]]);
});

test('allTasks checks: the function, a caller, a callee, the class; file-wide outside classes (§8 #9)', () => {
  const checked = (text: string) => js(text).registrations.map((r) => [r.enclosingFunction, r.allTasksChecked]);
  const reg = (fn: string) => `function ${fn}() { var b = new Windows.ApplicationModel.Background.BackgroundTaskBuilder(); b.register(); }`;
  assert.deepEqual(checked(reg('alone') + '\n// BackgroundTaskRegistration.allTasks in a comment\nvar s = "allTasks";'), [['alone', false]]);
  assert.deepEqual(checked(reg('anywhere') + '\nfunction find() { return Windows.ApplicationModel.Background.BackgroundTaskRegistration.allTasks; }'), [['anywhere', true]]);
  const classes = [
    'class Unchecked { a() { var b = new Windows.ApplicationModel.Background.BackgroundTaskBuilder(); b.register(); } }',
    'class Checked { find() { return BackgroundTaskRegistration.allTasks; } b() { var b = new Windows.ApplicationModel.Background.BackgroundTaskBuilder(); b.register(); } }',
    'class Called { c() { var b = new Windows.ApplicationModel.Background.BackgroundTaskBuilder(); b.register(); } }',
    'class Caller { go() { if (BackgroundTaskRegistration.allTasks.size === 0) new Called().c(); } }',
    'class Callee { d() { if (!this.find()) { var b = new Windows.ApplicationModel.Background.BackgroundTaskBuilder(); b.register(); } } }',
    'function find() { return BackgroundTaskRegistration.allTasks; }',
  ].join('\n');
  // Calls match by name only (no types), like the C# rule for same-file callers.
  assert.deepEqual(checked(classes), [['a', false], ['b', true], ['c', true], ['d', true]]);
});

test('comments, strings, templates and regexes that look like code produce no facts', () => {
  const { facts } = fixture('Decoys.js');
  assert.deepEqual(facts.registrations, []);
  assert.deepEqual(facts.calls, []);
  assert.deepEqual(facts.jsTasks, []);
  assert.deepEqual(facts.requestAccess, []);
  assert.deepEqual(facts.taskClasses, []);
  assert.deepEqual(Object.keys(facts.constants), ['text', 'html'], 'a template with substitutions is no constant');
  assert.deepEqual(facts.problems, []);
});

test('a TypeScript task class: namespace, exported, async run, deferral completed in finally, canceled', () => {
  const { text, facts } = fixture('TaskClass.ts.txt');
  assert.equal(facts.kind, 'typescript');
  assert.deepEqual(facts.taskClasses.map((t) => t.fullName), ['Tasks.Background.SyncTask', 'Tasks.Background.HiddenTask', 'TopLevel']);
  const [sync, hidden, top] = facts.taskClasses;
  assert.equal(sync.language, 'typescript');
  assert.equal(at(text, sync.nameSpan), 'SyncTask');
  assert.ok(at(text, sync.span)!.startsWith('export class SyncTask'));
  assert.equal(sync.isPublic, true);
  assert.equal(sync.isSealed, true, 'TypeScript has no sealed; task-class-not-sealed must not fire');
  assert.equal(sync.sealedFix, undefined);
  assert.equal(sync.publicFix, undefined);
  assert.equal(sync.handlesCanceled, true);
  assert.equal(text.slice(sync.bodyInsert!.offset - 1, sync.bodyInsert!.offset), '{');
  assert.equal(sync.bodyInsert!.indent, '        ');
  const run = sync.run!;
  assert.equal(at(text, run.nameSpan), 'run');
  assert.equal(run.isAsync, true);
  assert.ok(at(text, run.bodySpan)!.startsWith('{') && at(text, run.bodySpan)!.endsWith('}'));
  assert.equal(at(text, run.asyncWork), 'await this.warmUp()');
  assert.equal(run.hasTryFinally, true);
  assert.deepEqual(run.deferrals.map((d) => ({ ...d, span: at(text, d.span) })), [
    { span: 'taskInstance.getDeferral()', variable: 'deferral', completed: true, completedInFinally: true, afterAwait: true },
  ]);

  assert.equal(hidden.isPublic, false, 'not exported');
  assert.equal(hidden.handlesCanceled, false);
  assert.equal(hidden.run?.isAsync, false);
  assert.equal(at(text, hidden.run?.asyncWork), 'Windows.Storage.ApplicationData.current.localFolder.createFileAsync("x")', 'a fire-and-forget *Async call');
  assert.deepEqual(hidden.run?.deferrals.map((d) => [d.variable, d.completed]), [['lost', false]]);

  assert.equal(top.isPublic, true, 'export default');
  assert.equal(top.run, undefined);
  assert.equal(facts.constants['TopLevel.TaskName'], 'TopLevel', 'static class field');
  assert.deepEqual(facts.classes, []);
});

test('.js files parse with tsx and .ts with typescript; extractFacts dispatches both', () => {
  // `<T>x` is a type assertion in .ts and JSX in .tsx/.js.
  const text = 'var b = <any>new Windows.ApplicationModel.Background.BackgroundTaskBuilder();\nb.name = "Cast";\nb.register();\n';
  const cast = ts(text).registrations[0];
  assert.equal(cast?.builderVariable, 'b');
  assert.deepEqual(cast?.name && { kind: cast.name.kind, text: at(text, cast.name.span) }, { kind: 'string', text: '"Cast"' });
  const viaExtract = extractFacts('/w/js/default.js', 'javascript', 'var b = new Windows.ApplicationModel.Background.BackgroundTaskBuilder(); b.register();');
  assert.equal(viaExtract.registrations.length, 1);
  const ignored = extractFacts('/w/js/other.js', 'javascript', 'var b = new Foo(); // nothing about background tasks');
  assert.deepEqual(ignored.registrations, []);
});

test('in-process activation: addEventListener("backgroundactivated") sets onBackgroundActivated', () => {
  const text = 'Windows.UI.WebUI.WebUIApplication.addEventListener("backgroundactivated", function (args) { var d = args.taskInstance.getDeferral(); d.complete(); });';
  assert.equal(at(text, js(text).onBackgroundActivated), '"backgroundactivated"');
  assert.equal(js('var s = "backgroundactivated"; // Background').onBackgroundActivated, undefined);
});

test('CRLF line endings give the same facts with CRLF offsets', () => {
  const { text, facts } = fixture('Registrations.js');
  const crlf = text.replace(/\r?\n/g, '\r\n');
  const crlfFacts = extractJavaScript('/w/Registrations.js', crlf, false);
  assert.equal(crlfFacts.registrations.length, facts.registrations.length);
  for (const r of crlfFacts.registrations) {
    assert.equal(at(crlf, r.registerCall), `${r.builderVariable}.register()`);
    assert.ok(!r.indent.includes('\r') && !r.indent.includes('\n'));
    assert.equal(crlf.slice(r.statementStart - r.indent.length - 2, r.statementStart - r.indent.length), '\r\n');
  }
  assert.equal(at(crlf, crlfFacts.registrations[0].entryPoint?.span), '"js/time.js"');
  const task = extractJavaScript('/w/t.js', fixture('backgroundtask.js').text.replace(/\r?\n/g, '\r\n'), false).jsTasks[0];
  assert.equal(task.callsClose, true);
  assertSpansInside(crlfFacts, crlf);
});

test('a BOM and non-ASCII text before a registration keep UTF-16 offsets exact', () => {
  const text = '\uFEFF// Überprüfung 🚀 日本語 façade\nvar 名前 = "タスク🚀";\n/* 🚀🚀 */ var bg = Windows.ApplicationModel.Background;\n'
    + 'function régistrer() { var b = new bg.BackgroundTaskBuilder(); b.name = 名前; b.taskEntryPoint = "js\\\\tâche.js"; b.register(); }\n'
    + 'var inst = Windows.UI.WebUI.WebUIBackgroundTaskInstance.current; close();';
  const facts = js(text);
  const r = facts.registrations[0];
  assert.equal(at(text, r.span), 'new bg.BackgroundTaskBuilder()');
  assert.equal(r.enclosingFunction, 'régistrer');
  assert.equal(at(text, r.name?.span), '"タスク🚀"', 'a local holding a literal stands for it');
  assert.equal(r.name?.kind === 'string' && r.name.value, 'タスク🚀');
  assert.equal(at(text, r.entryPoint?.span), '"js\\\\tâche.js"');
  assert.equal(r.entryPoint?.kind === 'string' && r.entryPoint.value, 'js\\tâche.js');
  assert.equal(at(text, r.registerCall), 'b.register()');
  assert.equal(at(text, facts.jsTasks[0].span), 'Windows.UI.WebUI.WebUIBackgroundTaskInstance.current');
  assert.equal(facts.jsTasks[0].closeInsertOffset, text.length);
  assert.equal(facts.constants['名前'], 'タスク🚀');
  assertSpansInside(facts, text);
});

test('half-typed code: a missing closing brace mid-file keeps the registration and the task', () => {
  const text = [
    'var bg = Windows.ApplicationModel.Background;',
    'function half() {',
    '    if (busy) {',
    '    var b = new bg.BackgroundTaskBuilder();',
    '    b.name = "Half";',
    '    b.taskEntryPoint = "js\\\\half.js";',
    '    b.setTrigger(new bg.SystemTrigger(bg.SystemTriggerType.timeZoneChange, false));',
    '    b.register();',
    '}',
    'var instance = Windows.UI.WebUI.WebUIBackgroundTaskInstance.current;',
  ].join('\n');
  const facts = js(text);
  const r = facts.registrations[0];
  assert.equal(r?.name?.kind === 'string' && r.name.value, 'Half');
  assert.equal(r.entryPoint?.kind === 'string' && r.entryPoint.value, 'js\\half.js');
  assert.equal(r.trigger?.systemTriggerType?.name, 'TimeZoneChange');
  assert.equal(at(text, r.registerCall), 'b.register()');
  assert.equal(at(text, facts.jsTasks[0]?.span), 'Windows.UI.WebUI.WebUIBackgroundTaskInstance.current');
  assertSpansInside(facts, text);
  assert.deepEqual(facts.problems, []);
});

test('half-typed code: a statement being typed at the end of the file', () => {
  const text = 'var bg = Windows.ApplicationModel.Background;\nfunction f() {\n    var b = new bg.BackgroundTaskBuilder();\n    b.name = "Typing";\n    b.taskEntryPoint = "js\\\\t.js";\n    b.setTrigger(new bg.SystemTrigger(bg.SystemTriggerType.';
  const facts = js(text);
  const r = facts.registrations[0];
  assert.equal(r?.name?.kind === 'string' && r.name.value, 'Typing');
  assert.equal(r.entryPoint?.kind === 'string' && r.entryPoint.value, 'js\\t.js');
  assert.equal(r.registerCall, undefined);
  assertSpansInside(facts, text);
  assert.deepEqual(facts.problems, []);
  const unterminatedString = js('var b = new Windows.ApplicationModel.Background.BackgroundTaskBuilder();\nb.name = "Unterminated\nb.register();');
  assertSpansInside(unterminatedString, 'var b = new Windows.ApplicationModel.Background.BackgroundTaskBuilder();\nb.name = "Unterminated\nb.register();');
});

test('an unterminated block comment never throws; what precedes it is kept', () => {
  const text = 'var b = new Windows.ApplicationModel.Background.BackgroundTaskBuilder();\nb.name = "Before";\nb.register();\n/* unterminated\nvar c = new Windows.ApplicationModel.Background.BackgroundTaskBuilder();\nclose();\n';
  const facts = js(text);
  assert.equal(facts.registrations[0]?.name?.kind === 'string' && facts.registrations[0].name.value, 'Before');
  assert.equal(at(text, facts.registrations[0].registerCall), 'b.register()');
  assertSpansInside(facts, text);
  assert.deepEqual(facts.problems, []);
  const tsText = 'export class T implements IBackgroundTask { run(t) { t.getDeferral().complete(); } }\n/* never closed\nexport class U implements IBackgroundTask { }';
  const tsFacts = ts(tsText);
  assert.equal(tsFacts.taskClasses[0]?.name, 'T');
  assertSpansInside(tsFacts, tsText);
});

test('binary junk, empty text and every prefix of a real file never throw and keep spans inside the text', () => {
  const junk = Array.from({ length: 4000 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff)).join('');
  for (const text of ['', '\0\0\0', junk, 'new', 'new Windows.ApplicationModel.Background.BackgroundTaskBuilder(', '{{{{((((', '`${', 'class A implements IBackgroundTask', '"\\']) {
    assertSpansInside(js(text), text);
    assertSpansInside(ts(text), text);
  }
  for (const name of ['global.js', 'Registrations.js', 'TaskClass.ts.txt']) {
    const { text } = fixture(name);
    for (let end = 0; end < text.length; end += 97) {
      const prefix = text.slice(0, end);
      const facts = name.endsWith('.txt') ? ts(prefix) : js(prefix);
      assert.deepEqual(facts.problems, [], `${name} prefix ${end}`);
      assertSpansInside(facts, prefix, `${name} prefix ${end}`);
    }
  }
});

test('every span in every fixture lies inside its text', () => {
  for (const name of fs.readdirSync(FIXTURES)) {
    const { text, facts } = fixture(name);
    assertSpansInside(facts, text, name);
    assert.deepEqual(facts.problems, [], name);
  }
});

test('a 300-line file extracts (its time is printed; the speed target lives in npm run bench, not in a timed unit test)', () => {
  const text = ['global.js', 'scenario.js', 'Registrations.js', 'backgroundtask.js', 'global.js', 'scenario.js', 'Registrations.js'].map((f) => fixture(f).text).join('\n');
  const lines = text.split('\n').length;
  assert.ok(lines >= 300, `${lines} lines`);
  for (let i = 0; i < 5; i++) js(text);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    js(text);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1];
  console.log(`# javascript extraction: ${lines} lines, median ${median.toFixed(2)} ms`);
  assert.ok(js(text).registrations.length > 0, 'the joined file still yields its registrations');
});

test('TypeScript: `module` namespaces, class expressions and keyword tokens are scoped right', () => {
  const text = 'module Outer.Inner { export class A implements IBackgroundTask { run(t) { } } }\nvar B = class implements IBackgroundTask { run(t) { function inner() { } } };\n';
  const facts = ts(text);
  assert.deepEqual(facts.taskClasses.map((t) => [t.fullName, t.isPublic, at(text, t.nameSpan), !!t.run]), [['Outer.Inner.A', true, 'A', true], ['B', false, 'B', true]]);
});
