// What "Background Tasks: Add Background Task…" writes, as pure functions: per language the task class
// (C#, C++/CX, C++/WinRT, JavaScript, TypeScript, Windows App SDK COM), a registration helper (AllTasks
// check, RequestAccessAsync, guarded Register, Completed handler) and the manifest edit. No vscode import.
import type { ManifestFacts, ProfileId } from '../core/facts/types';
import { APPSDK_ENTRY_POINT, SYSTEM_CONDITION_TYPES, SYSTEM_TRIGGER_TYPES, TASK_TYPES_BY_NAMESPACE, TRIGGER_CLASSES, taskTypesForTrigger } from '../core/model/catalog';

export type AddTaskLanguage = 'csharp' | 'cppcx' | 'cppwinrt' | 'javascript' | 'typescript' | 'appsdk';

export const LANGUAGES: Record<AddTaskLanguage, { label: string; description: string }> = {
  csharp: { label: 'C#', description: 'IBackgroundTask class in a Windows Runtime Component' },
  cppcx: { label: 'C++/CX', description: 'public ref class … sealed : IBackgroundTask (.h and .cpp)' },
  cppwinrt: { label: 'C++/WinRT', description: 'runtimeclass in .idl, implementation in .h and .cpp' },
  javascript: { label: 'JavaScript', description: 'background task script (manifest StartPage)' },
  typescript: { label: 'TypeScript', description: 'background task script compiled to .js (manifest StartPage)' },
  appsdk: { label: 'C# (Windows App SDK COM)', description: 'COM class activated through UniversalBGTask, registered with the App SDK builder' },
};

/** The project item each generated file needs where the project lists its files. */
export type ProjectItemKind = 'Compile' | 'ClCompile' | 'ClInclude' | 'Midl' | 'Content' | 'TypeScriptCompile';

export interface TriggerChoice {
  className: string;
  systemTriggerType?: string;
  freshness?: number;
  /** The constructor needs app-specific arguments (a device, channel, geofence...): the helper takes the trigger as a parameter. */
  parameter?: boolean;
}

export interface TriggerPick extends TriggerChoice {
  label: string;
  taskType: string;
  /** One line: what fires it. */
  description: string;
  /** What it needs: Task Type, lock screen on 8.x, one per app, constructor arguments. */
  needs: string;
  /** Why it cannot be added to this app, when it cannot (shown instead of hiding the trigger). */
  unavailable?: string;
}

export interface AddTaskOptions {
  language: AddTaskLanguage;
  /** Class name (C#, C++) or script base name (JavaScript/TypeScript); also the registration name. */
  name: string;
  /** The task class namespace (C#, C++). */
  namespace: string;
  /** C#: the namespace of the app code that holds the registration helper. */
  appNamespace: string;
  trigger: TriggerChoice;
  conditions: string[];
  profile: ProfileId;
  /** C++: the .cpp starts with `#include "pch.h"` (the project uses a precompiled header). */
  pch?: boolean;
  /** Windows App SDK: the COM class id (a GUID without braces). */
  clsid?: string;
}

export interface TextInsert {
  offset: number;
  text: string;
}

export interface GeneratedFile {
  /** 'task': the task project's folder; 'app': the app's (manifest's) folder. */
  place: 'task' | 'app';
  /** Path relative to that folder, forward slashes. */
  rel: string;
  text: string;
  item: ProjectItemKind;
}

const win10Like = (p: ProfileId) => p === 'win10' || p === 'appsdk';
const SIMPLE = new Set(['SystemTrigger', 'TimeTrigger', 'MaintenanceTrigger', 'ApplicationTrigger']);

/**
 * Every trigger of the profile, with what it needs; a single-instance trigger the app already
 * registers stays in the list with the reason it cannot be added (§3.1 limits on trigger instances).
 */
export function triggerChoices(profile: ProfileId, registeredTriggerClasses: readonly string[] = []): TriggerPick[] {
  const out: TriggerPick[] = [];
  const lock = (on8x: boolean) => (!win10Like(profile) && profile !== 'phone81' && on8x ? ' · lock screen (RequestAccessAsync)' : '');
  for (const t of SYSTEM_TRIGGER_TYPES) {
    if (t.since === 'win10' && !win10Like(profile)) continue;
    if (t.since === 'win81' && profile === 'win8') continue;
    const taskType = taskTypesForTrigger('SystemTrigger', profile)[0];
    out.push({ className: 'SystemTrigger', systemTriggerType: t.name, label: `SystemTrigger: ${t.name}`, taskType, description: t.description, needs: `Task Type ${taskType}${lock(t.lockScreenOn8x)}` });
  }
  for (const info of TRIGGER_CLASSES) {
    if (info.name === 'SystemTrigger') continue;
    if (info.win10Only && !win10Like(profile)) continue;
    const types = taskTypesForTrigger(info.name, profile);
    if (!types.length) continue;
    const parameter = !SIMPLE.has(info.name);
    const needs = [`Task Type ${types[0]}`, lock(info.lockScreenOn8x).slice(3), info.singleInstance ? 'one per app' : '', parameter ? 'you construct it (app-specific arguments); the helper takes it as a parameter' : ''].filter(Boolean).join(' · ');
    const unavailable = info.singleInstance && registeredTriggerClasses.includes(info.name) ? `the app already registers a ${info.name}, and an app may register it only once` : undefined;
    out.push({ className: info.name, freshness: info.hasFreshness ? 15 : undefined, parameter: parameter || undefined, label: info.hasFreshness ? `${info.name} (15 minutes)` : info.name, taskType: types[0], description: info.description, needs, unavailable });
  }
  return out;
}

/**
 * The condition picker's selection after the user changed it: a newly picked condition that can never
 * hold together with one already picked (§2) is refused with the reason; the rest of the selection stays.
 */
export function conditionSelection(previous: readonly string[], next: readonly string[]): { selected: string[]; refused?: string } {
  const conflictOf = (n: string) => SYSTEM_CONDITION_TYPES.find((c) => c.name === n)?.conflictsWith;
  const refused = next.filter((n) => !previous.includes(n) && conflictOf(n) && next.includes(conflictOf(n)!) && previous.includes(conflictOf(n)!));
  const selected = next.filter((n) => !refused.includes(n));
  return refused.length ? { selected, refused: `${refused[0]} cannot be combined with ${conflictOf(refused[0])} (never both true); unselect ${conflictOf(refused[0])} first` } : { selected };
}

export const isIdentifier = (s: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);

/** A fresh COM class id, upper case without braces. */
export function newClsid(random: () => number = Math.random): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const variant = ((Math.floor(random() * 4) + 8) as number).toString(16);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`.toUpperCase();
}

/** The namespace of a trigger class: Windows.ApplicationModel.Background, but ControlChannelTrigger is Windows.Networking.Sockets (§3.1). */
const triggerNamespace = (className: string) => (className === 'ControlChannelTrigger' ? 'Windows.Networking.Sockets' : 'Windows.ApplicationModel.Background');

const isJs = (l: AddTaskLanguage) => l === 'javascript' || l === 'typescript';
const isCpp = (l: AddTaskLanguage) => l === 'cppcx' || l === 'cppwinrt';
const camel = (s: string) => s[0].toLowerCase() + s.slice(1);

/** The entry point as the registration and the manifest write it. */
export function entryPointOf(o: AddTaskOptions): string {
  if (o.language === 'appsdk') return APPSDK_ENTRY_POINT;
  return isJs(o.language) ? `js\\${o.name.toLowerCase()}.js` : `${o.namespace}.${o.name}`;
}

/** Where the registration call goes, written for the language (for the message and the start-up insert). */
export function registrationCall(o: AddTaskOptions): string {
  const arg = o.trigger.parameter ? `/* new ${o.trigger.className}(…) */` : '';
  switch (o.language) {
    case 'csharp':
    case 'appsdk':
      return `_ = ${o.name}Registration.RegisterAsync(${arg});`;
    case 'cppcx':
      return `${o.name}Registration::Register(${arg});`;
    case 'cppwinrt':
      return `${o.name}Registration::RegisterAsync(${arg});`;
    default:
      return `register${o.name}(${arg});`;
  }
}

/** The files to create, each with the project item it needs. */
export function generatedFiles(o: AddTaskOptions): GeneratedFile[] {
  const base = o.name.toLowerCase();
  switch (o.language) {
    case 'csharp':
    case 'appsdk':
      return [
        { place: 'task', rel: `${o.name}.cs`, text: o.language === 'appsdk' ? appSdkClassText(o) : csharpClassText(o), item: 'Compile' },
        { place: 'app', rel: `${o.name}Registration.cs`, text: csharpRegistrationText(o), item: 'Compile' },
      ];
    case 'cppcx':
      return [
        { place: 'task', rel: `${o.name}.h`, text: cppcxHeader(o), item: 'ClInclude' },
        { place: 'task', rel: `${o.name}.cpp`, text: cppcxSource(o), item: 'ClCompile' },
        { place: 'app', rel: `${o.name}Registration.h`, text: cppcxRegistration(o), item: 'ClInclude' },
      ];
    case 'cppwinrt':
      return [
        { place: 'task', rel: `${o.name}.idl`, text: cppwinrtIdl(o), item: 'Midl' },
        { place: 'task', rel: `${o.name}.h`, text: cppwinrtHeader(o), item: 'ClInclude' },
        { place: 'task', rel: `${o.name}.cpp`, text: cppwinrtSource(o), item: 'ClCompile' },
        { place: 'app', rel: `${o.name}Registration.h`, text: cppwinrtRegistration(o), item: 'ClInclude' },
      ];
    case 'javascript':
    case 'typescript': {
      const ext = o.language === 'typescript' ? 'ts' : 'js';
      const item: ProjectItemKind = o.language === 'typescript' ? 'TypeScriptCompile' : 'Content';
      return [
        { place: 'app', rel: `js/${base}.${ext}`, text: jsTaskText(o), item },
        { place: 'app', rel: `js/${base}-registration.${ext}`, text: jsRegistrationText(o), item },
      ];
    }
  }
}

function triggerExpression(t: TriggerChoice, language: AddTaskLanguage): string {
  if (t.parameter) return 'trigger';
  if (isJs(language)) {
    if (t.className === 'SystemTrigger') return `new background.SystemTrigger(background.SystemTriggerType.${camel(t.systemTriggerType!)}, false)`;
    return t.freshness !== undefined ? `new background.${t.className}(${t.freshness}, false)` : `new background.${t.className}()`;
  }
  const sep = isCpp(language) ? '::' : '.';
  const args = t.className === 'SystemTrigger' ? `SystemTriggerType${sep}${t.systemTriggerType}, false` : t.freshness !== undefined ? `${t.freshness}, false` : '';
  if (language === 'cppcx') return `ref new ${t.className}(${args})`;
  if (language === 'cppwinrt') return `${t.className}(${args})`;
  return `new ${t.className}(${args})`;
}

function csharpClassText(o: AddTaskOptions): string {
  return `using System;
using System.Threading;
using System.Threading.Tasks;
using Windows.ApplicationModel.Background;

namespace ${o.namespace}
{
    public sealed class ${o.name} : IBackgroundTask
    {
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();

        public async void Run(IBackgroundTaskInstance taskInstance)
        {
            // Take the deferral before the first await: once Run returns, Windows may end the task.
            var deferral = taskInstance.GetDeferral();
            taskInstance.Canceled += (sender, reason) => _cancellation.Cancel();
            try
            {
                await DoWorkAsync(_cancellation.Token);
            }
            finally
            {
                deferral.Complete();
            }
        }

        private static async Task DoWorkAsync(CancellationToken cancellationToken)
        {
            // TODO: the task's work.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }
}
`;
}

function appSdkClassText(o: AddTaskOptions): string {
  return `// ${o.name}: the COM class Windows activates through the App SDK's UniversalBGTask when the trigger
// fires. Its GUID is the com:Class Id in the manifest and the CLSID the registration passes.
using System;
using System.Runtime.InteropServices;
using Windows.ApplicationModel.Background;

namespace ${o.namespace}
{
    [ComVisible(true)]
    [Guid("${o.clsid}")]
    public sealed class ${o.name} : IBackgroundTask
    {
        private volatile bool _canceled;

        [MTAThread]
        public void Run(IBackgroundTaskInstance taskInstance)
        {
            taskInstance.Canceled += (sender, reason) => _canceled = true;
            // TODO: the task's work (check _canceled between steps). For asynchronous work take
            // taskInstance.GetDeferral() first and Complete() it in a finally block.
        }
    }
}
`;
}

function csharpRegistrationText(o: AddTaskOptions): string {
  const conditions = o.conditions.map((c) => `\n            builder.AddCondition(new SystemCondition(SystemConditionType.${c}));`).join('');
  const appSdk = o.language === 'appsdk';
  const builder = appSdk ? 'new AppSdkBackground.BackgroundTaskBuilder()' : 'new BackgroundTaskBuilder()';
  const entry = appSdk ? `builder.SetTaskEntryPointClsid(new Guid("${o.clsid}"));` : `builder.TaskEntryPoint = "${entryPointOf(o)}";`;
  const param = o.trigger.parameter ? `${o.trigger.className === 'ControlChannelTrigger' ? `${triggerNamespace(o.trigger.className)}.` : ''}${o.trigger.className} trigger` : '';
  return `using System;
using System.Threading.Tasks;
using Windows.ApplicationModel.Background;${appSdk ? '\nusing AppSdkBackground = Microsoft.Windows.ApplicationModel.Background;' : ''}

namespace ${o.appNamespace}
{
    public static class ${o.name}Registration
    {
        /// <summary>Registers ${o.name} once; call it when the app starts.</summary>
        public static async Task<BackgroundTaskRegistration> RegisterAsync(${param})
        {
            foreach (var existing in BackgroundTaskRegistration.AllTasks.Values)
            {
                if (existing.Name == "${o.name}")
                {
                    existing.Completed += OnCompleted;
                    return existing as BackgroundTaskRegistration;
                }
            }
            await BackgroundExecutionManager.RequestAccessAsync();
            var builder = ${builder};
            builder.Name = "${o.name}";
            ${entry}
            builder.SetTrigger(${triggerExpression(o.trigger, o.language)});${conditions}
            try
            {
                var registration = builder.Register();
                registration.Completed += OnCompleted;
                return registration;
            }
            catch (Exception ex)
            {
                System.Diagnostics.Debug.WriteLine("Could not register ${o.name}: " + ex.Message);
                return null;
            }
        }

        private static void OnCompleted(IBackgroundTaskRegistration sender, BackgroundTaskCompletedEventArgs args)
        {
            try
            {
                args.CheckResult();
            }
            catch (Exception ex)
            {
                System.Diagnostics.Debug.WriteLine(sender.Name + " failed: " + ex.Message);
            }
        }
    }
}
`;
}

const cppNs = (ns: string) => ns.replace(/\./g, '::');

function cppcxHeader(o: AddTaskOptions): string {
  return `// ${o.name}: a background task. A Windows Runtime component class: public, sealed, implements IBackgroundTask.
#pragma once

namespace ${cppNs(o.namespace)}
{
    [Windows::Foundation::Metadata::WebHostHidden]
    public ref class ${o.name} sealed : public Windows::ApplicationModel::Background::IBackgroundTask
    {
    public:
        ${o.name}();

        virtual void Run(Windows::ApplicationModel::Background::IBackgroundTaskInstance^ taskInstance);

    private:
        void OnCanceled(Windows::ApplicationModel::Background::IBackgroundTaskInstance^ sender, Windows::ApplicationModel::Background::BackgroundTaskCancellationReason reason);

        volatile bool canceled;
    };
}
`;
}

function cppcxSource(o: AddTaskOptions): string {
  return `${o.pch ? '#include "pch.h"\n' : ''}#include "${o.name}.h"

using namespace ${cppNs(o.namespace)};
using namespace Windows::ApplicationModel::Background;

${o.name}::${o.name}() : canceled(false)
{
}

void ${o.name}::Run(IBackgroundTaskInstance^ taskInstance)
{
    taskInstance->Canceled += ref new BackgroundTaskCanceledEventHandler(this, &${o.name}::OnCanceled);
    // TODO: the task's work (check canceled between steps). For asynchronous work take
    // taskInstance->GetDeferral() first and Complete() it when the work is done.
}

void ${o.name}::OnCanceled(IBackgroundTaskInstance^ sender, BackgroundTaskCancellationReason reason)
{
    canceled = true;
}
`;
}

function cppcxRegistration(o: AddTaskOptions): string {
  const conditions = o.conditions.map((c) => `\n            builder->AddCondition(ref new SystemCondition(SystemConditionType::${c}));`).join('');
  const param = o.trigger.parameter ? `${cppNs(triggerNamespace(o.trigger.className))}::${o.trigger.className}^ trigger` : '';
  return `// Registers the ${o.name} background task once: reuses an existing registration, asks for access,
// guards Register() and handles Completed. Call ${o.name}Registration::Register() when the app starts.
#pragma once
#include <ppltasks.h>

namespace ${o.name}Registration
{
    inline void OnCompleted(Windows::ApplicationModel::Background::BackgroundTaskRegistration^ sender, Windows::ApplicationModel::Background::BackgroundTaskCompletedEventArgs^ args)
    {
        try
        {
            args->CheckResult();
        }
        catch (Platform::Exception^ ex)
        {
            Windows::Storage::ApplicationData::Current->LocalSettings->Values->Insert(sender->Name, ex->Message);
        }
    }

    inline void Register(${param})
    {
        using namespace Windows::ApplicationModel::Background;
        auto iter = BackgroundTaskRegistration::AllTasks->First();
        while (iter->HasCurrent)
        {
            if (iter->Current->Value->Name == "${o.name}")
            {
                return;
            }
            iter->MoveNext();
        }
        concurrency::create_task(BackgroundExecutionManager::RequestAccessAsync()).then([${o.trigger.parameter ? 'trigger' : ''}](BackgroundAccessStatus status)
        {
            auto builder = ref new BackgroundTaskBuilder();
            builder->Name = "${o.name}";
            builder->TaskEntryPoint = "${entryPointOf(o)}";
            builder->SetTrigger(${triggerExpression(o.trigger, o.language)});${conditions}
            try
            {
                auto registration = builder->Register();
                registration->Completed += ref new BackgroundTaskCompletedEventHandler(&OnCompleted);
            }
            catch (Platform::Exception^ ex)
            {
                Windows::Storage::ApplicationData::Current->LocalSettings->Values->Insert("${o.name}", ex->Message);
            }
        });
    }
}
`;
}

function cppwinrtIdl(o: AddTaskOptions): string {
  return `// ${o.name}: the Windows Runtime class the manifest's EntryPoint names (${o.namespace}.${o.name}).
namespace ${o.namespace}
{
    [default_interface]
    runtimeclass ${o.name} : Windows.ApplicationModel.Background.IBackgroundTask
    {
        ${o.name}();
    }
}
`;
}

function cppwinrtHeader(o: AddTaskOptions): string {
  const ns = cppNs(o.namespace);
  return `// ${o.name}: a background task (C++/WinRT implementation of the runtimeclass in ${o.name}.idl).
#pragma once
#include "${o.name}.g.h"

namespace winrt::${ns}::implementation
{
    struct ${o.name} : ${o.name}T<${o.name}>
    {
        ${o.name}() = default;

        void Run(winrt::Windows::ApplicationModel::Background::IBackgroundTaskInstance const& taskInstance);

    private:
        std::atomic<bool> m_canceled{ false };
    };
}

namespace winrt::${ns}::factory_implementation
{
    struct ${o.name} : ${o.name}T<${o.name}, implementation::${o.name}>
    {
    };
}
`;
}

function cppwinrtSource(o: AddTaskOptions): string {
  return `${o.pch === false ? '' : '#include "pch.h"\n'}#include "${o.name}.h"
#include "${o.name}.g.cpp"

namespace winrt::${cppNs(o.namespace)}::implementation
{
    void ${o.name}::Run(winrt::Windows::ApplicationModel::Background::IBackgroundTaskInstance const& taskInstance)
    {
        taskInstance.Canceled([this](auto&&, auto&&) { m_canceled = true; });
        // TODO: the task's work (check m_canceled between steps). For asynchronous work take
        // taskInstance.GetDeferral() first and Complete() it when the work is done.
    }
}
`;
}

function cppwinrtRegistration(o: AddTaskOptions): string {
  const conditions = o.conditions.map((c) => `\n        builder.AddCondition(SystemCondition(SystemConditionType::${c}));`).join('');
  const param = o.trigger.parameter ? `winrt::${cppNs(triggerNamespace(o.trigger.className))}::${o.trigger.className} trigger` : '';
  return `// Registers the ${o.name} background task once: reuses an existing registration, asks for access,
// guards Register() and handles Completed. Call ${o.name}Registration::RegisterAsync() when the app starts.
#pragma once
#include <winrt/Windows.ApplicationModel.Background.h>
#include <winrt/Windows.Foundation.h>
#include <winrt/Windows.Foundation.Collections.h>
#include <winrt/Windows.Storage.h>${o.trigger.className === 'ControlChannelTrigger' ? '\n#include <winrt/Windows.Networking.Sockets.h>' : ''}

namespace ${o.name}Registration
{
    inline void OnCompleted(winrt::Windows::ApplicationModel::Background::BackgroundTaskRegistration const& sender, winrt::Windows::ApplicationModel::Background::BackgroundTaskCompletedEventArgs const& args)
    {
        try
        {
            args.CheckResult();
        }
        catch (winrt::hresult_error const& ex)
        {
            winrt::Windows::Storage::ApplicationData::Current().LocalSettings().Values().Insert(sender.Name(), winrt::box_value(ex.message()));
        }
    }

    inline winrt::Windows::Foundation::IAsyncAction RegisterAsync(${param})
    {
        using namespace winrt::Windows::ApplicationModel::Background;
        for (auto const& pair : BackgroundTaskRegistration::AllTasks())
        {
            if (pair.Value().Name() == L"${o.name}")
            {
                co_return;
            }
        }
        co_await BackgroundExecutionManager::RequestAccessAsync();
        BackgroundTaskBuilder builder;
        builder.Name(L"${o.name}");
        builder.TaskEntryPoint(L"${entryPointOf(o)}");
        builder.SetTrigger(${triggerExpression(o.trigger, o.language)});${conditions}
        try
        {
            auto registration = builder.Register();
            registration.Completed(&OnCompleted);
        }
        catch (winrt::hresult_error const& ex)
        {
            winrt::Windows::Storage::ApplicationData::Current().LocalSettings().Values().Insert(L"${o.name}", winrt::box_value(ex.message()));
        }
    }
}
`;
}

function jsTaskText(o: AddTaskOptions): string {
  return `// ${o.name}: a ${o.language === 'typescript' ? 'TypeScript' : 'JavaScript'} background task (the manifest's StartPage). It must call close() when done.
(function () {
    "use strict";
    var taskInstance = Windows.UI.WebUI.WebUIBackgroundTaskInstance.current;
    var canceled = false;
    taskInstance.addEventListener("canceled", function () {
        canceled = true;
    });
    try {
        // TODO: the task's work.
        taskInstance.succeeded = !canceled;
    } finally {
        close();
    }
})();
`;
}

function jsRegistrationText(o: AddTaskOptions): string {
  const conditions = o.conditions.map((c) => `\n        builder.addCondition(new background.SystemCondition(background.SystemConditionType.${camel(c)}));`).join('');
  const param = o.trigger.parameter ? 'trigger' : '';
  const ts = o.language === 'typescript';
  return `// Registers the ${o.name} background task once: reuses an existing registration, asks for access,
// guards register() and listens for completed. Call register${o.name}() when the app starts.
function register${o.name}(${param}${ts && param ? ': any' : ''}) {
    var background = Windows.ApplicationModel.Background;
    var iter = background.BackgroundTaskRegistration.allTasks.first();
    while (iter.hasCurrent) {
        if (iter.current.value.name === "${o.name}") {
            iter.current.value.addEventListener("completed", on${o.name}Completed);
            return;
        }
        iter.moveNext();
    }
    background.BackgroundExecutionManager.requestAccessAsync().done(function () {
        var builder = new background.BackgroundTaskBuilder();
        builder.name = "${o.name}";
        builder.taskEntryPoint = "${entryPointOf(o).replace(/\\/g, '\\\\')}";
        builder.setTrigger(${triggerExpression(o.trigger, o.language)});${conditions}
        try {
            var registration = builder.register();
            registration.addEventListener("completed", on${o.name}Completed);
        } catch (e) {
            console.error("Could not register ${o.name}: " + e.message);
        }
    });
}

function on${o.name}Completed(args${ts ? ': any' : ''}) {
    try {
        args.checkResult();
    } catch (e) {
        console.error(args.target.name + " failed: " + e.message);
    }
}
`;
}

/** `<Task Type>` with the prefix of a namespace that allows it (default namespace first). */
function taskElement(type: string, manifest: ManifestFacts): string {
  const uris = Object.keys(TASK_TYPES_BY_NAMESPACE).filter((u) => TASK_TYPES_BY_NAMESPACE[u].includes(type));
  const declared = uris.filter((u) => u in manifest.namespaces).sort((a, b) => (manifest.namespaces[a] === '' ? -1 : manifest.namespaces[b] === '' ? 1 : 0));
  const prefix = declared.length ? manifest.namespaces[declared[0]] : '';
  return `<${prefix ? `${prefix}:` : ''}Task Type="${type}" />`;
}

/** The Task Type the trigger needs on the app's profile (App SDK: always `general`, §3.1). */
export function taskTypeOf(o: AddTaskOptions): string | undefined {
  return o.language === 'appsdk' ? 'general' : taskTypesForTrigger(o.trigger.className, o.profile)[0];
}

/**
 * The manifest edits: a Task Type added to an existing Extension for the entry point, or a new
 * Extension in the first Application's <Extensions> (created before </Application> when missing);
 * for the App SDK model also the task's com:Class in the app's com:ExeServer.
 */
export function manifestInserts(o: AddTaskOptions, manifest: ManifestFacts, text: string): TextInsert[] | { error: string } {
  const first = manifestInsert(o, manifest, text);
  if ('error' in first) return first;
  const out = first.text ? [first] : [];
  if (o.language === 'appsdk') {
    const com = comClassInsert(o, text);
    if ('error' in com) return com;
    out.push(com);
  }
  return out;
}

export function manifestInsert(o: AddTaskOptions, manifest: ManifestFacts, text: string): TextInsert | { error: string } {
  const type = taskTypeOf(o);
  if (!type) return { error: `${o.trigger.className} is not available on ${o.profile}` };
  const entry = entryPointOf(o);
  const js = isJs(o.language);
  const attrName = js ? 'StartPage' : 'EntryPoint';
  const existing = manifest.extensions.find((e) => e.category === 'windows.backgroundTasks' && (js ? e.startPage?.value === entry : e.entryPoint?.value === entry));
  if (existing) {
    if (existing.tasks.some((t) => t.type === type)) return { offset: existing.span.end, text: '' };
    if (!existing.backgroundTasks) return { error: `the Extension for ${entry} has no <BackgroundTasks>` };
    return { offset: existing.backgroundTasks.insertOffset, text: `\n${existing.backgroundTasks.indent}${taskElement(type, manifest)}` };
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const app = manifest.applications[0];
  if (!app) return { error: 'the manifest has no <Application>' };
  const block = (indent: string, unit: string) =>
    [`<Extension Category="windows.backgroundTasks" ${attrName}="${entry}">`, `${unit}<BackgroundTasks>`, `${unit}${unit}${taskElement(type, manifest)}`, `${unit}</BackgroundTasks>`, `</Extension>`].map((l) => indent + l).join(eol);
  if (app.extensionsInsert) {
    const { offset, indent } = app.extensionsInsert;
    return { offset, text: eol + block(indent, unitOf(text, offset, indent)) };
  }
  const close = text.lastIndexOf('</', app.span.end - 1);
  const lineStart = text.lastIndexOf('\n', close) + 1;
  const appIndent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const unit = appIndent.includes('\t') ? '\t' : appIndent.length >= 2 ? appIndent.slice(0, Math.min(appIndent.length, 2)) : '  ';
  const inner = appIndent + unit;
  return { offset: lineStart, text: `${inner}<Extensions>${eol}${block(inner + unit, unit)}${eol}${inner}</Extensions>${eol}` };
}

/** App SDK: `<com:Class Id=… />` after the last class of the first com:ExeServer (its prefix, its indent). */
function comClassInsert(o: AddTaskOptions, text: string): TextInsert | { error: string } {
  const server = /<(\w+:)?ExeServer\b[^>]*>/.exec(text);
  if (!server) return { error: 'the manifest has no com:ExeServer for the App SDK COM task model; add the COM server (see the appsdk-com-class-missing rule page) and run the command again' };
  const prefix = server[1] ?? '';
  const end = text.indexOf(`</${prefix}ExeServer>`, server.index);
  if (end < 0) return { error: 'the com:ExeServer element is not closed' };
  const classes = [...text.slice(server.index, end).matchAll(new RegExp(`<${prefix}Class\\b[^>]*>`, 'g'))];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const element = `<${prefix}Class Id="${o.clsid}" DisplayName="${o.name}" />`;
  if (classes.length) {
    const last = classes[classes.length - 1];
    const at = server.index + last.index! + last[0].length;
    const lineStart = text.lastIndexOf('\n', server.index + last.index!) + 1;
    return { offset: at, text: `${eol}${/^[ \t]*/.exec(text.slice(lineStart))![0]}${element}` };
  }
  const lineStart = text.lastIndexOf('\n', end) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  return { offset: lineStart, text: `${indent}  ${element}${eol}` };
}

function unitOf(text: string, offset: number, indent: string): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const own = /^[ \t]*/.exec(text.slice(lineStart))![0];
  return indent.length > own.length && indent.startsWith(own) ? indent.slice(own.length) : indent.includes('\t') ? '\t' : '  ';
}

/** Applies inserts (any order) to a text. */
export function applyInserts(text: string, inserts: readonly TextInsert[]): string {
  let out = text;
  for (const i of [...inserts].sort((a, b) => b.offset - a.offset)) out = out.slice(0, i.offset) + i.text + out.slice(i.offset);
  return out;
}
