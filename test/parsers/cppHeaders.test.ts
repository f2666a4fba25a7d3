// C++ constants in headers that never say "Background" (issue 9): the constant-only reader
// (parsers/cpp/constants) keys constants as the tree-sitter extractor does, and the scan reads only
// the headers that relevant C++ files #include (transitively), never the rest of an app's headers.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractCpp } from '../../src/core/parsers/cpp';
import { cppConstantFacts, includesOf } from '../../src/core/parsers/cpp/constants';
import { loadGrammar } from '../../src/core/parsers/treeSitter';
import { Engine } from '../../src/core/engine';
import { loadWorkspace } from '../../src/core/workspace/scan';
import { linkRegistrations } from '../../src/core/workspace/apps';

before(async () => {
  await loadGrammar('cpp');
});

const WINRT_HEADER = `#pragma once
#include "MainPage.g.h"
#include <winrt/Windows.Foundation.h>
#define TASK_GROUP L"Group" // a comment
#define NOT_A_STRING 42
#define FUNCTION_LIKE(x) L"x"

namespace winrt::SampleApp::implementation
{
    static constexpr wchar_t FreeName[] = L"Free";
    inline constexpr std::wstring_view ViewName{ L"View" };

    struct MainPage : MainPageT<MainPage>
    {
    public:
        MainPage() : m_count{ 0 } { InitializeComponent(); }
        static constexpr wchar_t TaskName[] = L"MainTask";
        static constexpr wchar_t const* TaskEntryPoint = L"Tasks.MainTask";
        static inline winrt::hstring const Wrapped{ L"Wrapped" };
        void Click(winrt::Windows::Foundation::IInspectable const& sender, int value = 3);
        hstring Title() { auto local = L"NotAConstant"; return local; }

        struct Names
        {
            static constexpr wchar_t Inner[] = L"Inner\\\\Name";
        };
    private:
        int m_count;
        static constexpr wchar_t Joined[] = L"A" L"B";
    };

    enum class Mode { One, Two };
}
`;

const CX_HEADER = `#pragma once
namespace CxApp
{
    namespace Names
    {
        static Platform::String^ const SyncName = "CxSync";
        Platform::String^ const EntryPoint = L"CxTasks.SyncTask", ^const Other = "Other";
    }
    public ref class Page sealed
    {
    public:
        static property Platform::String^ Title { Platform::String^ get() { return "Title"; } }
    internal:
        static Platform::String^ const Kept;
    };
}
Platform::String^ const CxApp::Page::Kept = L"KeptValue";
`;

test('issue 9 C++ header constants without "Background": keyed as the tree-sitter extractor keys them', () => {
  for (const [name, text] of [['MainPage.h', WINRT_HEADER], ['Names.h', CX_HEADER]] as const) {
    const cheap = cppConstantFacts(`/w/${name}`, 'cppcx', text).constants;
    // The same text with the marker goes through the full extractor.
    const full = extractCpp(`/w/${name}`, `${text}\n// Background\n`).constants;
    assert.deepEqual(cheap, full, name);
  }
  assert.deepEqual(cppConstantFacts('/w/MainPage.h', 'cppwinrt', WINRT_HEADER).constants, {
    TASK_GROUP: 'Group',
    'SampleApp.FreeName': 'Free',
    'SampleApp.ViewName': 'View',
    'SampleApp.MainPage.TaskName': 'MainTask',
    'SampleApp.MainPage.TaskEntryPoint': 'Tasks.MainTask',
    'SampleApp.MainPage.Wrapped': 'Wrapped',
    'SampleApp.MainPage.Names.Inner': 'Inner\\Name',
    'SampleApp.MainPage.Joined': 'AB',
  });
  assert.deepEqual(cppConstantFacts('/w/Names.h', 'cppcx', CX_HEADER).constants, {
    'CxApp.Names.SyncName': 'CxSync',
    'CxApp.Names.EntryPoint': 'CxTasks.SyncTask',
    'CxApp.Names.Other': 'Other',
    'CxApp.Page.Kept': 'KeptValue',
  });
});

test('issue 9 quoted #includes are listed (angle includes name SDK headers), in the full extractor too', () => {
  assert.deepEqual(includesOf(WINRT_HEADER), ['MainPage.g.h']);
  assert.deepEqual(includesOf('#include "pch.h"\n  #  include "Pages\\\\Main.h"\n// #include "commented.h"\n'), ['pch.h', 'Pages\\\\Main.h']);
  assert.deepEqual(extractCpp('/w/A.cpp', '#include "pch.h"\n#include "A.h"\nusing namespace winrt::Windows::ApplicationModel::Background;\n').includes, ['pch.h', 'A.h']);
});

test('the constant-only reader never throws on junk', () => {
  for (const junk of ['', '{', '}}}', 'namespace {', 'struct X { static constexpr wchar_t A[] = L"unterminated', '#define', '#define X L"a\\\n', 'R"(raw', 'a = "x";', 'template <typename T = int> struct X { static constexpr wchar_t N[] = L"T"; };']) {
    cppConstantFacts('/w/J.h', 'cppcx', junk);
  }
  const unit = 'namespace A { struct B { static constexpr wchar_t N[] = L"x"; void f() { g(L"y"); } }; }\n';
  assert.deepEqual(Object.keys(cppConstantFacts('/w/Big.h', 'cppcx', unit.repeat(20000)).constants), ['A.B.N']);
});

function writeTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-cpph-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir.split(path.sep).join('/');
}

const REGISTER = (page: string) => `#include "pch.h"
#include "${page}.h"
using namespace winrt::Windows::ApplicationModel::Background;
namespace winrt::App::implementation
{
    void ${page}::Register()
    {
        BackgroundTaskBuilder builder;
        builder.Name(TaskName);
        builder.TaskEntryPoint(TaskEntryPoint);
        builder.SetTrigger(TimeTrigger{ 15, false });
        builder.Register();
    }
}
`;

test('issue 9 the scan reads the headers relevant C++ files include (transitively, beside the file first), and no other header', async () => {
  const dir = writeTree({
    'App/pch.h': '#pragma once\n#include "Common\\\\Constants.h"\n',
    'App/Common/Constants.h': '#pragma once\n#define APP_GROUP L"AppGroup"\n',
    'App/TimerPage.h': 'namespace winrt::App::implementation { static constexpr wchar_t TaskName[] = L"Timer"; static constexpr wchar_t TaskEntryPoint[] = L"Tasks.Timer"; }\n',
    'App/ZonePage.h': 'namespace winrt::App::implementation { static constexpr wchar_t TaskName[] = L"Zone"; static constexpr wchar_t TaskEntryPoint[] = L"Tasks.Zone"; }\n',
    'App/TimerPage.cpp': REGISTER('TimerPage'),
    'App/ZonePage.cpp': REGISTER('ZonePage'),
    'App/Other/ZonePage.h': '#define NEVER L"read: TimerPage.cpp finds ZonePage.h beside it"\n',
    'App/Unused.h': 'static constexpr wchar_t Unused[] = L"never read";\n',
  });
  const engine = new Engine({ root: dir });
  await loadWorkspace(engine, [dir]);
  const constantsOf = (rel: string) => engine.facts(`${dir}/${rel}`)?.constants;
  assert.deepEqual(constantsOf('App/Common/Constants.h'), { APP_GROUP: 'AppGroup' }, 'through pch.h');
  assert.deepEqual(constantsOf('App/TimerPage.h'), { 'App.TaskName': 'Timer', 'App.TaskEntryPoint': 'Tasks.Timer' });
  assert.deepEqual(constantsOf('App/Other/ZonePage.h'), {}, 'the header beside the .cpp wins');
  assert.deepEqual(constantsOf('App/Unused.h'), {}, 'a header nobody includes stays unread');
  // Same-named namespace constants in two headers: each page resolves through its own include.
  const names = linkRegistrations(engine.relevantFiles()).map(({ file, registration }) => [path.basename(file.path), registration.name?.kind === 'string' ? registration.name.value : '?', registration.entryPoint?.kind === 'string' ? registration.entryPoint.value : '?']);
  assert.deepEqual(names.sort(), [['TimerPage.cpp', 'Timer', 'Tasks.Timer'], ['ZonePage.cpp', 'Zone', 'Tasks.Zone']]);
});

test('issue 9 editing a header without "Background" keeps its constants (the engine reads them as the scan does)', () => {
  const engine = new Engine();
  engine.setFile('/w/Names.h', 'struct Names { static constexpr wchar_t A[] = L"a"; };');
  assert.deepEqual(engine.facts('/w/Names.h')?.constants, { 'Names.A': 'a' });
  engine.setFile('/w/Names.h', 'struct Names { static constexpr wchar_t A[] = L"b"; };');
  assert.deepEqual(engine.facts('/w/Names.h')?.constants, { 'Names.A': 'b' });
});

test('issue 9 the constant-only reader is linear: a header 4x larger costs at most 5x', () => {
  const unit = (i: number) => `namespace A${i} { struct B { static constexpr wchar_t N[] = L"x${i}"; int F(int x) { auto s = L"y"; return x + ${i}; } }; }\n#define M${i} L"m"\n`;
  const make = (n: number) => Array.from({ length: n }, (_, i) => unit(i)).join('');
  const texts = [make(4000), make(16000)];
  const best = [Infinity, Infinity];
  cppConstantFacts('/w/Warm.h', 'cppcx', texts[0]);
  // Best of rounds; more rounds (up to six) only while the ratio is over the bar: a garbage collection
  // landing in a 30 ms measurement on a loaded machine once read as 5.5x.
  for (let round = 0; round < 6 && (round < 2 || best[1] > 5 * best[0]); round++) texts.forEach((text, i) => {
    const before = process.cpuUsage();
    cppConstantFacts('/w/Big.h', 'cppcx', text);
    const used = process.cpuUsage(before);
    best[i] = Math.min(best[i], (used.user + used.system) / 1000);
  });
  assert.ok(best[1] <= 5 * best[0], `${(texts[0].length / 1e6).toFixed(1)} MB ${best[0].toFixed(0)} ms, ${(texts[1].length / 1e6).toFixed(1)} MB ${best[1].toFixed(0)} ms`);
});

test('issue 9 a header that only declares its constants gets their values from the .cpp beside it (C++/CX Names.h / Names.cpp)', async () => {
  const dir = writeTree({
    'Cx/Names.h': '#pragma once\nnamespace CxApp\n{\n    ref class Names sealed\n    {\n    internal:\n        static Platform::String^ const TaskName;\n        static Platform::String^ const EntryPoint;\n    };\n}\n',
    'Cx/Names.cpp': '#include "pch.h"\n#include "Names.h"\nusing namespace CxApp;\nPlatform::String^ const Names::TaskName = L"CxTimer";\nnamespace CxApp\n{\n    Platform::String^ const Names::EntryPoint = "CxTasks.TimerTask";\n}\n',
    'Cx/Other.cpp': 'Platform::String^ const Unrelated = "never read";\n',
    'Cx/Scenario.cpp': '#include "pch.h"\n#include "Names.h"\nusing namespace CxApp;\nusing namespace Windows::ApplicationModel::Background;\nvoid Scenario::Register()\n{\n    auto builder = ref new BackgroundTaskBuilder();\n    builder->Name = Names::TaskName;\n    builder->TaskEntryPoint = Names::EntryPoint;\n    builder->SetTrigger(ref new TimeTrigger(15, false));\n    builder->Register();\n}\n',
  });
  const engine = new Engine({ root: dir });
  await loadWorkspace(engine, [dir]);
  assert.deepEqual(engine.facts(`${dir}/Cx/Other.cpp`)?.constants, {}, 'a .cpp beside no included header stays unread');
  const linked = linkRegistrations(engine.relevantFiles()).map(({ registration: r }) => [r.name?.kind === 'string' ? r.name.value : '?', r.entryPoint?.kind === 'string' ? r.entryPoint.value : '?']);
  assert.deepEqual(linked, [['CxTimer', 'CxTasks.TimerTask']]);
});
