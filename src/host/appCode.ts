// Runs a WinJS app's start page scripts on launch against the emulated API, with a minimal
// `WinJS.Application` whose `activated` event fires (DESIGN.md registration source (b)). The app's
// Completed/Progress handlers receive the host's deliveries while the app runs.
import * as fs from 'node:fs';
import * as vm from 'node:vm';
import type { TaskHost } from './host';
import { createWindows, type ApiBackend } from './worker/windowsApi';

export function hostBackend(host: TaskHost): ApiBackend {
  return {
    allTasks: () => host.registrations().map((r) => ({ taskId: r.taskId, name: r.name, group: r.group })),
    register: (spec) => {
      const result = host.register(spec, 'app');
      if (!result.registration) throw new Error(result.error);
      return { taskId: result.registration.taskId, name: result.registration.name, group: result.registration.group };
    },
    unregister: (taskId, cancel) => void host.unregister(taskId, cancel),
    requestAccess: () => host.state.accessStatus,
    getAccessStatus: () => host.state.accessStatus,
    removeAccess: () => undefined,
    backgroundWorkCost: () => host.state.backgroundWorkCost,
    settingsGet: (k) => host.localSettings[k],
    settingsSet: (k, v) => {
      host.localSettings[k] = v;
    },
    settingsDelete: (k) => {
      delete host.localSettings[k];
    },
    settingsKeys: () => Object.keys(host.localSettings),
    requestTrigger: (taskIds, args) => host.applicationTrigger(taskIds, args),
    listen: (taskId, event, fn) => host.listen(taskId, event, fn),
    log: (text) => host.log(text),
  };
}

export function runStartScripts(host: TaskHost, scripts: readonly string[]): void {
  if (!scripts.length) return;
  const { Windows } = createWindows(hostBackend(host));
  const handlers: Array<(a: unknown) => void> = [];
  let started = false;
  const application = {
    onactivated: null as ((a: unknown) => void) | null,
    oncheckpoint: null,
    addEventListener: (type: string, fn: (a: unknown) => void) => {
      if (type === 'activated') handlers.push(fn);
    },
    start: () => {
      started = true;
    },
    queueEvent: () => undefined,
  };
  const element = () => ({ textContent: '', innerText: '', innerHTML: '', style: {}, addEventListener: () => undefined, appendChild: () => undefined });
  const log = (...a: unknown[]) => host.log(a.map(String).join(' '));
  const context = vm.createContext({
    Windows,
    WinJS: { Application: application, Utilities: { markSupportedForProcessing: (f: unknown) => f }, UI: { processAll: () => Promise.resolve() } },
    document: { getElementById: element, querySelector: element, createElement: element, addEventListener: () => undefined, body: element() },
    window: {},
    console: { log, info: log, warn: log, error: log },
    setTimeout, clearTimeout, setInterval, clearInterval,
  });
  for (const file of scripts) {
    try {
      vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file, timeout: 2000 });
    } catch (error) {
      host.log(`app script ${file} threw: ${(error as Error).message}`, undefined, { level: 'error' });
    }
  }
  if (!started) return;
  const args = { detail: { kind: 0, previousExecutionState: 0 }, setPromise: () => undefined };
  for (const fn of [application.onactivated, ...handlers]) {
    if (typeof fn !== 'function') continue;
    try {
      fn(args);
    } catch (error) {
      host.log(`the app's activated handler threw: ${(error as Error).message}`, undefined, { level: 'error' });
    }
  }
}

/** Make the host run the app's start scripts on every launch. */
export function attachAppCode(host: TaskHost, scripts: readonly string[]): void {
  host.appCodeRunner = (h) => runStartScripts(h, scripts);
}
