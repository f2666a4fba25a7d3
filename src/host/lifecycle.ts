// The app's lifecycle as Visual Studio's Lifecycle Events drive it (launch, suspend, resume,
// suspend and shutdown, §6), the app's code (registrations found in code and reachable from app
// start are replayed; a WinJS app's start scripts run in their own sandbox process), and delivery of
// Progress/Completed to the app: handed over while it runs, queued while it is suspended or closed (§9).
import * as fs from 'node:fs';
import type { ClockTimer } from './clock';
import type { AppModel, HostCore } from './core';
import type { Runtime } from './runners/runtime';
import type { AppState } from './types';
import type { BuilderSpec } from './worker/windowsApi';

export type Delivery =
  | { what: 'Completed'; taskId: string; task: string; instanceId: string; error?: string }
  | { what: 'Progress'; taskId: string; task: string; instanceId: string; progress: number };

/** What the app's code may ask of the host (the emulated API's backend), answered synchronously. */
export interface AppApi {
  allTasks(): Array<{ taskId: string; name: string; group?: string }>;
  register(spec: BuilderSpec): { taskId: string; name: string; group?: string };
  unregister(taskId: string, cancel: boolean): void;
  requestTrigger(taskIds: string[], args: Record<string, unknown>): string;
}

export class AppLifecycle {
  state: AppState = 'notRunning';
  private queue: Delivery[] = [];
  private readonly appTimers = new Map<number, ClockTimer>();
  private heldTimers: number[] = [];
  private listeners = new Map<string, Array<{ event: string; fn: (a: unknown) => void }>>();
  /** Start scripts to run on launch (a WinJS app's StartPage scripts). */
  startScripts: readonly string[] = [];

  constructor(private readonly core: HostCore, private readonly runtime: () => Runtime, private readonly api: AppApi, private readonly replay: (r: AppModel['registrations'][number]) => void) {}

  lifecycle(action: 'launch' | 'suspend' | 'resume' | 'shutdown'): void {
    const core = this.core;
    switch (action) {
      case 'launch': {
        if (this.state !== 'notRunning') return core.log(`launch ignored: the app is ${this.state}`);
        this.state = 'running';
        core.trace('lifecycle', undefined, { state: 'running', action });
        for (const r of core.app?.registrations ?? []) if (r.onLaunch !== false) this.replay(r);
        const onDemand = (core.app?.registrations ?? []).filter((r) => r.onLaunch === false);
        if (onDemand.length) core.log(`${onDemand.length} registration(s) in the code are not reached from app start; register them on demand: ${onDemand.map((r) => `${r.spec.name} (by ${r.registeredBy ?? r.where})`).join(', ')}`);
        this.startAppCode();
        this.flush();
        return;
      }
      case 'suspend':
        if (this.state !== 'running') return core.log(`suspend ignored: the app is ${this.state}`);
        this.state = 'suspended';
        core.trace('lifecycle', undefined, { state: 'suspended', action });
        return;
      case 'resume':
        if (this.state !== 'suspended') return core.log(`resume ignored: the app is ${this.state}`);
        this.state = 'running';
        core.trace('lifecycle', undefined, { state: 'running', action });
        for (const id of this.heldTimers.splice(0)) this.runtime().appSend({ op: 'timer', instanceId: 'app', id });
        this.flush();
        return;
      case 'shutdown':
        if (this.state === 'notRunning') return core.log('shutdown ignored: the app is not running');
        this.state = 'notRunning';
        this.listeners.clear();
        this.stopAppCode();
        core.trace('lifecycle', undefined, { state: 'notRunning', action });
        return;
    }
  }

  private startAppCode(): void {
    const scripts = this.startScripts;
    if (!scripts.length) return;
    const core = this.core;
    const loaded: Array<{ file: string; code: string }> = [];
    for (const file of scripts) {
      try {
        loaded.push({ file, code: fs.readFileSync(file, 'utf8') });
      } catch (e) {
        core.log(`app script ${file} could not be read: ${(e as Error).message}`, undefined, { level: 'error' });
      }
    }
    try {
      this.startRunner(loaded);
    } catch (error) {
      core.log(`the app's code could not start: ${(error as Error).message}`, undefined, { level: 'error' });
    }
  }

  private startRunner(loaded: Array<{ file: string; code: string }>): void {
    const core = this.core;
    this.runtime().startApp(loaded, {
      call: (method, args) => this.call(method, args),
      log: (text, level) => core.log(text, undefined, level ? { level } : {}),
      setTimer: (id, delay, repeat) => {
        const fire = () => {
          if (repeat) this.appTimers.set(id, core.clock.schedule(core.clock.now() + Math.max(1, delay), fire));
          else this.appTimers.delete(id);
          if (this.state === 'running') this.runtime().appSend({ op: 'timer', instanceId: 'app', id });
          else this.heldTimers.push(id);
        };
        core.clock.cancel(this.appTimers.get(id));
        this.appTimers.set(id, core.clock.schedule(core.clock.now() + Math.max(0, delay), fire));
      },
      clearTimer: (id) => {
        core.clock.cancel(this.appTimers.get(id));
        this.appTimers.delete(id);
      },
      died: (why) => {
        this.clearAppTimers();
        core.log(`the app's code stopped: ${why}`, undefined, { level: 'error' });
      },
    });
  }

  private stopAppCode(): void {
    this.clearAppTimers();
    this.runtime().stopApp();
  }

  private clearAppTimers(): void {
    for (const t of this.appTimers.values()) this.core.clock.cancel(t);
    this.appTimers.clear();
    this.heldTimers = [];
  }

  /** The app's synchronous calls into the emulated API, with the values checked (they come from app code). */
  private call(method: string, args: unknown[]): unknown {
    const core = this.core;
    const s = core.state;
    const str = (v: unknown) => (typeof v === 'string' ? v : String(v));
    switch (method) {
      case 'allTasks': return this.api.allTasks();
      case 'register': return this.api.register(sanitizeSpec(args[0]));
      case 'unregister': return this.api.unregister(str(args[0]), args[1] === true);
      case 'requestAccess':
        core.log(`RequestAccessAsync → ${s.accessStatus}`);
        return s.accessStatus;
      case 'getAccessStatus': return s.accessStatus;
      case 'backgroundWorkCost': return s.backgroundWorkCost;
      case 'settingsGet': return core.localSettings[str(args[0])];
      case 'settingsSet':
        core.localSettings[str(args[0])] = args[1];
        core.save();
        return null;
      case 'settingsDelete':
        delete core.localSettings[str(args[0])];
        core.save();
        return null;
      case 'settingsKeys': return Object.keys(core.localSettings);
      case 'requestTrigger': {
        const ids = Array.isArray(args[0]) ? args[0].map(str) : [];
        const a = args[1] && typeof args[1] === 'object' ? (args[1] as Record<string, unknown>) : {};
        return this.api.requestTrigger(ids, a);
      }
      default: throw new Error(`the emulated API has no '${method}'`);
    }
  }

  /** Modeled app code (tests, appCode.ts) listens to a registration's Progress/Completed. */
  listen(taskId: string, event: string, fn: (a: unknown) => void): void {
    const list = this.listeners.get(taskId) ?? [];
    list.push({ event, fn });
    this.listeners.set(taskId, list);
  }

  deliver(d: Delivery): void {
    if (this.state !== 'running') {
      this.queue.push(d);
      return;
    }
    this.handOver(d, false);
  }

  private handOver(d: Delivery, queued: boolean): void {
    const fields: Record<string, unknown> = { instanceId: d.instanceId, what: d.what };
    if (d.what === 'Progress') fields.progress = d.progress;
    else fields.result = d.error === undefined ? 'ok' : `CheckResult throws: ${d.error}`;
    if (queued) fields.queued = true;
    this.core.trace('delivered', { name: d.task, taskId: d.taskId }, fields);
    const listeners = this.listeners.get(d.taskId);
    const toApp = this.runtime().hasApp();
    // Nobody in the app listens (modeled apps, `advance 30d`): nothing more to build.
    if (!listeners && !toApp) return;
    const event = d.what === 'Progress' ? 'progress' : 'completed';
    const args: Record<string, unknown> = { instanceId: d.instanceId };
    if (d.what === 'Progress') args.progress = d.progress;
    else if (d.error !== undefined) args.error = d.error;
    if (toApp) this.runtime().appSend({ op: 'app-event', taskId: d.taskId, event, args });
    for (const l of listeners ?? []) {
      if (l.event !== event) continue;
      const a = d.what === 'Progress' ? args : { instanceId: d.instanceId, checkResult: () => { if (d.error !== undefined) throw new Error(d.error); } };
      try {
        l.fn(a);
      } catch (error) {
        this.core.log(`the app's ${event} handler threw: ${(error as Error).message}`);
      }
    }
  }

  private flush(): void {
    for (const d of this.queue.splice(0)) this.handOver(d, true);
  }

  pending(): number {
    return this.queue.length;
  }
}

/** A BuilderSpec from app code, with every field typed (the sandbox is not trusted to send the right shapes). */
export function sanitizeSpec(v: unknown): BuilderSpec {
  const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  const t = o.trigger && typeof o.trigger === 'object' ? (o.trigger as Record<string, unknown>) : undefined;
  return {
    name: typeof o.name === 'string' ? o.name : String(o.name ?? ''),
    entryPoint: typeof o.entryPoint === 'string' ? o.entryPoint : undefined,
    trigger: t && typeof t.type === 'string' ? {
      type: t.type,
      ...(typeof t.systemTriggerType === 'string' ? { systemTriggerType: t.systemTriggerType } : {}),
      ...(t.freshness !== undefined ? { freshness: Number(t.freshness) } : {}),
      ...(t.oneShot !== undefined ? { oneShot: t.oneShot === true } : {}),
    } : undefined,
    conditions: Array.isArray(o.conditions) ? o.conditions.map((c) => String(c)) : [],
    cancelOnConditionLoss: o.cancelOnConditionLoss === true,
    isNetworkRequested: o.isNetworkRequested === true,
    ...(typeof o.group === 'string' && o.group ? { group: o.group } : {}),
  };
}
