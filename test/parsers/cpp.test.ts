// Tests for the C++/CX and C++/WinRT facts extractor (src/core/parsers/cpp.ts): the length-preserving
// C++/CX masking, task classes split over a header and a .cpp (and how the rules read them together),
// C++/WinRT tasks, registrations and helper calls on fixtures modelled on the official samples,
// exact UTF-16 spans, robustness on half-typed and odd input, and extraction speed.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractCpp } from '../../src/core/parsers/cpp';
import { lexCpp, maskCx } from '../../src/core/parsers/cpp/mask';
import { loadGrammar } from '../../src/core/parsers/treeSitter';
import { linkRegistrations } from '../../src/core/workspace/apps';
import type { FileFacts, Span } from '../../src/core/facts/types';
import { checkPath, REPO } from '../helpers/ruleHarness';

const FIXTURES = path.join(REPO, 'test/parsers/fixtures/cpp');

function fixture(name: string): { text: string; facts: FileFacts } {
  const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  return { text, facts: extractCpp(`/w/${name}`, text) };
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

function applyEdit(text: string, span: Span, newText: string): string {
  return text.slice(0, span.start) + newText + text.slice(span.end);
}

/** Write files into a fresh temp folder, run the whole engine on it, return findings as `file:rule@text`. */
async function checkFiles(files: Record<string, string>): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-cpp-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const { findings, engine } = await checkPath(dir);
    return findings.map((f) => `${path.relative(dir, f.path)}:${f.ruleId}@${engine.textOf(f.path)?.slice(f.span.start, f.span.end)}`).sort();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

before(async () => {
  await loadGrammar('cpp');
});

// --- masking ------------------------------------------------------------------------------------

test('masking: C++/CX keywords become spaces, hats stars, and the length never changes', () => {
  const text = [
    '[Windows::Foundation::Metadata::WebHostHidden]',
    'public ref class Task sealed : public IBackgroundTask {',
    'public:',
    '    property Platform::String^ Name { Platform::String^ get(); void set(Platform::String^ v); }',
    '    event Handler^ Changed;',
    'internal:',
    '    void F(Platform::String^% s) { auto t = ref new Task(); for each (auto x in items) {} int y = a ^ b; y = a^b; }',
    '};',
    'public delegate void Handler(Platform::Object^ sender);',
    'public enum class E { A };',
  ].join('\n');
  const m = maskCx(text);
  assert.equal(m.text.length, text.length);
  assert.equal(m.cx, true);
  const lines = m.text.split('\n');
  assert.match(lines[0], /^ +$/);
  assert.equal(lines[1], '           class Task        : public IBackgroundTask {');
  assert.equal(lines[3].trimEnd(), '             Platform::String* Name ;');
  assert.equal(lines[4], '          Handler* Changed;');
  assert.equal(lines[5], 'private :');
  assert.equal(lines[6], '    void F(Platform::String*& s) { auto t =     new Task(); for      (auto x :  items) {} int y = a ^ b; y = a^b; }');
  assert.equal(lines[8], '                void Handler(Platform::Object* sender);');
  assert.equal(lines[9], '       enum class E { A };');
  const info = [...m.classes.values()][0];
  assert.equal(at(text, info.access?.span), 'public');
  assert.equal(at(text, info.cxWord), 'ref');
  assert.equal(at(text, info.sealed), 'sealed');
});

test('masking: comments, strings, raw strings, character literals and directives are left alone', () => {
  const text = [
    '// public ref class InComment sealed : IBackgroundTask { T^ x; }',
    '/* ref new X(); T^ y; */',
    'auto s = L"ref new BackgroundTaskBuilder() T^ x";',
    'auto r = R"cx(public ref class Raw sealed )" ^ x)cx";',
    "auto c = '^'; auto n = 1'000'000;",
    '#define HAT(T) T^ h',
    'int z = a ^ b;',
  ].join('\n');
  const m = maskCx(text);
  assert.equal(m.text, text);
  assert.equal(m.cx, false);
  assert.deepEqual(lexCpp('a /* b */ "c" d').map((t) => t.text), ['a', 'd']);
});

test('masking: every fixture and junk keep their length; only code characters change', () => {
  const junk = Array.from({ length: 3000 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff)).join('');
  const texts = [...fs.readdirSync(FIXTURES).map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8')), junk, '', '^', 'ref', 'ref class', '"unterminated ref new', '/* open', 'property {', 'for each (', '[A'];
  for (const text of texts) {
    const m = maskCx(text);
    assert.equal(m.text.length, text.length);
    for (let i = 0; i < text.length; i++) {
      if (m.text[i] === text[i]) continue;
      assert.ok(/[\s*&;:]/.test(m.text[i]) || m.text.slice(i - 5, i + 1).includes('TYPEID') || m.text.slice(i - 7, i + 1).includes('private'), `unexpected mask ${JSON.stringify(m.text[i])} at ${i}`);
      assert.notEqual(text[i], '\n');
    }
  }
});

// --- C++/CX task classes ------------------------------------------------------------------------

test('sample SampleBackgroundTask.h: a public sealed ref class declaring Run (declaration only)', () => {
  const { text, facts } = fixture('SampleBackgroundTask.h');
  assert.equal(facts.kind, 'cppcx');
  assert.equal(facts.taskClasses.length, 1);
  const task = facts.taskClasses[0];
  assert.equal(task.language, 'cppcx');
  assert.equal(task.name, 'SampleBackgroundTask');
  assert.equal(task.fullName, 'Tasks.SampleBackgroundTask');
  assert.equal(at(text, task.nameSpan), 'SampleBackgroundTask');
  assert.ok(at(text, task.span)!.startsWith('public ref class SampleBackgroundTask sealed'));
  assert.ok(at(text, task.span)!.endsWith('}'));
  assert.equal(task.isPublic, true);
  assert.equal(task.isSealed, true);
  assert.equal(task.sealedFix, undefined);
  assert.equal(task.publicFix, undefined);
  assert.equal(task.declarationOnly, true);
  assert.equal(task.handlesCanceled, false);
  assert.equal(at(text, task.run?.nameSpan), 'Run');
  assert.equal(at(text, task.run?.span), 'virtual void Run(IBackgroundTaskInstance^ taskInstance);');
  assert.equal(task.run?.bodySpan, undefined);
  assert.deepEqual(task.run?.deferrals, []);
  assert.equal(text.slice(task.bodyInsert!.offset - 7, task.bodyInsert!.offset), 'public:');
  assert.deepEqual(facts.classes, []);
  assert.deepEqual(facts.problems, []);
});

test('sample SampleBackgroundTask.cpp: the out-of-class Run gets its own fact with body, deferral and Canceled', () => {
  const { text, facts } = fixture('SampleBackgroundTask.cpp');
  assert.equal(facts.kind, 'cppcx');
  assert.equal(facts.taskClasses.length, 1);
  const task = facts.taskClasses[0];
  assert.equal(task.fullName, 'Tasks.SampleBackgroundTask', 'the namespace comes from `using namespace Tasks;`');
  assert.equal(at(text, task.nameSpan), 'SampleBackgroundTask');
  assert.equal(text.slice(task.nameSpan.end, task.nameSpan.end + 5), '::Run');
  assert.equal(task.isPublic, true, 'the header decides');
  assert.equal(task.isSealed, true, 'the header decides');
  assert.equal(task.declarationOnly, undefined);
  assert.equal(task.handlesCanceled, true);
  const run = task.run!;
  assert.ok(at(text, run.span)!.startsWith('void SampleBackgroundTask::Run(IBackgroundTaskInstance^ taskInstance)\n{'));
  assert.equal(at(text, run.nameSpan), 'Run');
  assert.ok(at(text, run.bodySpan)!.startsWith('{') && at(text, run.bodySpan)!.endsWith('}'));
  assert.equal(run.isAsync, false);
  assert.ok(at(text, run.asyncWork)!.startsWith('ThreadPoolTimer::CreatePeriodicTimer('));
  assert.equal(run.deferrals.length, 1);
  const d = run.deferrals[0];
  assert.equal(at(text, d.span), 'taskInstance->GetDeferral()');
  assert.equal(d.variable, 'TaskDeferral');
  assert.equal(d.completed, true, 'TaskDeferral->Complete() in the timer lambda');
  assert.equal(d.afterAwait, false);
  // The class span covers every definition of the class in the file, so rules see OnCanceled too.
  assert.ok(at(text, task.span)!.startsWith('SampleBackgroundTask::SampleBackgroundTask()'));
  assert.ok(at(text, task.span)!.includes('CancelReason = reason;'));
});

test('header + .cpp through the engine: no false task-run-missing, async or deferral findings', async () => {
  const files = {
    'Tasks/SampleBackgroundTask.h': fs.readFileSync(path.join(FIXTURES, 'SampleBackgroundTask.h'), 'utf8'),
    'Tasks/SampleBackgroundTask.cpp': fs.readFileSync(path.join(FIXTURES, 'SampleBackgroundTask.cpp'), 'utf8'),
  };
  const findings = await checkFiles(files);
  assert.deepEqual(findings.filter((f) => /task-run-missing|async-run-without-deferral|deferral-|task-class-not|canceled-not-handled/.test(f)), []);

  // The same .cpp without its deferral: the finding lands on the .cpp's Run, once.
  const noDeferral = files['Tasks/SampleBackgroundTask.cpp'].replace('TaskDeferral = taskInstance->GetDeferral();', '').replace('TaskDeferral->Complete();', '');
  assert.deepEqual(
    (await checkFiles({ ...files, 'Tasks/SampleBackgroundTask.cpp': noDeferral })).filter((f) => /async-run|deferral-|task-run/.test(f)),
    ['Tasks/SampleBackgroundTask.cpp:async-run-without-deferral@Run'],
  );

  // A deferral the .cpp never completes.
  const neverCompleted = files['Tasks/SampleBackgroundTask.cpp'].replace('TaskDeferral->Complete();', '');
  assert.deepEqual(
    (await checkFiles({ ...files, 'Tasks/SampleBackgroundTask.cpp': neverCompleted })).filter((f) => /deferral-/.test(f)),
    ['Tasks/SampleBackgroundTask.cpp:deferral-never-completed@taskInstance->GetDeferral()'],
  );

  // Run neither declared nor defined: the header's class is reported.
  const noRun = files['Tasks/SampleBackgroundTask.h'].replace('virtual void Run(IBackgroundTaskInstance^ taskInstance);', '');
  assert.deepEqual(
    (await checkFiles({ 'Tasks/SampleBackgroundTask.h': noRun })).filter((f) => /task-run-missing/.test(f)),
    ['Tasks/SampleBackgroundTask.h:task-run-missing@SampleBackgroundTask'],
  );
});

test('C++/CX class shapes: public/sealed facts and their fixes; native, value and interface classes', () => {
  const text = [
    'namespace Tasks',
    '{',
    '    public ref class NotSealed : Windows::ApplicationModel::Background::IBackgroundTask { public: virtual void Run(Windows::ApplicationModel::Background::IBackgroundTaskInstance^ i) {} };',
    '    ref class NoAccess sealed : IBackgroundTask { public: virtual void Run(IBackgroundTaskInstance^ i); };',
    '    private ref class Private sealed : public IBackgroundTask { };',
    '    public ref class Abstract abstract : IBackgroundTask { };',
    '    class Native : public IBackgroundTask { };',
    '    public ref class Helper { };',
    '    public ref class Done sealed { };',
    '    public value struct Point { int X; };',
    '    public interface class IThing : IBackgroundTask { };',
    '    class Plain { };',
    '    public ref class Instance sealed : IBackgroundTaskInstance { };',
    '}',
  ].join('\n');
  const facts = extractCpp('/w/shapes.h', text);
  const byName = new Map(facts.taskClasses.map((c) => [c.name, c]));
  assert.deepEqual([...byName.keys()], ['NotSealed', 'NoAccess', 'Private', 'Abstract', 'Native']);
  const notSealed = byName.get('NotSealed')!;
  assert.deepEqual([notSealed.isPublic, notSealed.isSealed, notSealed.language, notSealed.declarationOnly], [true, false, 'cppcx', undefined]);
  const sealedText = applyEdit(text, { start: notSealed.sealedFix!.offset, end: notSealed.sealedFix!.offset }, notSealed.sealedFix!.text);
  assert.ok(sealedText.includes('public ref class NotSealed sealed : Windows::'));
  assert.equal(extractCpp('/w/shapes.h', sealedText).taskClasses[0].isSealed, true);

  const noAccess = byName.get('NoAccess')!;
  assert.deepEqual([noAccess.isPublic, noAccess.isSealed, noAccess.declarationOnly], [false, true, true]);
  const publicText = applyEdit(text, noAccess.publicFix!.span, noAccess.publicFix!.text);
  assert.ok(publicText.includes('    public ref class NoAccess sealed'));
  assert.equal(extractCpp('/w/shapes.h', publicText).taskClasses[1].isPublic, true);

  const priv = byName.get('Private')!;
  assert.equal(priv.isPublic, false);
  assert.equal(at(text, priv.publicFix!.span), 'private');
  assert.equal(priv.publicFix!.text, 'public');
  assert.equal(byName.get('Abstract')!.isSealed, false);
  assert.equal(byName.get('Abstract')!.sealedFix, undefined, 'an abstract class is not made sealed');
  const native = byName.get('Native')!;
  assert.deepEqual([native.isPublic, native.publicFix?.text, at(text, native.publicFix?.span)], [false, 'public ref ', '']);
  assert.equal(text.slice(native.publicFix!.span.start, native.publicFix!.span.start + 12), 'class Native');

  const classes = new Map(facts.classes.map((c) => [c.name, c]));
  assert.deepEqual([...classes.keys()], ['Helper', 'Done', 'Point', 'Plain', 'Instance']);
  assert.deepEqual([classes.get('Helper')!.isPublic, classes.get('Helper')!.isSealed, classes.get('Helper')!.fullName], [true, false, 'Tasks.Helper']);
  assert.equal(text.slice(classes.get('Helper')!.sealedFix!.offset - 6, classes.get('Helper')!.sealedFix!.offset), 'Helper');
  assert.equal(classes.get('Done')!.isSealed, true);
  assert.equal(classes.get('Point')!.isSealed, true, 'value types cannot be derived from');
  assert.equal(classes.get('Plain')!.isPublic, false, 'a native class is not a Windows Runtime type');
  assertSpansInside(facts, text);
});

test('the task-class-not-sealed and -not-public fixes round-trip on a C++/CX header', async () => {
  const text = 'namespace T\n{\n    ref class Task : Windows::ApplicationModel::Background::IBackgroundTask\n    {\n    public:\n        virtual void Run(Windows::ApplicationModel::Background::IBackgroundTaskInstance^ t);\n    };\n}\n';
  const before = await checkFiles({ 'Task.h': text });
  assert.deepEqual(before.filter((f) => f.includes('task-class-not')), ['Task.h:task-class-not-public@Task', 'Task.h:task-class-not-sealed@Task']);
  const facts = extractCpp('/w/Task.h', text);
  const task = facts.taskClasses[0];
  const fixed = applyEdit(applyEdit(text, { start: task.sealedFix!.offset, end: task.sealedFix!.offset }, task.sealedFix!.text), task.publicFix!.span, task.publicFix!.text);
  assert.ok(fixed.includes('    public ref class Task sealed : Windows::'));
  assert.deepEqual((await checkFiles({ 'Task.h': fixed })).filter((f) => f.includes('task-class-not')), []);
});

// --- C++/WinRT ----------------------------------------------------------------------------------

test('C++/WinRT header: TaskT<Task> with a Run member is a task; the factory and a Run-less TaskT<> are not', () => {
  const { text, facts } = fixture('WinRtTask.h');
  assert.equal(facts.kind, 'cppwinrt');
  assert.equal(facts.taskClasses.length, 1);
  const task = facts.taskClasses[0];
  assert.deepEqual([task.language, task.name, task.fullName, task.isPublic, task.isSealed, task.declarationOnly], ['cppwinrt', 'WinRtTask', 'Tasks.WinRtTask', true, true, true]);
  assert.equal(at(text, task.nameSpan), 'WinRtTask');
  assert.equal(task.run?.isAsync, true, 'returns fire_and_forget');
  assert.equal(task.sealedFix, undefined);
  assert.deepEqual(facts.classes.map((c) => c.fullName), ['Tasks.Settings']);
});

test('C++/WinRT .cpp: Run in `namespace winrt::Tasks::implementation`, co_await, deferral completed after catch (...)', () => {
  const { text, facts } = fixture('WinRtTask.cpp');
  assert.equal(facts.kind, 'cppwinrt');
  const task = facts.taskClasses[0];
  assert.equal(task.fullName, 'Tasks.WinRtTask');
  assert.equal(task.language, 'cppwinrt');
  assert.equal(task.handlesCanceled, true, 'taskInstance.Canceled({ this, ... })');
  const run = task.run!;
  assert.equal(run.isAsync, true);
  assert.equal(at(text, run.asyncWork), 'co_await resume_background()');
  assert.equal(run.hasTryFinally, true);
  assert.deepEqual(run.deferrals.map((d) => [at(text, d.span), d.variable, d.completed, d.completedInFinally, d.afterAwait]), [['taskInstance.GetDeferral()', 'deferral', true, true, false]]);
});

test('App SDK COM task: implements<..., IBackgroundTask> behind __declspec(uuid(...)), inline Run, deferral never completed', () => {
  const { text, facts } = fixture('ComTask.h');
  const task = facts.taskClasses[0];
  assert.deepEqual([task?.name, task?.fullName, task?.language, task?.declarationOnly], ['ComTask', 'ComApp.ComTask', 'cppwinrt', undefined]);
  assert.equal(at(text, task.nameSpan), 'ComTask');
  assert.equal(task.handlesCanceled, true);
  assert.deepEqual(task.run!.deferrals.map((d) => [d.variable, d.completed]), [['deferral', false]]);
  assert.equal(task.run!.asyncWork, undefined);
});

test('Run analysis: async work, deferral after co_await, escaping and chained deferrals, scope_exit', () => {
  const text = [
    'namespace winrt::T::implementation {',
    'struct A : implements<A, IBackgroundTask> { void Run(IBackgroundTaskInstance const& t) { concurrency::create_task([] {}); } };',
    'struct B : implements<B, IBackgroundTask> { fire_and_forget Run(IBackgroundTaskInstance t) { co_await resume_background(); auto d = t.GetDeferral(); d.Complete(); } };',
    'struct C : implements<C, IBackgroundTask> { void Run(IBackgroundTaskInstance t) { auto d = t.GetDeferral(); Keep(d); t.GetDeferral(); t.GetDeferral().Complete(); } };',
    'struct D : implements<D, IBackgroundTask> { fire_and_forget Run(IBackgroundTaskInstance t) { auto d = t.GetDeferral(); auto guard = wil::scope_exit([&] { d.Complete(); }); co_await Work(); } };',
    'struct E : implements<E, IBackgroundTask> { void Run(IBackgroundTaskInstance t) { DoWorkAsync(); } };',
    'struct F : implements<F, IBackgroundTask> { void Run(IBackgroundTaskInstance t) { auto x = Compute(); } };',
    '}',
  ].join('\n');
  const facts = extractCpp('/w/run.h', text);
  const run = (name: string) => facts.taskClasses.find((c) => c.name === name)!.run!;
  assert.equal(at(text, run('A').asyncWork), 'concurrency::create_task([] {})');
  assert.equal(run('A').isAsync, false);
  assert.deepEqual(run('B').deferrals.map((d) => d.afterAwait), [true]);
  assert.deepEqual(run('C').deferrals.map((d) => [d.variable, d.completed]), [['d', true], [undefined, false], [undefined, true]]);
  assert.deepEqual(run('D').deferrals.map((d) => [d.completed, d.completedInFinally]), [[true, true]]);
  assert.equal(at(text, run('E').asyncWork), 'DoWorkAsync()');
  assert.equal(run('F').asyncWork, undefined);
  assert.equal(facts.taskClasses.every((c) => c.fullName.startsWith('T.')), true);
});

test('a class and its out-of-class Run in one file make one task with the body', () => {
  const text = [
    'namespace Tasks {',
    'public ref class One sealed : Windows::ApplicationModel::Background::IBackgroundTask { public: virtual void Run(Windows::ApplicationModel::Background::IBackgroundTaskInstance^ t); private: void OnCanceled(); };',
    'void One::Run(Windows::ApplicationModel::Background::IBackgroundTaskInstance^ t) { Platform::Agile<BackgroundTaskDeferral^> deferral(t->GetDeferral()); create_task(Work()).then([deferral]() { deferral->Complete(); }); }',
    'void One::OnCanceled() { }',
    '}',
  ].join('\n');
  const facts = extractCpp('/w/One.cpp', text);
  assert.equal(facts.taskClasses.length, 1);
  const task = facts.taskClasses[0];
  assert.deepEqual([task.fullName, task.declarationOnly, task.isSealed, task.isPublic], ['Tasks.One', undefined, true, true]);
  assert.ok(at(text, task.run?.span)!.startsWith('void One::Run('));
  assert.ok(at(text, task.run?.asyncWork)!.startsWith('create_task(Work()).then('));
  assert.deepEqual(task.run?.deferrals.map((d) => [d.variable, d.completed]), [['deferral', true]]);
});

test('values: wide, raw and concatenated strings, numbers, typeid and name_of type names, String wrappers', () => {
  const text = [
    'void F() {',
    '  auto b = ref new BackgroundTaskBuilder();',
    '  b->Name = L"Wide\\tTab" L" and more";',
    '  b->TaskEntryPoint = Tasks::Task::typeid->FullName;',
    '  b->TaskGroup = ref new Platform::String(L"group");',
    '  b->SetTrigger(ref new TimeTrigger(0x10, true));',
    '  b->Register();',
    '  BackgroundTaskBuilder w;',
    '  w.Name(winrt::hstring{ LR"(raw "name")" });',
    '  w.TaskEntryPoint(winrt::name_of<winrt::Tasks::implementation::Task>());',
    '  w.SetTrigger(TimeTrigger(-15, false));',
    '  w.Register();',
    '}',
  ].join('\n');
  const [cx, winrt] = extractCpp('/w/v.cpp', text).registrations;
  assert.deepEqual(cx.name && [cx.name.kind === 'string' && cx.name.value, at(text, cx.name.span)], ['Wide\tTab and more', 'L"Wide\\tTab" L" and more"']);
  assert.deepEqual(cx.entryPoint?.kind === 'typeName' && cx.entryPoint.name, 'Tasks.Task');
  assert.deepEqual(cx.taskGroup?.kind === 'string' && cx.taskGroup.value, 'group');
  assert.deepEqual(cx.trigger?.freshness?.kind === 'number' && cx.trigger.freshness.value, 16);
  assert.deepEqual(winrt.name?.kind === 'string' && winrt.name.value, 'raw "name"');
  assert.deepEqual(winrt.entryPoint?.kind === 'typeName' && winrt.entryPoint.name, 'Tasks.Task');
  assert.deepEqual(winrt.trigger?.freshness?.kind === 'number' && winrt.trigger.freshness.value, -15);
});

// --- registrations ------------------------------------------------------------------------------

test('C++/CX registration: ref new builder, -> properties, SetTrigger, AddCondition, guarded Register, Completed', () => {
  const text = [
    'using namespace Windows::ApplicationModel::Background;',
    'void MainPage::Register()',
    '{',
    '    for (auto pair : BackgroundTaskRegistration::AllTasks) { if (pair->Value->Name == L"T") return; }',
    '    auto builder = ref new BackgroundTaskBuilder();',
    '    builder->Name = L"T";',
    '    builder->TaskEntryPoint = "Tasks.SampleBackgroundTask";',
    '    builder->SetTrigger(ref new SystemTrigger(SystemTriggerType::TimeZoneChange, false));',
    '    builder->AddCondition(ref new SystemCondition(SystemConditionType::InternetAvailable));',
    '    builder->IsNetworkRequested = true;',
    '    try',
    '    {',
    '        auto task = builder->Register();',
    '        task->Completed += ref new BackgroundTaskCompletedEventHandler(this, &MainPage::OnCompleted);',
    '    }',
    '    catch (Platform::Exception^ ex) { }',
    '}',
  ].join('\n');
  const facts = extractCpp('/w/Reg.cpp', text);
  assert.equal(facts.kind, 'cppcx');
  assert.equal(facts.registrations.length, 1);
  const r = facts.registrations[0];
  assert.equal(at(text, r.span), 'ref new BackgroundTaskBuilder()');
  assert.equal(r.builderVariable, 'builder');
  assert.equal(r.builderKind, 'winrt');
  assert.deepEqual(r.name && [r.name.kind, r.name.kind === 'string' && r.name.value, at(text, r.name.span)], ['string', 'T', 'L"T"']);
  assert.deepEqual(r.entryPoint && [r.entryPoint.kind === 'string' && r.entryPoint.value, at(text, r.entryPoint.span)], ['Tasks.SampleBackgroundTask', '"Tasks.SampleBackgroundTask"']);
  assert.equal(at(text, r.trigger?.span), 'ref new SystemTrigger(SystemTriggerType::TimeZoneChange, false)');
  assert.equal(r.trigger?.className, 'SystemTrigger');
  assert.equal(at(text, r.trigger?.systemTriggerType?.span), 'TimeZoneChange');
  assert.deepEqual(r.trigger?.oneShot && [r.trigger.oneShot.kind, r.trigger.oneShot.kind === 'boolean' && r.trigger.oneShot.value], ['boolean', false]);
  assert.deepEqual(r.conditions.map((c) => [c.type, at(text, c.typeSpan)]), [['InternetAvailable', 'InternetAvailable']]);
  assert.ok(at(text, r.conditions[0].span)!.startsWith('builder->AddCondition('));
  assert.equal(r.isNetworkRequested?.kind === 'boolean' && r.isNetworkRequested.value, true);
  assert.equal(at(text, r.registerCall), 'builder->Register()');
  assert.equal(r.registerGuarded, true);
  assert.equal(r.allTasksChecked, true);
  assert.equal(r.completedHandler, true);
  assert.equal(r.enclosingFunction, 'Register');
  assert.equal(text.slice(r.statementStart).split('\n')[0], 'auto builder = ref new BackgroundTaskBuilder();');
  assert.equal(r.indent, '    ');
  assert.deepEqual(facts.calls, []);
});

test('C++/WinRT registrations: declared builder, setter calls, followed locals, braced conditions, name_of, constants', () => {
  const { text, facts } = fixture('Registrations.cpp');
  assert.equal(facts.kind, 'cppwinrt');
  assert.equal(facts.registrations.length, 2);
  const [network, maintenance] = facts.registrations;
  assert.equal(at(text, network.span), 'BackgroundTaskBuilder builder');
  assert.equal(network.builderVariable, 'builder');
  assert.equal(network.builderKind, 'winrt');
  assert.equal(network.name?.kind === 'string' && network.name.value, 'NetworkTask');
  assert.equal(at(text, network.name?.span), 'L"NetworkTask"');
  assert.deepEqual(network.entryPoint, { kind: 'reference', name: 'TaskEntryPoint', span: network.entryPoint!.span, scope: 'App.Registrar' });
  assert.equal(network.trigger?.systemTriggerType?.name, 'NetworkStateChange', 'followed to `SystemTrigger trigger{ ... }`');
  assert.equal(at(text, network.trigger?.span), 'SystemTrigger trigger{ SystemTriggerType::NetworkStateChange, false }');
  assert.deepEqual(network.conditions.map((c) => c.type), ['InternetAvailable', 'UserPresent']);
  assert.equal(network.cancelOnConditionLoss?.kind === 'boolean' && network.cancelOnConditionLoss.value, true);
  assert.deepEqual([network.registerGuarded, network.allTasksChecked, network.completedHandler], [true, true, true]);
  assert.equal(network.enclosingFunction, 'RegisterAsync');

  assert.equal(at(text, maintenance.span), 'BackgroundTaskBuilder()');
  assert.equal(maintenance.name?.kind === 'string' && maintenance.name.value, 'MaintenanceTask', 'a literal local stands for its literal');
  assert.deepEqual(maintenance.entryPoint && [maintenance.entryPoint.kind, maintenance.entryPoint.kind === 'typeName' && maintenance.entryPoint.name], ['typeName', 'Tasks.WinRtTask']);
  assert.deepEqual(maintenance.trigger && [maintenance.trigger.className, maintenance.trigger.freshness?.kind === 'number' && maintenance.trigger.freshness.value], ['MaintenanceTrigger', 15]);
  assert.deepEqual([maintenance.registerGuarded, maintenance.completedHandler], [false, false]);
  assert.equal(maintenance.allTasksChecked, true, 'another member of Registrar checks AllTasks');

  assert.equal(facts.constants['TaskEntryPoint'], undefined, 'keyed by full name only');
  assert.equal(facts.constants['App.TaskEntryPoint'], 'Tasks.WinRtTask');
  assert.equal(facts.constants['App.Names.Maintenance'], 'MaintenanceTask');
  assert.deepEqual(facts.requestAccess.map((s) => at(text, s)), ['BackgroundExecutionManager::RequestAccessAsync()']);
  assert.deepEqual(facts.calls, []);
  const linked = linkRegistrations([facts]);
  assert.equal(linked[0].registration.entryPoint?.kind === 'string' && linked[0].registration.entryPoint.value, 'Tasks.WinRtTask');
});

test('sample SampleConfiguration.cpp: a helper fed from its parameters, calls with inline triggers, #define constants', () => {
  const { text, facts } = fixture('SampleConfiguration.cpp');
  assert.equal(facts.registrations.length, 1);
  const helper = facts.registrations[0];
  assert.equal(helper.enclosingFunction, 'RegisterBackgroundTask');
  assert.deepEqual(helper.helperParameters, { name: 1, entryPoint: 0, trigger: 2, condition: 3 });
  assert.equal(helper.registerGuarded, false);
  assert.equal(helper.cancelOnConditionLoss?.kind === 'boolean' && helper.cancelOnConditionLoss.value, true);
  assert.deepEqual(facts.constants, { SampleBackgroundTaskEntryPoint: 'Tasks.SampleBackgroundTask', SampleBackgroundTaskName: 'SampleBackgroundTask', TimeTriggeredTaskName: 'TimeTriggeredTask' });
  assert.deepEqual(facts.calls.map((c) => [c.callee, c.enclosingFunction]), [['BackgroundTaskSample.RegisterBackgroundTask', 'RegisterButton_Click'], ['BackgroundTaskSample.RegisterBackgroundTask', 'RegisterButton_Click']]);
  const [zone, timer] = facts.calls;
  assert.equal(at(text, zone.args[2].trigger?.span), 'ref new SystemTrigger(SystemTriggerType::TimeZoneChange, false)');
  assert.equal(zone.args[3].value.kind === 'expression' && zone.args[3].value.text, 'nullptr');
  assert.equal(timer.args[3].condition?.type, 'InternetAvailable');
  assert.deepEqual(facts.requestAccess.map((s) => at(text, s)), ['BackgroundExecutionManager::RequestAccessAsync()']);

  const linked = linkRegistrations([facts]).map((l) => l.registration);
  assert.deepEqual(
    linked.map((r) => [r.name?.kind === 'string' && r.name.value, r.entryPoint?.kind === 'string' && r.entryPoint.value, r.trigger?.className, r.conditions.map((c) => c.type), r.cancelOnConditionLoss?.kind]),
    [
      ['SampleBackgroundTask', 'Tasks.SampleBackgroundTask', 'SystemTrigger', [], undefined],
      ['TimeTriggeredTask', 'Tasks.SampleBackgroundTask', 'TimeTrigger', ['InternetAvailable'], 'boolean'],
    ],
  );
});

test('AllTasks checks: the function, a same-file caller, a member of the class; not comments or strings', () => {
  const text = [
    'using namespace Windows::ApplicationModel::Background;',
    'void Unchecked() { auto b = ref new BackgroundTaskBuilder(); b->Register(); }',
    'void Helper() { auto b = ref new BackgroundTaskBuilder(); b->Register(); }',
    'void Caller() { if (BackgroundTaskRegistration::AllTasks->Size == 0) Helper(); }',
    'void Page::Look() { auto all = BackgroundTaskRegistration::AllTasks; }',
    'void Page::Add() { auto b = ref new BackgroundTaskBuilder(); b->Register(); }',
    'void Other() { auto b = ref new BackgroundTaskBuilder(); b->Register(); } // BackgroundTaskRegistration::AllTasks',
    'void Strings() { auto s = L"AllTasks"; auto b = ref new BackgroundTaskBuilder(); b->Register(); }',
  ].join('\n');
  const facts = extractCpp('/w/all.cpp', text);
  assert.deepEqual(facts.registrations.map((r) => [r.enclosingFunction, r.allTasksChecked]), [['Unchecked', false], ['Helper', true], ['Add', true], ['Other', false], ['Strings', false]]);
});

test('comments and strings that look like code produce no facts', () => {
  const text = [
    '// public ref class Fake sealed : IBackgroundTask { virtual void Run(IBackgroundTaskInstance^ t); };',
    '/* auto b = ref new BackgroundTaskBuilder(); b->Register();',
    '   struct W : implements<W, IBackgroundTask> { void Run(IBackgroundTaskInstance const& t) {} }; */',
    'auto s = "ref class X : IBackgroundTask { void Run(IBackgroundTaskInstance^ i) {} } BackgroundExecutionManager::RequestAccessAsync()";',
    'auto r = LR"(BackgroundTaskBuilder builder; builder.Register();)";',
    '#if 0',
    '#endif',
  ].join('\n');
  const facts = extractCpp('/w/fake.cpp', text);
  assert.deepEqual([facts.taskClasses, facts.classes, facts.registrations, facts.calls, facts.requestAccess], [[], [], [], [], []]);
  assert.equal(facts.kind, 'cppwinrt', 'no C++/CX syntax outside comments and strings');
});

test('OnBackgroundActivated, ApplicationTrigger.RequestAsync and RequestAccessKindAsync sites', () => {
  const text = [
    'using namespace winrt::Windows::ApplicationModel::Background;',
    'struct App : AppT<App> { void OnBackgroundActivated(BackgroundActivatedEventArgs const& args); };',
    'void App::Signal() { ApplicationTrigger trigger; trigger.RequestAsync(); other.RequestAsync(); co_await BackgroundExecutionManager::RequestAccessKindAsync(BackgroundAccessRequestKind::AllowedSubjectToSystemPolicy, L"why"); }',
  ].join('\n');
  const facts = extractCpp('/w/App.h', text);
  assert.equal(at(text, facts.onBackgroundActivated), 'OnBackgroundActivated');
  assert.deepEqual(facts.applicationTriggerRequests.map((s) => at(text, s)), ['trigger.RequestAsync()']);
  assert.equal(facts.requestAccess.length, 1);
});

// --- robustness ---------------------------------------------------------------------------------

test('CRLF line endings give the same facts with CRLF offsets', () => {
  for (const name of ['SampleBackgroundTask.cpp', 'Registrations.cpp']) {
    const { text, facts } = fixture(name);
    const crlf = text.replace(/\n/g, '\r\n');
    const crlfFacts = extractCpp(`/w/${name}`, crlf);
    assert.equal(crlfFacts.taskClasses.length, facts.taskClasses.length);
    assert.equal(crlfFacts.registrations.length, facts.registrations.length);
    for (const r of crlfFacts.registrations) {
      assert.equal(at(crlf, r.registerCall), `${r.builderVariable}.Register()`);
      assert.ok(!r.indent.includes('\r') && !r.indent.includes('\n'));
    }
    for (const t of crlfFacts.taskClasses) assert.equal(at(crlf, t.run?.nameSpan), 'Run');
    assertSpansInside(crlfFacts, crlf, name);
  }
  const { facts } = fixture('SampleBackgroundTask.cpp');
  const crlf = fs.readFileSync(path.join(FIXTURES, 'SampleBackgroundTask.cpp'), 'utf8').replace(/\n/g, '\r\n');
  assert.equal(at(crlf, extractCpp('/w/x.cpp', crlf).taskClasses[0].run?.deferrals[0].span), 'taskInstance->GetDeferral()');
  assert.equal(facts.taskClasses[0].run?.deferrals.length, 1);
});

test('a BOM and non-ASCII text keep UTF-16 offsets exact', () => {
  const text = '\uFEFF// Überprüfung 🚀 日本語 façade\nnamespace Tâches { /* 🚀🚀 */ public ref class Tâche日本Task sealed : Windows::ApplicationModel::Background::IBackgroundTask { public: virtual void Run(Windows::ApplicationModel::Background::IBackgroundTaskInstance^ i) { auto d = i->GetDeferral(); d->Complete(); } }; }\n'
    + 'void R::M() { auto b = ref new Windows::ApplicationModel::Background::BackgroundTaskBuilder(); b->Name = L"🚀 façade"; b->TaskEntryPoint = L"Tâches.Tâche日本Task"; b->Register(); }';
  const facts = extractCpp('/w/u.h', text);
  assert.equal(facts.kind, 'cppcx');
  const task = facts.taskClasses[0];
  assert.equal(at(text, task.nameSpan), 'Tâche日本Task');
  assert.equal(task.fullName, 'Tâches.Tâche日本Task');
  assert.deepEqual([task.isPublic, task.isSealed], [true, true]);
  assert.equal(at(text, task.run?.deferrals[0].span), 'i->GetDeferral()');
  const r = facts.registrations[0];
  assert.equal(r.builderKind, 'winrt');
  assert.equal(at(text, r.name?.span), 'L"🚀 façade"');
  assert.equal(r.name?.kind === 'string' && r.name.value, '🚀 façade');
  assert.equal(at(text, r.entryPoint?.span), 'L"Tâches.Tâche日本Task"');
  assertSpansInside(facts, text);
});

test('half-typed code: a missing closing brace mid-file keeps the task and the registration', () => {
  const text = [
    'namespace Tasks',
    '{',
    '    public ref class Half sealed : Windows::ApplicationModel::Background::IBackgroundTask',
    '    {',
    '    public:',
    '        virtual void Run(Windows::ApplicationModel::Background::IBackgroundTaskInstance^ t)',
    '        {',
    '            auto d = t->GetDeferral();',
    '            if (busy) {',
    '            d->Complete();',
    '        }',
    '    };',
    '}',
    '',
    'void Reg::M() { auto b = ref new BackgroundTaskBuilder(); b->TaskEntryPoint = "Tasks.Half"; b->SetTrigger(ref new SystemTrigger(SystemTriggerType::TimeZoneChange, false)); b->Register(); }',
  ].join('\n');
  const facts = extractCpp('/w/h.h', text);
  assert.equal(facts.taskClasses[0]?.fullName, 'Tasks.Half');
  assert.equal(at(text, facts.taskClasses[0].run?.deferrals[0]?.span), 't->GetDeferral()');
  const r = facts.registrations[0];
  assert.equal(r?.entryPoint?.kind === 'string' && r.entryPoint.value, 'Tasks.Half');
  assert.equal(r.trigger?.systemTriggerType?.name, 'TimeZoneChange');
  assertSpansInside(facts, text);
  assert.deepEqual(facts.problems, []);
});

test('half-typed code: a statement being typed at the end of the file', () => {
  const text = 'namespace Tasks\n{\n    public ref class Half sealed : IBackgroundTask\n    {\n    public:\n        virtual void Run(IBackgroundTaskInstance^ t)\n        {\n            auto d = t->GetDeferral();\n            d->Comp\n        }\n    };\n}\n'
    + 'void Reg::M() { auto b = ref new BackgroundTaskBuilder(); b->TaskEntryPoint = L"Tasks.Half"; b->SetTrigger(ref new SystemTrigger(SystemTriggerType::';
  const facts = extractCpp('/w/h.h', text);
  assert.equal(facts.taskClasses[0]?.fullName, 'Tasks.Half');
  assert.equal(facts.taskClasses[0].run?.deferrals[0]?.completed, false);
  assert.equal(facts.registrations[0]?.entryPoint?.kind === 'string' && facts.registrations[0].entryPoint.value, 'Tasks.Half');
  assertSpansInside(facts, text);
  assert.deepEqual(facts.problems, []);
});

test('half-typed code the tree loses: an unclosed class, a class being typed before a task, an unclosed Run', () => {
  const unclosed = 'using namespace Windows::ApplicationModel::Background;\nnamespace Tasks\n{\n    ref class X : IBackgroundTask\n    {\n    public:\n        virtual void Run(IBackgroundTaskInstance^ t);\n';
  const typing = 'namespace Tasks\n{\n    public ref class New\n    public ref class X sealed : IBackgroundTask\n    {\n    public:\n        virtual void Run(IBackgroundTaskInstance^ t);\n    };\n}\n';
  const openRun = 'namespace Tasks\n{\n    public ref class X : IBackgroundTask\n    {\n    public:\n        virtual void Run(IBackgroundTaskInstance^ t) { auto d = t->GetDeferral(); create_task(F()).then([d]() { d->Complete(); });\n    };\n}\n';
  const expected: Record<string, [boolean, boolean]> = { unclosed: [false, false], typing: [true, true], openRun: [true, false] };
  for (const [name, text] of Object.entries({ unclosed, typing, openRun })) {
    const facts = extractCpp(`/w/${name}.h`, text);
    assert.equal(facts.taskClasses.length, 1, name);
    const task = facts.taskClasses[0];
    assert.equal(task.fullName, 'Tasks.X', name);
    assert.equal(at(text, task.nameSpan), 'X', name);
    assert.deepEqual([task.isPublic, task.isSealed], expected[name], name);
    assert.equal(at(text, task.run?.nameSpan), 'Run', name);
    if (!task.isSealed) assert.equal(text.slice(task.sealedFix!.offset - 1, task.sealedFix!.offset), 'X', name);
    assertSpansInside(facts, text, name);
    assert.deepEqual(facts.problems, [], name);
  }
  // A recovered class is only what its head says: its body waits until the code parses again.
  assert.equal(extractCpp('/w/u.h', unclosed).taskClasses[0].declarationOnly, true);
  assert.equal(at(unclosed, extractCpp('/w/u.h', unclosed).taskClasses[0].publicFix?.span) ?? '', '');
});

test('an unterminated block comment or string never throws; the code before it keeps its facts', () => {
  const before = 'public ref class Before sealed : IBackgroundTask { public: virtual void Run(IBackgroundTaskInstance^ t) { } };\n';
  for (const tail of ['/* unterminated\npublic ref class After : IBackgroundTask { };\n', 'auto s = L"unterminated\npublic ref class After : IBackgroundTask { };\n']) {
    const text = before + tail;
    const facts = extractCpp('/w/c.h', text);
    assert.equal(facts.taskClasses[0]?.name, 'Before');
    assert.equal(at(text, facts.taskClasses[0].nameSpan), 'Before');
    assert.equal(facts.taskClasses[0].isSealed, true);
    assertSpansInside(facts, text);
    assert.deepEqual(facts.problems, []);
  }
});

test('binary junk, empty text and every prefix of a real file never throw and keep spans inside the text', () => {
  const junk = Array.from({ length: 4000 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff)).join('');
  for (const text of ['', '\0\0\0', junk, 'class', 'ref class A : IBackgroundTask', '{{{{{{', 'ref new BackgroundTaskBuilder(', 'property', '[', '^^^', 'for each (']) {
    const facts = extractCpp('/w/j.cpp', text);
    assertSpansInside(facts, text);
  }
  for (const name of ['SampleConfiguration.cpp', 'SampleBackgroundTask.h', 'WinRtTask.cpp']) {
    const { text } = fixture(name);
    for (let end = 0; end < text.length; end += 97) {
      const prefix = text.slice(0, end);
      const facts = extractCpp('/w/p.cpp', prefix);
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
  const text = ['SampleBackgroundTask.cpp', 'SampleConfiguration.cpp', 'Registrations.cpp', 'WinRtTask.cpp', 'SampleBackgroundTask.h', 'WinRtTask.h', 'ComTask.h'].map((f) => fixture(f).text).join('\n');
  const lines = text.split('\n').length;
  assert.ok(lines >= 300, `${lines} lines`);
  for (let i = 0; i < 5; i++) extractCpp('/w/warm.cpp', text);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    extractCpp('/w/big.cpp', text);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1];
  console.log(`# cpp extraction: ${lines} lines, median ${median.toFixed(2)} ms`);
  assert.ok(extractCpp('/w/big.cpp', text).taskClasses.length > 0, 'the joined file still yields its task classes');
});
