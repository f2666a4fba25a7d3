// "Add Background Task…" output checked by the engine and by the project files: the class, the
// registration helper, the manifest edit, the project items and the start-up call, applied to a copy of
// an example app per language, must add no warning or error, and every new file must be in its project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import { extractManifest } from '../../src/core/parsers/manifest';
import { loadWorkspace } from '../../src/core/workspace/scan';
import { componentProject, findStartup, languageChoices, PROJECT_EXTENSIONS, projectAccepts, projectItemInsert, scriptTagInsert, startupInserts, type TextFile } from '../../src/extension/addTaskProject';
import { applyInserts, conditionSelection, generatedFiles, manifestInsert, manifestInserts, newClsid, registrationCall, triggerChoices, type AddTaskOptions } from '../../src/extension/addTaskTemplates';
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

const read = (p: string) => fs.readFileSync(p, 'utf8');

/** The nearest project upwards (inside `top`) that takes the item: what the command does with the workspace fs. */
function owningProject(file: string, kind: Parameters<typeof projectAccepts>[1], top: string): string | undefined {
  for (let dir = path.dirname(file); dir.startsWith(top); dir = path.dirname(dir)) {
    const names = fs.readdirSync(dir);
    const hit = PROJECT_EXTENSIONS.flatMap((ext) => names.filter((n) => n.toLowerCase().endsWith(ext))).map((n) => path.join(dir, n)).find((p) => projectAccepts(p, kind));
    if (hit) return hit;
  }
  return undefined;
}

function codeFiles(dir: string): TextFile[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(cs|cpp|js|ts)$/.test(f)).sort().map((f) => ({ path: path.join(dir, f), text: read(path.join(dir, f)) }));
}

/** Applies what the command applies (files, manifest, project items, start-up call); returns the files written and projects changed. */
function apply(root: string, manifestRel: string, taskDirRel: string, o: AddTaskOptions, callAtStart = false) {
  const manifestPath = path.join(root, manifestRel);
  const manifestDir = path.dirname(manifestPath);
  const text = read(manifestPath);
  const edits = manifestInserts(o, extractManifest(manifestPath, text).manifest!, text);
  assert.ok(!('error' in edits), JSON.stringify(edits));
  fs.writeFileSync(manifestPath, applyInserts(text, edits));
  const startup = callAtStart ? findStartup(o.language, codeFiles(manifestDir)) : undefined;
  const written: string[] = [];
  const projects = new Set<string>();
  for (const f of generatedFiles(o)) {
    const abs = path.join(f.place === 'task' ? path.join(root, taskDirRel) : manifestDir, ...f.rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    assert.ok(!fs.existsSync(abs), `${abs} is new`);
    fs.writeFileSync(abs, f.text);
    written.push(abs);
    const project = owningProject(abs, f.item, root);
    const insert = project && projectItemInsert({ path: project, text: read(project) }, abs, f.item);
    if (project && insert) {
      fs.writeFileSync(project, applyInserts(read(project), [insert]));
      projects.add(path.relative(root, project));
    }
  }
  if (startup) {
    const registration = written.find((w) => /registration\.\w+$/i.test(w))!;
    const include = o.language.startsWith('cpp') ? `#include "${path.relative(path.dirname(startup.path), registration).split(path.sep).join('/')}"` : undefined;
    fs.writeFileSync(startup.path, applyInserts(read(startup.path), startupInserts(startup, read(startup.path), registrationCall(o), include)));
  }
  return { written, projects: [...projects].sort(), startup };
}

test('C# into examples/csharp-uwp: every trigger offered on win10 checks clean; both projects list the new files; OnLaunched calls the helper', async () => {
  const all = triggerChoices('win10', ['ApplicationTrigger']);
  const app = all.find((c) => c.className === 'ApplicationTrigger')!;
  assert.match(app.unavailable ?? '', /only once/, 'ApplicationTrigger stays listed, with the reason');
  for (const c of all) assert.ok(c.description && /Task Type \w+/.test(c.needs), `${c.label} says what it is and needs`);
  assert.ok(all.some((c) => c.className === 'PushNotificationTrigger' && c.parameter && /parameter/.test(c.needs)));
  const choices = all.filter((c) => !c.unavailable);
  assert.ok(choices.length >= 30, `${choices.length} triggers`);
  const dir = copyExample('csharp-uwp');
  try {
    let projects: string[] = [];
    choices.forEach((trigger, i) => {
      const r = apply(dir, 'BackgroundTask/Package.appxmanifest', 'Tasks', {
        language: 'csharp', name: `AddedTask${i}`, namespace: 'Tasks', appNamespace: 'SDKTemplate', trigger, profile: 'win10',
        conditions: i % 2 ? ['InternetAvailable', 'UserPresent'] : [],
      }, i === 0);
      if (i === 0) {
        projects = r.projects;
        assert.equal(r.startup?.where, 'App.OnLaunched');
      }
    });
    assert.deepEqual(projects, ['BackgroundTask/BackgroundTask.csproj', 'Tasks/Tasks.csproj']);
    assert.match(read(path.join(dir, 'Tasks/Tasks.csproj')), /<Compile Include="ServicingComplete.cs" \/>\n    <Compile Include="AddedTask0.cs" \/>\n/);
    assert.match(read(path.join(dir, 'BackgroundTask/BackgroundTask.csproj')), /<Compile Include="AddedTask0Registration.cs" \/>/);
    assert.match(read(path.join(dir, 'BackgroundTask/App.xaml.cs')), /OnLaunched\(LaunchActivatedEventArgs e\)\n        \{\n            _ = AddedTask0Registration.RegisterAsync\(\);\n            Window/);
    const { engine, findings } = await serious(dir);
    assert.deepEqual(findings, []);
    const appView = engine.workspace().apps.find((a) => a.manifest?.path.endsWith('BackgroundTask/Package.appxmanifest'))!;
    const names = appView.registrations.map((r) => (r.registration.name?.kind === 'string' ? r.registration.name.value : '?'));
    // A helper that takes its trigger as a parameter is a registration only where the app calls it.
    choices.forEach((c, i) => assert.equal(names.includes(`AddedTask${i}`), !c.parameter, `registration AddedTask${i} seen: ${!c.parameter}`));
    assert.equal(appView.manifest!.manifest!.extensions.filter((e) => e.entryPoint?.value.startsWith('Tasks.AddedTask')).length, choices.length);
    const maintenance = choices.findIndex((c) => c.className === 'MaintenanceTrigger');
    const ext = appView.manifest!.manifest!.extensions.find((e) => e.entryPoint?.value === `Tasks.AddedTask${maintenance}`)!;
    assert.deepEqual(ext.tasks.map((t) => t.type), ['general']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('C++/CX into examples/cppcx-win81: .h/.cpp in Tasks.vcxproj (ClInclude/ClCompile), the helper in App.vcxproj, the MainPage constructor calls it; checks clean', async () => {
  const choices = triggerChoices('win81');
  assert.ok(!choices.some((c) => c.className === 'ApplicationTrigger'), 'no Windows 10 triggers on win81');
  const dir = copyExample('cppcx-win81');
  try {
    const trigger = choices.find((c) => c.label === 'SystemTrigger: TimeZoneChange')!;
    const r = apply(dir, 'App/Package.appxmanifest', 'Tasks', { language: 'cppcx', name: 'AddedTask', namespace: 'Tasks', appNamespace: 'BackgroundTaskApp', trigger, conditions: ['InternetAvailable'], profile: 'win81', pch: true }, true);
    apply(dir, 'App/Package.appxmanifest', 'Tasks', { language: 'cppcx', name: 'AddedTimer', namespace: 'Tasks', appNamespace: 'BackgroundTaskApp', trigger: choices.find((c) => c.className === 'TimeTrigger')!, conditions: [], profile: 'win81', pch: true });
    apply(dir, 'App/Package.appxmanifest', 'Tasks', { language: 'cppcx', name: 'AddedPush', namespace: 'Tasks', appNamespace: 'BackgroundTaskApp', trigger: choices.find((c) => c.className === 'PushNotificationTrigger')!, conditions: [], profile: 'win81', pch: true });
    assert.deepEqual(r.projects, ['App/App.vcxproj', 'Tasks/Tasks.vcxproj']);
    const tasks = read(path.join(dir, 'Tasks/Tasks.vcxproj'));
    assert.match(tasks, /<ClInclude Include="SampleBackgroundTask.h" \/>\n    <ClInclude Include="AddedTask.h" \/>/);
    assert.match(tasks, /<ClCompile Include="SampleBackgroundTask.cpp" \/>\n    <ClCompile Include="AddedTask.cpp" \/>/);
    assert.match(read(path.join(dir, 'App/App.vcxproj')), /<ClInclude Include="AddedTaskRegistration.h" \/>/);
    assert.ok(!/AddedTask\.cs/.test(tasks + read(path.join(dir, 'App/App.vcxproj'))), 'no C# file in a C++ project');
    assert.ok(read(path.join(dir, 'Tasks/AddedTask.cpp')).startsWith('#include "pch.h"\n#include "AddedTask.h"'));
    const page = read(path.join(dir, 'App/MainPage.xaml.cpp'));
    assert.equal(r.startup?.where, 'the MainPage constructor');
    assert.match(page, /#include "MainPage.xaml.h"\n#include "AddedTaskRegistration.h"/);
    assert.match(page, /MainPage::MainPage\(\)\n\{\n    AddedTaskRegistration::Register\(\);\n    InitializeComponent\(\);/);
    const { engine, findings } = await serious(dir);
    assert.deepEqual(findings, []);
    const appView = engine.workspace().apps.find((a) => a.manifest)!;
    const names = appView.registrations.map((x) => (x.registration.name?.kind === 'string' ? x.registration.name.value : '?'));
    assert.ok(names.includes('AddedTask') && names.includes('AddedTimer'), names.join(', '));
    assert.ok(engine.workspace().taskClassesByFullName.has('Tasks.AddedTask'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('C++/WinRT into a win10 C++/WinRT app: .idl (Midl), .h, .cpp and the helper in the projects; App::OnLaunched calls it; checks clean', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-addtask-winrt-'));
  try {
    const manifest = '<?xml version="1.0" encoding="utf-8"?>\n<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10" xmlns:uap="http://schemas.microsoft.com/appx/manifest/uap/windows10">\n  <Applications>\n    <Application Id="App" Executable="$targetnametoken$.exe" EntryPoint="WinrtApp.App">\n      <Extensions>\n      </Extensions>\n    </Application>\n  </Applications>\n</Package>\n';
    fs.mkdirSync(path.join(dir, 'App'));
    fs.mkdirSync(path.join(dir, 'Tasks'));
    fs.writeFileSync(path.join(dir, 'App/Package.appxmanifest'), manifest);
    const vcx = (type: string, more: string) => `<?xml version="1.0" encoding="utf-8"?>\n<Project DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">\n  <PropertyGroup Label="Globals">\n    <CppWinRTOptimized>true</CppWinRTOptimized>\n    <AppContainerApplication>true</AppContainerApplication>\n    <ApplicationType>Windows Store</ApplicationType>\n    <ConfigurationType>${type}</ConfigurationType>\n  </PropertyGroup>\n${more}  <Import Project="$(VCTargetsPath)\\Microsoft.Cpp.targets" />\n</Project>\n`;
    fs.writeFileSync(path.join(dir, 'App/App.vcxproj'), vcx('Application', '  <ItemGroup>\n    <ProjectReference Include="..\\Tasks\\Tasks.vcxproj" />\n  </ItemGroup>\n'));
    fs.writeFileSync(path.join(dir, 'Tasks/Tasks.vcxproj'), vcx('DynamicLibrary', '  <ItemDefinitionGroup>\n    <Link>\n      <GenerateWindowsMetadata>true</GenerateWindowsMetadata>\n    </Link>\n  </ItemDefinitionGroup>\n'));
    fs.writeFileSync(path.join(dir, 'App/App.xaml.cpp'), '#include "pch.h"\n#include "App.xaml.h"\n\nusing namespace winrt;\n\nnamespace winrt::WinrtApp::implementation\n{\n    void App::OnLaunched(Windows::ApplicationModel::Activation::LaunchActivatedEventArgs const&)\n    {\n        window.Activate();\n    }\n}\n');
    const manifestNow = read(path.join(dir, 'App/Package.appxmanifest'));
    const facts = extractManifest('/x/Package.appxmanifest', manifestNow).manifest!;
    const trigger = triggerChoices(facts.profile).find((c) => c.label === 'TimeTrigger (15 minutes)')!;
    const r = apply(dir, 'App/Package.appxmanifest', 'Tasks', { language: 'cppwinrt', name: 'WinrtTask', namespace: 'Tasks', appNamespace: 'WinrtApp', trigger, conditions: ['InternetAvailable'], profile: facts.profile }, true);
    assert.deepEqual(r.projects, ['App/App.vcxproj', 'Tasks/Tasks.vcxproj']);
    const tasks = read(path.join(dir, 'Tasks/Tasks.vcxproj'));
    for (const item of ['<Midl Include="WinrtTask.idl" />', '<ClInclude Include="WinrtTask.h" />', '<ClCompile Include="WinrtTask.cpp" />']) assert.ok(tasks.includes(item), `${item} in\n${tasks}`);
    assert.match(read(path.join(dir, 'Tasks/WinrtTask.idl')), /runtimeclass WinrtTask : Windows.ApplicationModel.Background.IBackgroundTask/);
    assert.match(read(path.join(dir, 'App/App.xaml.cpp')), /App::OnLaunched\([^)]*\)\n    \{\n        WinrtTaskRegistration::RegisterAsync\(\);\n        window.Activate\(\);/);
    const { engine, findings } = await serious(dir);
    assert.deepEqual(findings, []);
    assert.ok(engine.workspace().taskClassesByFullName.has('Tasks.WinrtTask'));
    assert.ok(engine.workspace().apps.some((a) => a.registrations.some((x) => x.registration.name?.kind === 'string' && x.registration.name.value === 'WinrtTask')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('JavaScript and TypeScript into examples/winjs (win81): check clean, StartPage declared, default.html loads the helper, onactivated calls it', async () => {
  const choices = triggerChoices('win81');
  const dir = copyExample('winjs');
  try {
    const r = apply(dir, 'Package.appxmanifest', '.', { language: 'javascript', name: 'AddedTask', namespace: '', appNamespace: '', trigger: choices[0], conditions: ['InternetAvailable'], profile: 'win81' }, true);
    apply(dir, 'Package.appxmanifest', '.', { language: 'typescript', name: 'TypedTask', namespace: '', appNamespace: '', trigger: choices.find((c) => c.label === 'SystemTrigger: TimeZoneChange')!, conditions: [], profile: 'win81' });
    assert.equal(r.startup?.where, 'app.onactivated');
    assert.match(read(path.join(dir, 'js/default.js')), /app.onactivated = function \(args\) \{\n        registerAddedTask\(\);/);
    const html = read(path.join(dir, 'default.html'));
    const tag = scriptTagInsert(html, '/js/addedtask-registration.js')!;
    assert.match(applyInserts(html, [tag]), /<script src="\/js\/default.js"><\/script>\n    <script src="\/js\/addedtask-registration.js"><\/script>\n<\/head>/);
    const { findings, engine } = await serious(dir);
    assert.deepEqual(findings, []);
    const m = engine.workspace().apps[0].manifest!.manifest!;
    assert.ok(m.extensions.some((e) => e.startPage?.value === 'js\\addedtask.js'));
    assert.ok(m.extensions.some((e) => e.startPage?.value === 'js\\typedtask.js'));
    assert.ok(read(path.join(dir, 'js/addedtask-registration.js')).includes('builder.taskEntryPoint = "js\\\\addedtask.js";'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Windows App SDK COM into examples/appsdk-com: a com:Class with the CLSID the registration passes; checks clean', async () => {
  const clsid = newClsid();
  assert.match(clsid, /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  const dir = copyExample('appsdk-com');
  try {
    const trigger = triggerChoices('appsdk').find((c) => c.label === 'SystemTrigger: TimeZoneChange')!;
    const r = apply(dir, 'Package.appxmanifest', '.', { language: 'appsdk', name: 'ComTask', namespace: 'BackgroundTaskApp', appNamespace: 'BackgroundTaskApp', trigger, conditions: [], profile: 'appsdk', clsid }, true);
    assert.deepEqual(r.projects, [], 'an SDK-style project compiles every .cs');
    const manifest = read(path.join(dir, 'Package.appxmanifest'));
    assert.match(manifest, new RegExp(`<com:Class Id="8C5A2E1D-3B4F-4A6C-9D7E-0F1A2B3C4D5E" DisplayName="BackgroundTask" />\\n              <com:Class Id="${clsid}" DisplayName="ComTask" />`));
    assert.equal(manifest.match(/UniversalBGTask.Task"/g)!.length, 2, 'the shim Extension is reused, not duplicated');
    assert.match(read(path.join(dir, 'App.xaml.cs')), /OnLaunched\(LaunchActivatedEventArgs args\)\n        \{\n            _ = ComTaskRegistration.RegisterAsync\(\);/);
    const { findings } = await serious(dir);
    assert.deepEqual(findings, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('project items: SDK-style globbing, shared .projitems, a new ItemGroup, no duplicate, no C# in a .vcxproj', () => {
  const sdk = { path: '/p/A.csproj', text: '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup />\n</Project>\n' };
  assert.equal(projectItemInsert(sdk, '/p/T.cs', 'Compile'), undefined);
  const sdkExplicit = { path: '/p/A.csproj', text: '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>\n  </PropertyGroup>\n</Project>\n' };
  assert.match(applyInserts(sdkExplicit.text, [projectItemInsert(sdkExplicit, '/p/Sub/T.cs', 'Compile')!]), /<\/PropertyGroup>\n  <ItemGroup>\n    <Compile Include="Sub\\T.cs" \/>\n  <\/ItemGroup>\n<\/Project>/);
  const shared = { path: '/s/Shared.projitems', text: '<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">\n  <ItemGroup>\n    <Compile Include="$(MSBuildThisFileDirectory)Old.cs" />\n  </ItemGroup>\n</Project>\n' };
  assert.match(applyInserts(shared.text, [projectItemInsert(shared, '/s/Tasks/New.cs', 'Compile')!]), /Old.cs" \/>\n    <Compile Include="\$\(MSBuildThisFileDirectory\)Tasks\\New.cs" \/>/);
  assert.equal(projectItemInsert(shared, '/s/Old.cs', 'Compile'), undefined, 'already listed');
  assert.equal(projectItemInsert({ path: '/c/A.vcxproj', text: '<Project></Project>' }, '/c/T.cs', 'Compile'), undefined);
  const crlf = { path: '/c/A.vcxproj', text: '<Project>\r\n  <ItemGroup>\r\n    <ClCompile Include="a.cpp">\r\n      <PrecompiledHeader>Create</PrecompiledHeader>\r\n    </ClCompile>\r\n  </ItemGroup>\r\n</Project>\r\n' };
  assert.match(applyInserts(crlf.text, [projectItemInsert(crlf, '/c/b.cpp', 'ClCompile')!]), /<\/ClCompile>\r\n    <ClCompile Include="b.cpp" \/>\r\n  <\/ItemGroup>/);
});

test('a second trigger for an existing entry point adds only its Task Type', () => {
  const text = read(path.join(REPO, 'examples/csharp-uwp/BackgroundTask/Package.appxmanifest'));
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

test('conditions: picking one that conflicts with a picked one is refused with the reason, the rest of the selection stays (§2)', () => {
  assert.deepEqual(conditionSelection([], ['InternetAvailable', 'UserPresent']), { selected: ['InternetAvailable', 'UserPresent'] });
  const r = conditionSelection(['InternetAvailable', 'UserPresent'], ['InternetAvailable', 'UserPresent', 'InternetNotAvailable', 'FreeNetworkAvailable']);
  assert.deepEqual(r.selected, ['InternetAvailable', 'UserPresent', 'FreeNetworkAvailable']);
  assert.match(r.refused!, /InternetNotAvailable cannot be combined with InternetAvailable/);
  assert.deepEqual(conditionSelection(['InternetAvailable'], ['InternetNotAvailable']), { selected: ['InternetNotAvailable'] }, 'swapping one for the other is fine');
});

test("an app's first task goes into the Windows Runtime Component its project references, in that project's root namespace", () => {
  const readAbs = (p: string) => (fs.existsSync(p) ? read(p) : undefined);
  const cs = path.join(REPO, 'examples/csharp-uwp/BackgroundTask/BackgroundTask.csproj').split(path.sep).join('/');
  assert.deepEqual(componentProject({ path: cs, text: read(cs) }, readAbs), { project: path.join(REPO, 'examples/csharp-uwp/Tasks/Tasks.csproj').split(path.sep).join('/'), namespace: 'Tasks' });
  const cx = path.join(REPO, 'examples/cppcx-win81/App/App.vcxproj').split(path.sep).join('/');
  assert.equal(componentProject({ path: cx, text: read(cx) }, readAbs)?.project, path.join(REPO, 'examples/cppcx-win81/Tasks/Tasks.vcxproj').split(path.sep).join('/'));
  const tasks = path.join(REPO, 'examples/csharp-uwp/Tasks/Tasks.csproj').split(path.sep).join('/');
  assert.equal(componentProject({ path: tasks, text: read(tasks) }, readAbs), undefined, 'a project without references has none');
});

test('languages are offered by what the app is: C++ for a .vcxproj app (never C# first), C++/WinRT first where the project uses it, JS for a StartPage app, the COM model for an App SDK app', () => {
  const manifestOf = (rel: string) => extractManifest('/x/Package.appxmanifest', read(path.join(REPO, rel))).manifest!;
  const project = (rel: string) => ({ path: path.join(REPO, rel), text: read(path.join(REPO, rel)) });
  const cx = languageChoices(manifestOf('examples/cppcx-win81/App/Package.appxmanifest'), [project('examples/cppcx-win81/App/App.vcxproj')], []);
  assert.deepEqual(cx.fits, ['cppcx', 'cppwinrt']);
  assert.ok(cx.others.includes('csharp') && !cx.others.includes('appsdk'));
  assert.deepEqual(languageChoices(manifestOf('examples/cppcx-win81/App/Package.appxmanifest'), [{ path: '/a/App.vcxproj', text: '<Project><PropertyGroup><CppWinRTOptimized>true</CppWinRTOptimized></PropertyGroup></Project>' }], []).fits, ['cppwinrt', 'cppcx']);
  assert.deepEqual(languageChoices(manifestOf('examples/csharp-uwp/BackgroundTask/Package.appxmanifest'), [project('examples/csharp-uwp/BackgroundTask/BackgroundTask.csproj')], ['csharp']).fits, ['csharp']);
  assert.deepEqual(languageChoices(manifestOf('examples/winjs/Package.appxmanifest'), [], ['javascript']).fits, ['javascript', 'typescript']);
  assert.deepEqual(languageChoices(manifestOf('examples/appsdk-com/Package.appxmanifest'), [project('examples/appsdk-com/BackgroundTaskApp.csproj')], []).fits, ['appsdk']);
});

test('a trigger the app constructs itself is a typed parameter of the helper, in its own namespace (ControlChannelTrigger: Windows.Networking.Sockets)', () => {
  const trigger = triggerChoices('win10').find((c) => c.className === 'ControlChannelTrigger')!;
  assert.ok(trigger.parameter);
  const base = { name: 'Rtc', namespace: 'Tasks', appNamespace: 'App', trigger, conditions: [], profile: 'win10' as const };
  const text = (language: AddTaskOptions['language']) => generatedFiles({ ...base, language }).find((f) => /Registration/.test(f.rel))!.text;
  assert.match(text('csharp'), /RegisterAsync\(Windows\.Networking\.Sockets\.ControlChannelTrigger trigger\)/);
  assert.match(text('cppcx'), /Register\(Windows::Networking::Sockets::ControlChannelTrigger\^ trigger\)/);
  assert.match(text('cppwinrt'), /#include <winrt\/Windows\.Networking\.Sockets\.h>[\s\S]*RegisterAsync\(winrt::Windows::Networking::Sockets::ControlChannelTrigger trigger\)/);
  assert.match(generatedFiles({ ...base, language: 'cppcx', trigger: triggerChoices('win10').find((c) => c.className === 'PushNotificationTrigger')! }).find((f) => /Registration/.test(f.rel))!.text, /Register\(Windows::ApplicationModel::Background::PushNotificationTrigger\^ trigger\)/);
  assert.match(registrationCall({ ...base, language: 'csharp' }), /RegisterAsync\(\/\* new ControlChannelTrigger\(…\) \*\/\)/);
});
