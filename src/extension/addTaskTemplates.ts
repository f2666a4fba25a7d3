// What "Background Tasks: Add Background Task…" writes, as pure functions: the task class, a
// registration helper (AllTasks check, RequestAccessAsync, guarded Register, Completed handler) and the
// manifest Extension with the Task Type the trigger needs. No vscode import: unit-tested with the engine.
import type { ManifestFacts, ProfileId } from '../core/facts/types';
import { SYSTEM_TRIGGER_TYPES, TASK_TYPES_BY_NAMESPACE, TRIGGER_CLASSES, taskTypesForTrigger } from '../core/model/catalog';

export type AddTaskLanguage = 'csharp' | 'javascript';

export interface TriggerChoice {
  className: string;
  systemTriggerType?: string;
  freshness?: number;
}

export interface AddTaskOptions {
  language: AddTaskLanguage;
  /** Class name (C#) or script base name (JavaScript); also the registration name. */
  name: string;
  /** C#: the task class namespace. */
  namespace: string;
  /** C#: the namespace of the app code that holds the registration helper. */
  appNamespace: string;
  trigger: TriggerChoice;
  conditions: string[];
  profile: ProfileId;
}

export interface TextInsert {
  offset: number;
  text: string;
}

/** Triggers offered on a profile, with the Task Type each needs; single-instance triggers the app already registers are left out. */
export function triggerChoices(profile: ProfileId, registeredTriggerClasses: readonly string[] = []): Array<TriggerChoice & { label: string; taskType: string }> {
  const win10 = profile === 'win10' || profile === 'appsdk';
  const out: Array<TriggerChoice & { label: string; taskType: string }> = [];
  for (const t of SYSTEM_TRIGGER_TYPES) {
    if (t.since === 'win10' && !win10) continue;
    if (t.since === 'win81' && profile === 'win8') continue;
    if (t.oneShotUnsupported) continue;
    out.push({ className: 'SystemTrigger', systemTriggerType: t.name, label: `SystemTrigger: ${t.name}`, taskType: taskTypesForTrigger('SystemTrigger', profile)[0] });
  }
  for (const name of ['TimeTrigger', 'MaintenanceTrigger', 'ApplicationTrigger']) {
    const info = TRIGGER_CLASSES.find((c) => c.name === name)!;
    if (info.win10Only && !win10) continue;
    if (info.singleInstance && registeredTriggerClasses.includes(name)) continue;
    const types = taskTypesForTrigger(name, profile);
    if (!types.length) continue;
    out.push({ className: name, freshness: info.hasFreshness ? 15 : undefined, label: info.hasFreshness ? `${name} (15 minutes)` : name, taskType: types[0] });
  }
  return out;
}

export const isIdentifier = (s: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);

function triggerExpression(t: TriggerChoice, language: AddTaskLanguage): string {
  const camel = (s: string) => s[0].toLowerCase() + s.slice(1);
  if (language === 'csharp') {
    if (t.className === 'SystemTrigger') return `new SystemTrigger(SystemTriggerType.${t.systemTriggerType}, false)`;
    if (t.freshness !== undefined) return `new ${t.className}(${t.freshness}, false)`;
    return `new ${t.className}()`;
  }
  if (t.className === 'SystemTrigger') return `new background.SystemTrigger(background.SystemTriggerType.${camel(t.systemTriggerType!)}, false)`;
  if (t.freshness !== undefined) return `new background.${t.className}(${t.freshness}, false)`;
  return `new background.${t.className}()`;
}

/** The entry point as the registration and the manifest write it. */
export function entryPointOf(o: AddTaskOptions): string {
  return o.language === 'csharp' ? `${o.namespace}.${o.name}` : `js\\${o.name.toLowerCase()}.js`;
}

/** Path of the task file relative to its folder (C#: the task project's folder; JS: the manifest's). */
export function taskFileName(o: AddTaskOptions): string {
  return o.language === 'csharp' ? `${o.name}.cs` : `js/${o.name.toLowerCase()}.js`;
}

export function registrationFileName(o: AddTaskOptions): string {
  return o.language === 'csharp' ? `${o.name}Registration.cs` : `js/${o.name.toLowerCase()}-registration.js`;
}

export function taskClassText(o: AddTaskOptions): string {
  if (o.language === 'javascript') {
    return `// ${o.name}: a JavaScript background task (the manifest's StartPage). It must call close() when done.
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

export function registrationText(o: AddTaskOptions): string {
  const entry = entryPointOf(o);
  if (o.language === 'javascript') {
    const conditions = o.conditions.map((c) => `\n        builder.addCondition(new background.SystemCondition(background.SystemConditionType.${c[0].toLowerCase() + c.slice(1)}));`).join('');
    return `// Registers the ${o.name} background task once: reuses an existing registration, asks for access,
// guards register() and listens for completed. Call register${o.name}() when the app starts.
function register${o.name}() {
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
        builder.taskEntryPoint = "${entry.replace(/\\/g, '\\\\')}";
        builder.setTrigger(${triggerExpression(o.trigger, o.language)});${conditions}
        try {
            var registration = builder.register();
            registration.addEventListener("completed", on${o.name}Completed);
        } catch (e) {
            console.error("Could not register ${o.name}: " + e.message);
        }
    });
}

function on${o.name}Completed(args) {
    try {
        args.checkResult();
    } catch (e) {
        console.error(args.target.name + " failed: " + e.message);
    }
}
`;
  }
  const conditions = o.conditions.map((c) => `\n            builder.AddCondition(new SystemCondition(SystemConditionType.${c}));`).join('');
  return `using System;
using System.Threading.Tasks;
using Windows.ApplicationModel.Background;

namespace ${o.appNamespace}
{
    public static class ${o.name}Registration
    {
        /// <summary>Registers ${o.name} once; call it when the app starts.</summary>
        public static async Task<BackgroundTaskRegistration> RegisterAsync()
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
            var builder = new BackgroundTaskBuilder();
            builder.Name = "${o.name}";
            builder.TaskEntryPoint = "${entry}";
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

/** `<Task Type>` with the prefix of a namespace that allows it (default namespace first). */
function taskElement(type: string, manifest: ManifestFacts): string {
  const uris = Object.keys(TASK_TYPES_BY_NAMESPACE).filter((u) => TASK_TYPES_BY_NAMESPACE[u].includes(type));
  const declared = uris.filter((u) => u in manifest.namespaces).sort((a, b) => (manifest.namespaces[a] === '' ? -1 : manifest.namespaces[b] === '' ? 1 : 0));
  const prefix = declared.length ? manifest.namespaces[declared[0]] : '';
  return `<${prefix ? `${prefix}:` : ''}Task Type="${type}" />`;
}

/**
 * The manifest edit: a Task Type added to an existing Extension for the entry point, or a new
 * Extension in the first Application's <Extensions> (created before </Application> when missing).
 */
export function manifestInsert(o: AddTaskOptions, manifest: ManifestFacts, text: string): TextInsert | { error: string } {
  const type = taskTypesForTrigger(o.trigger.className, o.profile)[0];
  if (!type) return { error: `${o.trigger.className} is not available on ${o.profile}` };
  const entry = entryPointOf(o);
  const attrName = o.language === 'csharp' ? 'EntryPoint' : 'StartPage';
  const existing = manifest.extensions.find((e) => e.category === 'windows.backgroundTasks' && (o.language === 'csharp' ? e.entryPoint?.value === entry : e.startPage?.value === entry));
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

function unitOf(text: string, offset: number, indent: string): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const own = /^[ \t]*/.exec(text.slice(lineStart))![0];
  return indent.length > own.length && indent.startsWith(own) ? indent.slice(own.length) : indent.includes('\t') ? '\t' : '  ';
}
