// Every snippet in snippets/ is expanded with its default placeholders into a small app (task class,
// manifest declaration and registration together, as a developer would use them) and the engine must
// report no warning or error on it. Also checks the snippet files' shape and package.json's wiring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import { loadWorkspace } from '../../src/core/workspace/scan';
import { REPO } from '../helpers/ruleHarness';
import { expandSnippet } from './snippetExpand';

type SnippetFile = Record<string, { prefix: string; description: string; body: string[] }>;
const FILES = ['csharp.json', 'cpp.json', 'javascript.json', 'typescript.json', 'appxmanifest.json'];
const snippets: Record<string, SnippetFile> = Object.fromEntries(FILES.map((f) => [f, JSON.parse(fs.readFileSync(path.join(REPO, 'snippets', f), 'utf8'))]));
const used = new Set<string>();

/** The default expansion of the snippet with this prefix in this file. */
function snip(file: string, prefix: string): string {
  const entry = Object.values(snippets[file]).find((s) => s.prefix === prefix);
  assert.ok(entry, `${file}: no snippet with prefix ${prefix}`);
  used.add(`${file}:${prefix}`);
  return expandSnippet(entry.body);
}

const manifest = (extensions: string, profileNs = 'http://schemas.microsoft.com/appx/manifest/foundation/windows10', packageExtensions = '') => `<?xml version="1.0" encoding="utf-8"?>
<Package xmlns="${profileNs}" xmlns:uap="http://schemas.microsoft.com/appx/manifest/uap/windows10" xmlns:com="http://schemas.microsoft.com/appx/manifest/com/windows10" xmlns:rescap="http://schemas.microsoft.com/appx/manifest/foundation/windows10/restrictedcapabilities" IgnorableNamespaces="uap com rescap">
  <Identity Name="Snippet.App" Publisher="CN=bgtask" Version="1.0.0.0" />
  <Applications>
    <Application Id="App" Executable="App.exe" EntryPoint="App.App">
      <Extensions>
${extensions}
      </Extensions>
    </Application>
  </Applications>
${packageExtensions}
</Package>
`;

const csharpHost = (members: string, usings = 'using System;\nusing System.Threading.Tasks;\nusing Windows.ApplicationModel.Activation;\nusing Windows.ApplicationModel.Background;\n') =>
  `${usings}\nnamespace App\n{\n    public static class Registration\n    {\n${members}\n    }\n}\n`;

interface Checked {
  findings: string[];
  seen: { taskClasses: number; registrations: number; declarations: number };
}

async function checkFiles(files: Record<string, string>): Promise<Checked> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-snippets-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const engine = new Engine();
    await loadWorkspace(engine, [dir]);
    const findings = engine
      .check()
      .filter((f) => f.severity !== 'info')
      .map((f) => `${path.relative(dir, f.path)}:${f.start.line + 1}:${f.start.character + 1} ${f.severity} ${f.ruleId}: ${f.message}`);
    const facts = engine.relevantFiles();
    const seen = {
      taskClasses: facts.reduce((n, f) => n + f.taskClasses.length + f.jsTasks.length, 0),
      registrations: engine.workspace().apps.reduce((n, a) => n + a.registrations.length, 0),
      declarations: facts.reduce((n, f) => n + (f.manifest?.extensions.filter((e) => e.category === 'windows.backgroundTasks').length ?? 0), 0),
    };
    return { findings, seen };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Seen = Checked['seen'];
/** `expect`: what the engine must see, so that "clean" is not clean because nothing was parsed. */
const scenarios: Array<{ name: string; files: () => Record<string, string>; expect?: Partial<Seen> }> = [
  {
    name: 'C#: sync task + registration helper + handlers + systemEvent declaration',
    files: () => ({
      'Package.appxmanifest': manifest(snip('appxmanifest.json', 'bgtask-extension-systemEvent')),
      'Tasks/MyBackgroundTask.cs': snip('csharp.json', 'bgtask-task'),
      'App/Registration.cs': csharpHost(`${snip('csharp.json', 'bgtask-register')}\n\n${snip('csharp.json', 'bgtask-completed')}`),
    }),
    expect: { taskClasses: 1, registrations: 1, declarations: 1 },
  },
  {
    name: 'C#: async task with deferral + registration',
    files: () => ({
      'Package.appxmanifest': manifest(snip('appxmanifest.json', 'bgtask-extension-systemEvent')),
      'Tasks/MyBackgroundTask.cs': snip('csharp.json', 'bgtask-task-async'),
      'App/Registration.cs': csharpHost(`${snip('csharp.json', 'bgtask-register')}\n\n${snip('csharp.json', 'bgtask-completed')}`),
    }),
    expect: { taskClasses: 1, registrations: 1, declarations: 1 },
  },
  {
    name: 'C#: in-process OnBackgroundActivated in App',
    files: () => ({
      'Package.appxmanifest': manifest('        <Extension Category="windows.backgroundTasks">\n          <BackgroundTasks>\n            <Task Type="general" />\n          </BackgroundTasks>\n        </Extension>'),
      'App/App.xaml.cs': `using Windows.ApplicationModel.Activation;\nusing Windows.ApplicationModel.Background;\nusing Windows.UI.Xaml;\n\nnamespace App\n{\n    sealed partial class App : Application\n    {\n${snip('csharp.json', 'bgtask-onbackgroundactivated')}\n    }\n}\n`,
    }),
  },
  {
    name: 'C#: Windows App SDK COM task + manifest Extensions',
    files: () => ({
      'Package.appxmanifest': manifest(snip('appxmanifest.json', 'bgtask-extension-appsdk'), undefined, snip('appxmanifest.json', 'bgtask-activatableclass-appsdk')),
      'BackgroundTask.cs': snip('csharp.json', 'bgtask-appsdk-task'),
    }),
    expect: { taskClasses: 1, declarations: 1 },
  },
  {
    name: 'C++/CX: tasks + registration + handlers',
    files: () => ({
      'Package.appxmanifest': manifest(snip('appxmanifest.json', 'bgtask-extension-systemEvent')),
      'Tasks/MyBackgroundTask.h': `#pragma once\n${snip('cpp.json', 'bgtask-cx-task')}\n`,
      'Tasks/AsyncTask.h': `#pragma once\n#include <ppltasks.h>\n${snip('cpp.json', 'bgtask-cx-task-async').replace(/MyBackgroundTask/g, 'MyAsyncTask')}\n`,
      'App/Register.cpp': `#include "pch.h"\nusing namespace Windows::ApplicationModel::Background;\n${snip('cpp.json', 'bgtask-cx-completed')}\n\n${snip('cpp.json', 'bgtask-cx-register')}\n`,
    }),
  },
  {
    name: 'C++/WinRT: tasks + registration + handlers + OnBackgroundActivated',
    files: () => ({
      'Package.appxmanifest': manifest(snip('appxmanifest.json', 'bgtask-extension-systemEvent')),
      'Tasks/MyBackgroundTask.h': `#pragma once\n#include "MyBackgroundTask.g.h"\n${snip('cpp.json', 'bgtask-winrt-task')}\n`,
      'Tasks/AsyncTask.h': `#pragma once\n#include "MyAsyncTask.g.h"\n${snip('cpp.json', 'bgtask-winrt-task-async').replace(/MyBackgroundTask/g, 'MyAsyncTask')}\n`,
      'App/Register.cpp': `#include "pch.h"\n${snip('cpp.json', 'bgtask-winrt-completed')}\n\n${snip('cpp.json', 'bgtask-winrt-register')}\n\n${snip('cpp.json', 'bgtask-winrt-onbackgroundactivated')}\n`,
    }),
  },
  ...(['javascript', 'typescript'] as const).map((lang) => {
    const ext = lang === 'javascript' ? 'js' : 'ts';
    const file = `${lang}.json`;
    return {
      name: `${lang}: task script + registration + handlers + StartPage declaration`,
      files: () => ({
        'Package.appxmanifest': manifest(snip('appxmanifest.json', 'bgtask-extension-js')),
        [`js/mybackgroundtask.${ext}`]: snip(file, 'bgtask-task'),
        [`js/default.${ext}`]: `${snip(file, 'bgtask-completed')}\n\n${snip(file, 'bgtask-register')}\n\n${snip(file, 'bgtask-onbackgroundactivated')}\n\nregisterMyBackgroundTask();\n`,
      }),
    };
  }),
];

// Every manifest Extension snippet, declared for the C# sync task class.
for (const [title, s] of Object.entries(JSON.parse(fs.readFileSync(path.join(REPO, 'snippets', 'appxmanifest.json'), 'utf8')) as SnippetFile)) {
  if (s.prefix === 'bgtask-extension-js' || s.prefix === 'bgtask-extension-appsdk' || s.prefix === 'bgtask-activatableclass-appsdk') continue;
  scenarios.push({
    name: `manifest: ${title}`,
    files: () => ({ 'Package.appxmanifest': manifest(snip('appxmanifest.json', s.prefix)), 'Tasks/MyBackgroundTask.cs': snip('csharp.json', 'bgtask-task') }),
    expect: { taskClasses: 1, declarations: 1 },
  });
}

for (const scenario of scenarios) {
  test(`snippets check clean: ${scenario.name}`, async () => {
    const { findings, seen } = await checkFiles(scenario.files());
    assert.deepEqual(findings, []);
    for (const [k, n] of Object.entries(scenario.expect ?? {})) assert.equal(seen[k as keyof Seen], n, `engine saw ${JSON.stringify(seen)}`);
  });
}

test('every snippet is covered by a scenario above, and every one is well-formed', () => {
  for (const s of scenarios) s.files();
  const all = FILES.flatMap((f) => Object.values(snippets[f]).map((s) => `${f}:${s.prefix}`));
  assert.deepEqual(all.filter((id) => !used.has(id)), []);
  for (const f of FILES) {
    const prefixes = Object.values(snippets[f]).map((s) => s.prefix);
    assert.equal(new Set(prefixes).size, prefixes.length, `${f}: duplicate prefixes`);
    for (const [title, s] of Object.entries(snippets[f])) {
      assert.ok(s.prefix.startsWith('bgtask-'), `${f} ${title}: prefix namespaced bgtask-`);
      assert.ok(s.description.length > 20, `${f} ${title}: description`);
      assert.ok(Array.isArray(s.body) && s.body.length > 0, `${f} ${title}: body`);
    }
  }
  assert.ok(all.length >= 30, `snippets: ${all.length}`);
});

test('package.json contributes each snippet file for its languages', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const contributed: Array<{ language: string; path: string }> = pkg.contributes?.snippets ?? [];
  const byPath = (p: string) => contributed.filter((c) => c.path === `./snippets/${p}`).map((c) => c.language).sort();
  assert.deepEqual(byPath('csharp.json'), ['csharp']);
  assert.deepEqual(byPath('cpp.json'), ['cpp']);
  assert.deepEqual(byPath('javascript.json'), ['javascript']);
  assert.deepEqual(byPath('typescript.json'), ['typescript']);
  assert.deepEqual(byPath('appxmanifest.json'), ['xml']);
});

test('the expander follows VS Code snippet syntax', () => {
  assert.equal(expandSnippet(['a ${1:Foo} $1 ${2|x,y|} \\$ $0 ${TM_FILENAME:f}']), 'a Foo Foo x $  f');
  assert.equal(expandSnippet('${1:outer ${2:inner}} $2'), 'outer inner inner');
});
