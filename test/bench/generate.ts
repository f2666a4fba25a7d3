// Generates the benchmark workspace: a C# UWP app of 5,000 files (~60 MB), 1% of them
// background-task code (task classes and registrations), one manifest and two projects. The
// content is deterministic (seeded), so every run measures the same bytes.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const GENERATOR_VERSION = 3;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['Order', 'Customer', 'Invoice', 'Report', 'Cache', 'Session', 'Photo', 'Album', 'Track', 'Message', 'Profile', 'Setting', 'Sync', 'Feed', 'Item', 'Document', 'Upload', 'Download'];

function ordinaryFile(i: number, next: () => number, targetBytes: number): string {
  const word = (k: number) => WORDS[Math.floor(next() * WORDS.length + k) % WORDS.length];
  const name = `${word(0)}${word(3)}Service${i}`;
  const parts = [`// ${name}.cs: application logic (generated for the bgtask benchmark)\nusing System;\nusing System.Collections.Generic;\nusing System.Threading.Tasks;\nusing Windows.Storage;\n\nnamespace BenchApp.Services.Group${i % 50}\n{\n    /// <summary>Handles ${word(1).toLowerCase()} data.</summary>\n    public sealed class ${name}\n    {\n        private readonly Dictionary<string, int> _counts = new Dictionary<string, int>();\n`];
  let size = parts[0].length;
  for (let m = 0; size < targetBytes; m++) {
    const method = `\n        /// <summary>Processes ${word(m).toLowerCase()} number ${m}.</summary>\n        public async Task<int> Process${word(m + 1)}${m}Async(string key, int count)\n        {\n            if (string.IsNullOrEmpty(key)) throw new ArgumentNullException(nameof(key));\n            int total = 0;\n            for (int i = 0; i < count; i++)\n            {\n                total += key.Length * i + ${Math.floor(next() * 1000)};\n                if (_counts.TryGetValue(key, out var existing)) total -= existing;\n            }\n            await Task.Delay(0);\n            _counts[key] = total; // remember the last total\n            var folder = ApplicationData.Current.LocalFolder;\n            return total;\n        }\n`;
    parts.push(method);
    size += method.length;
  }
  parts.push('    }\n}\n');
  return parts.join('');
}

function taskFile(i: number): string {
  return `// BenchTask${i}.cs: a background task (generated for the bgtask benchmark)
using System;
using Windows.ApplicationModel.Background;
using Windows.Storage;

namespace BenchTasks
{
    public sealed class BenchTask${i} : IBackgroundTask
    {
        private BackgroundTaskDeferral _deferral;
        private volatile bool _cancelRequested;

        public async void Run(IBackgroundTaskInstance taskInstance)
        {
            _deferral = taskInstance.GetDeferral();
            taskInstance.Canceled += OnCanceled;
            try
            {
                await System.Threading.Tasks.Task.Delay(10);
                ApplicationData.Current.LocalSettings.Values["BenchTask${i}"] = _cancelRequested ? "Canceled" : "Completed";
            }
            finally
            {
                _deferral.Complete();
            }
        }

        private void OnCanceled(IBackgroundTaskInstance sender, BackgroundTaskCancellationReason reason)
        {
            _cancelRequested = true;
        }
    }
}
`;
}

function registrationFile(i: number, tasks: number[]): string {
  const bodies = tasks
    .map(
      (t) => `
        public static async void RegisterBenchTask${t}()
        {
            foreach (var existing in BackgroundTaskRegistration.AllTasks)
            {
                if (existing.Value.Name == "BenchTask${t}") return;
            }
            await BackgroundExecutionManager.RequestAccessAsync();
            var builder = new BackgroundTaskBuilder();
            builder.Name = "BenchTask${t}";
            builder.TaskEntryPoint = "BenchTasks.BenchTask${t}";
            builder.SetTrigger(new SystemTrigger(SystemTriggerType.TimeZoneChange, false));
            try
            {
                BackgroundTaskRegistration task = builder.Register();
                task.Completed += OnCompleted;
            }
            catch (Exception)
            {
            }
        }
`,
    )
    .join('');
  return `// Registrations${i}.cs: registers background tasks (generated for the bgtask benchmark)
using System;
using Windows.ApplicationModel.Background;

namespace BenchApp.Background
{
    public static class Registrations${i}
    {${bodies}
        private static void OnCompleted(BackgroundTaskRegistration sender, BackgroundTaskCompletedEventArgs args)
        {
            try { args.CheckResult(); } catch (Exception) { }
        }
    }
}
`;
}

function manifest(taskIds: number[]): string {
  const extensions = taskIds
    .map((t) => `        <Extension Category="windows.backgroundTasks" EntryPoint="BenchTasks.BenchTask${t}">\n          <BackgroundTasks>\n            <Task Type="systemEvent" />\n          </BackgroundTasks>\n        </Extension>\n`)
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10" xmlns:mp="http://schemas.microsoft.com/appx/2014/phone/manifest" xmlns:uap="http://schemas.microsoft.com/appx/manifest/uap/windows10" IgnorableNamespaces="uap mp">
  <Identity Name="BenchApp" Publisher="CN=bench" Version="1.0.0.0" />
  <Properties><DisplayName>BenchApp</DisplayName><PublisherDisplayName>bench</PublisherDisplayName><Logo>Assets\\StoreLogo.png</Logo></Properties>
  <Dependencies><TargetDeviceFamily Name="Windows.Universal" MinVersion="10.0.17763.0" MaxVersionTested="10.0.19041.0" /></Dependencies>
  <Applications>
    <Application Id="App" Executable="$targetnametoken$.exe" EntryPoint="BenchApp.App">
      <uap:VisualElements DisplayName="BenchApp" Square150x150Logo="Assets\\Square150x150Logo.png" Square44x44Logo="Assets\\Square44x44Logo.png" Description="BenchApp" BackgroundColor="transparent" />
      <Extensions>
${extensions}      </Extensions>
    </Application>
  </Applications>
</Package>
`;
}

const project = (outputType: string, refs: string[]) => `<?xml version="1.0" encoding="utf-8"?>
<Project ToolsVersion="15.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <PropertyGroup>
    <OutputType>${outputType}</OutputType>
    <TargetPlatformIdentifier>UAP</TargetPlatformIdentifier>
    <TargetPlatformVersion>10.0.19041.0</TargetPlatformVersion>
  </PropertyGroup>
${refs.length ? `  <ItemGroup>\n${refs.map((r) => `    <ProjectReference Include="${r}" />\n`).join('')}  </ItemGroup>\n` : ''}</Project>
`;

export interface BenchWorkspace {
  dir: string;
  files: number;
  bytes: number;
  taskFiles: string[];
  ordinaryFiles: string[];
}

/** Create (or reuse, when already generated by this version) the workspace under `dir`. */
export function generateWorkspace(dir: string, totalFiles = 5000, targetBytes = 60 * 1024 * 1024): BenchWorkspace {
  const stamp = path.join(dir, '.generated');
  const next = rng(20261125);
  const taskCount = Math.round(totalFiles * 0.01);
  const registrationFiles = 5;
  const ordinaryCount = totalFiles - taskCount - registrationFiles - 3;
  const perFile = Math.floor(targetBytes / totalFiles);
  const taskIds = Array.from({ length: taskCount }, (_, i) => i);
  const result: BenchWorkspace = { dir, files: 0, bytes: 0, taskFiles: [], ordinaryFiles: [] };
  const write = (rel: string, body: string) => {
    const full = path.join(dir, rel);
    if (!reuse) {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, body);
    }
    result.files++;
    result.bytes += Buffer.byteLength(body);
    return full.split(path.sep).join('/');
  };
  const reuse = fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === `${GENERATOR_VERSION}:${totalFiles}:${targetBytes}`;
  if (!reuse) fs.rmSync(dir, { recursive: true, force: true });
  write('BenchApp/Package.appxmanifest', manifest(taskIds));
  write('BenchApp/BenchApp.csproj', project('AppContainerExe', ['..\\BenchTasks\\BenchTasks.csproj']));
  write('BenchTasks/BenchTasks.csproj', project('winmdobj', []));
  for (const t of taskIds) result.taskFiles.push(write(`BenchTasks/BenchTask${t}.cs`, taskFile(t)));
  for (let r = 0; r < registrationFiles; r++) result.taskFiles.push(write(`BenchApp/Background/Registrations${r}.cs`, registrationFile(r, taskIds.filter((t) => t % registrationFiles === r))));
  for (let i = 0; i < ordinaryCount; i++) result.ordinaryFiles.push(write(`BenchApp/Services/Group${i % 50}/Service${i}.cs`, ordinaryFile(i, next, perFile)));
  if (!reuse) fs.writeFileSync(stamp, `${GENERATOR_VERSION}:${totalFiles}:${targetBytes}`);
  return result;
}

/**
 * An ordinary minified-style JavaScript bundle of about `targetBytes` that mentions Background (so
 * it passes the relevance prefilter and is parsed): modules of functions, object literals, strings,
 * closures and calls, as a vendored library looks. Deterministic.
 */
export function generateJsBundle(targetBytes: number, lineLength = 4000): string {
  const next = rng(20261201);
  const parts: string[] = ['/*! vendor bundle (generated for the bgtask benchmark): BackgroundColor helpers */\n(function (root) {\n"use strict";\nvar modules = {};\n'];
  let size = parts[0].length;
  let line = 0;
  for (let m = 0; size < targetBytes; m++) {
    const w = WORDS[m % WORDS.length];
    // Half readable library code, half minified webpack modules (one-letter names declared and
    // assigned thousands of times, `new` and register-like calls): the shapes a vendored script has.
    const chunk =
      m % 2 === 0
        ? `modules["${w.toLowerCase()}${m}"] = function (exports, require) { var cache = {}, list = [], opts = { name: "${w}${m}", size: ${Math.floor(next() * 1000)}, background: "#${((m * 2654435761) >>> 8).toString(16).slice(0, 6)}", enabled: ${m % 4 === 0} };` +
          ` function get${w}(key, fallback) { if (!(key in cache)) { cache[key] = typeof fallback === "function" ? fallback(key) : fallback; list.push(key); } return cache[key]; }` +
          ` exports.get = get${w}; exports.options = opts; exports.update = function (o) { Object.keys(o).forEach(function (k) { opts[k] = o[k]; }); return opts; };` +
          ` exports.render = function (el) { el.style.backgroundColor = opts.background; el.setAttribute("data-${w.toLowerCase()}", String(opts.size + ${m})); return el; }; };`
        : `modules[${m}]=function(e,t,n){"use strict";var r=n(${m - 1}),i=new r.Emitter(),o=0,s=null;function a(e){o=o+e;s=new r.Item(e,o);return s}` +
          `t.register${w}=function(e,t){i.on("${w.toLowerCase()}",a);o=e.length;return i.register(e,new r.Handler(o,t))};` +
          `t.render=function(e){e.style.backgroundColor="#fff";for(var t=0,n=e.children.length;t<n;t++){o=o+t;a(e.children[t])}return new r.View(e,o)}};`;
    parts.push(chunk);
    size += chunk.length;
    line += chunk.length;
    if (line >= lineLength) {
      parts.push('\n');
      size++;
      line = 0;
    }
  }
  parts.push('\nroot.vendor = modules;\n})(this);\n');
  return parts.join('');
}

/** A Package.appxmanifest of about `targetBytes` written on one line (as some tools emit it), with many extensions. */
export function generateSingleLineManifest(targetBytes: number): string {
  const head = manifest([]).replace(/\n\s*/g, '');
  const ext = (t: number) => `<Extension Category="windows.backgroundTasks" EntryPoint="BenchTasks.BenchTask${t}"><BackgroundTasks><Task Type="systemEvent" /><Task Type="timer" /></BackgroundTasks></Extension>`;
  const parts: string[] = [];
  let size = head.length;
  for (let t = 0; size < targetBytes; t++) {
    const e = ext(t);
    parts.push(e);
    size += e.length;
  }
  return head.replace('<Extensions></Extensions>', `<Extensions>${parts.join('')}</Extensions>`) + '\n';
}
