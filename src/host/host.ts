// TaskHost: the facade of the task host (DESIGN.md "The task host"), shared by the CLI, the debug
// adapter and the tests. It owns the clock, the registry and its store, the system state and the
// trace; the parts do the rest: Scheduler (firing pipeline, latching, time triggers), Instances
// (runs, limits, cancellation), CpuQuota (§4), AppLifecycle (launch/suspend/resume, delivery, app
// code) and Runtime (sandboxed runner processes). Virtual time moves only when no task code can run.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import {
  systemConditionType, systemTriggerType, triggerClass, visualStudioCanFire, type CancellationReason, SYSTEM_TRIGGER_TYPES, TRIGGER_CLASSES,
} from '../core/model/catalog';
import type { ProfileId } from '../core/facts/types';
import { VirtualClock } from './clock';
import type { AppModel, HostCore } from './core';
import { CpuQuota } from './cpuQuota';
import { Instances } from './instances';
import { AppLifecycle } from './lifecycle';
import { describeTrigger, validateRegistration, waitingFor } from './policy';
import { Registry, loadStore, lockStore, saveStore, triggerKey, type InFlightRecord } from './registry';
import { Runtime } from './runners/runtime';
import { Scheduler, TICK_MS } from './scheduler';
import { defaultState, impliedTriggers, conditionHolds } from './state';
import { DEFAULT_LIMITS, type AppState, type HostLimits, type HostOptions, type Registration, type SystemState, type TraceEvent, type TraceEventName } from './types';
import type { BuilderSpec } from './worker/windowsApi';

export type { AppModel } from './core';
export { TICK_MS, describeTrigger };

export interface RegisterResult {
  registration?: Registration;
  error?: string;
}

const pascal = (s: string) => s[0].toUpperCase() + s.slice(1);
/** The sandbox's Date in a scenario (virtual clock): a fixed epoch, so a replay is the same on every run. */
export const VIRTUAL_EPOCH = Date.UTC(2026, 0, 1);

export class TaskHost extends EventEmitter implements HostCore {
  readonly clock = new VirtualClock();
  readonly profile: ProfileId;
  readonly limits: HostLimits;
  readonly timeScale: number;
  state: SystemState;
  readonly registry = new Registry();
  localSettings: Record<string, unknown> = {};
  opened = false;
  private readonly instances: Instances;
  private readonly quota: CpuQuota;
  private readonly scheduler: Scheduler;
  private readonly appLifecycle: AppLifecycle;
  private runtimeInstance?: Runtime;
  private idCounter = 0;
  private saveScheduled?: NodeJS.Immediate;
  private storeLock?: { release(): void };
  private storeError?: string;
  /** Serialises everything that moves time (advance, the live clock's pump). */
  private timeChain: Promise<void> = Promise.resolve();
  private timeBusy = 0;
  private live?: { realAt: number; virtualAt: number; pump?: NodeJS.Timeout; recheck?: NodeJS.Immediate; heartbeat?: NodeJS.Timeout };
  private closed = false;

  constructor(readonly options: HostOptions = {}, readonly app?: AppModel) {
    super();
    this.profile = options.profile ?? app?.profile ?? 'win10';
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.timeScale = options.timeScale ?? 1;
    this.state = { ...defaultState(this.profile), ...options.state };
    this.instances = new Instances(this, () => this.runtime());
    this.quota = new CpuQuota(this, this.instances);
    this.scheduler = new Scheduler(this, this.instances);
    this.appLifecycle = new AppLifecycle(this, () => this.runtime(), {
      allTasks: () => this.registry.all().map((r) => ({ taskId: r.taskId, name: r.name, ...(r.group ? { group: r.group } : {}) })),
      register: (spec) => {
        const result = this.register(spec, 'app');
        if (!result.registration) throw new Error(result.error);
        const r = result.registration;
        return { taskId: r.taskId, name: r.name, ...(r.group ? { group: r.group } : {}) };
      },
      unregister: (taskId, cancel) => void (this.registry.get(taskId) && this.unregister(taskId, cancel)),
      requestTrigger: (taskIds, args) => {
        const result = this.applicationTrigger(taskIds, args);
        this.log(`ApplicationTrigger.RequestAsync → ${result}`);
        return result;
      },
    }, (r) => this.replayRegistration(r));
    this.instances.quota = this.quota;
    this.instances.lifecycle = this.appLifecycle;
    this.appLifecycle.startScripts = app?.startScripts ?? [];
    if (options.clock === 'live') {
      this.live = { realAt: performance.now(), virtualAt: 0 };
      // Timers set by running code arrive between commands: look for the next due one every second too.
      this.live.heartbeat = setInterval(() => {
        if (!this.timeBusy) this.schedulePump();
      }, 1000);
      this.live.heartbeat.unref();
    }
  }

  private runtime(): Runtime {
    return (this.runtimeInstance ??= new Runtime({
      appFolder: path.resolve(this.app?.folder ?? this.options.appFolder ?? process.cwd()),
      memoryMb: this.limits.memoryMb,
      appTurnMs: this.limits.appScriptMs,
      externalTurnMs: this.limits.externalRunnerWaitMs,
      inspect: !!this.options.inspect,
      runner: this.options.runner,
      epoch: this.options.epoch ?? (this.live ? Date.now() : VIRTUAL_EPOCH),
      now: () => this.clock.now(),
      notice: (text, level) => this.log(text, undefined, level ? { level } : {}),
      inspector: (info, exited) => this.emit(exited ? 'inspector-exit' : 'inspector', info),
    }));
  }

  // ---- trace ---------------------------------------------------------------------------------

  trace(event: TraceEventName, reg?: Pick<Registration, 'name' | 'taskId'>, extra: Record<string, unknown> = {}): TraceEvent {
    // Built by assignment rather than spreads: this runs several times per fire (bench: advance 30d).
    const ev: TraceEvent = { t: this.clock.now(), event };
    if (reg) {
      ev.task = reg.name;
      ev.taskId = reg.taskId;
    }
    for (const k in extra) ev[k] = extra[k];
    this.emit('trace', ev);
    return ev;
  }

  /** A log line from the host itself (or the app), as a trace event. */
  log(text: string, reg?: Pick<Registration, 'name' | 'taskId'>, extra: Record<string, unknown> = {}): void {
    const fields: Record<string, unknown> = { text };
    for (const k in extra) fields[k] = extra[k];
    this.trace('log', reg, fields);
  }

  newId(): string {
    if (!this.options.deterministicIds) return randomUUID();
    const n = (++this.idCounter).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${n}`;
  }

  // ---- store ---------------------------------------------------------------------------------

  /**
   * Lock and load the store (if any) and report what a restart implies. Call once, after attaching
   * listeners. Throws StoreLockedError when another host holds this app's store.
   */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    const dir = this.options.storageDir;
    if (!dir) return;
    this.storeLock = lockStore(dir);
    const loaded = loadStore(dir);
    for (const m of loaded.messages ?? []) this.log(m, undefined, { level: 'error' });
    const data = loaded.data;
    if (!data) return;
    this.clock.advance(data.t);
    if (this.live) this.live.virtualAt = data.t;
    this.localSettings = data.localSettings;
    for (const reg of data.registrations) {
      this.registry.add(reg);
      if (reg.nextFireAt !== undefined && !reg.spent) this.scheduler.scheduleTime(reg, reg.nextFireAt);
    }
    this.log(`restored ${data.registrations.length} registration(s) from ${path.join(dir, 'host-store.json')}`);
    for (const f of data.inFlight) this.trace('canceled', { name: f.name, taskId: f.taskId }, { instanceId: f.instanceId, reason: 'Abort', why: 'the host stopped while this instance ran' });
    if (data.inFlight.length) this.save();
  }

  /**
   * Persist the store. Writes are coalesced: every change in one synchronous burst (a fire that
   * reaches 1,000 registrations, `advance 30d`) marks the store dirty and one write follows on the
   * next turn of the event loop (or at flush()/close()).
   */
  save(): void {
    if (!this.options.storageDir || this.saveScheduled || this.closed) return;
    this.saveScheduled = setImmediate(() => this.flush());
  }

  /** Write the store now if a change is pending. */
  flush(): void {
    if (!this.saveScheduled) return;
    clearImmediate(this.saveScheduled);
    this.saveScheduled = undefined;
    this.writeStore();
  }

  private writeStore(): void {
    const dir = this.options.storageDir;
    if (!dir) return;
    const inFlight: InFlightRecord[] = this.instances.all().map((i) => ({ instanceId: i.instanceId, taskId: i.reg.taskId, name: i.reg.name, startedAt: i.startedAt }));
    const result = saveStore(dir, { version: 1, registrations: this.registry.all(), inFlight, localSettings: this.localSettings, t: this.clock.now() });
    if (result.error && result.error !== this.storeError) this.log(result.error, undefined, { level: 'error' });
    this.storeError = result.error;
  }

  // ---- registrations -------------------------------------------------------------------------

  registrations(): Registration[] {
    return this.registry.all();
  }

  /** BackgroundTaskRegistration.AllTasks (§5): grouped registrations excluded. */
  allTasks(): Registration[] {
    return this.registry.allTasks();
  }

  /** Register-time validation (§5 BackgroundTaskBuilder "Parameter validation"). */
  validate(spec: BuilderSpec): string | undefined {
    return validateRegistration(spec, { profile: this.profile, existing: this.registry.all(), declarations: this.app?.declarations });
  }

  register(spec: BuilderSpec, source: Registration['source'] = 'command'): RegisterResult {
    this.syncLive();
    const error = this.validate(spec);
    // Windows 8 validates only when the task runs (§5); a trigger class it does not have fails at once.
    const failLate = this.profile === 'win8' && !(spec.trigger && triggerClass(spec.trigger.type)?.win10Only);
    if (error && !failLate) {
      this.trace('registration-failed', { name: spec.name, taskId: '' }, { error, taskId: undefined });
      return { error };
    }
    const reg: Registration = {
      taskId: this.newId(),
      name: spec.name,
      entryPoint: spec.entryPoint,
      trigger: { ...(spec.trigger ?? { type: 'Invalid' }) },
      conditions: [...spec.conditions],
      cancelOnConditionLoss: spec.cancelOnConditionLoss,
      isNetworkRequested: spec.isNetworkRequested,
      group: spec.group,
      source,
      registeredAt: this.clock.now(),
    };
    this.registry.add(reg);
    this.scheduler.registered(reg);
    this.trace('registered', reg, {
      trigger: describeTrigger(reg.trigger),
      ...(reg.conditions.length ? { conditions: reg.conditions } : {}),
      ...(reg.group ? { group: reg.group } : {}),
      source,
      visualStudioCanFire: visualStudioCanFire(reg.trigger.type, reg.trigger.systemTriggerType),
    });
    this.save();
    return { registration: reg };
  }

  /** Unregister by TaskId, or every registration with that name (as the sample does). Throws when none matches. */
  unregister(taskIdOrName: string, cancelTask: boolean): number {
    this.syncLive();
    const one = this.registry.get(taskIdOrName);
    const regs = one ? [one] : this.registry.byName(taskIdOrName);
    if (!regs.length) throw new Error(`no registration named '${taskIdOrName}'${this.registry.size ? ` (registered: ${[...new Set(this.registry.all().map((r) => r.name))].join(', ')})` : ''}`);
    for (const reg of regs) {
      this.registry.remove(reg.taskId);
      this.scheduler.removed(reg);
      this.trace('unregistered', reg, { cancelTask });
      // §5: Unregister(true) cancels running instances with Abort; false lets them finish.
      if (cancelTask) for (const inst of this.instances.all()) if (inst.reg.taskId === reg.taskId) this.instances.cancel(inst, 'Abort', 'Unregister(true)');
    }
    this.save();
    return regs.length;
  }

  /** Registrations found in code that are not reached from app start: registered by a command (a button click). */
  onDemand(): Array<{ name: string; entryPoint?: string; trigger: string; registeredBy: string }> {
    return (this.app?.registrations ?? []).filter((r) => r.onLaunch === false).map((r) => ({
      name: r.spec.name, entryPoint: r.spec.entryPoint, trigger: r.spec.trigger ? describeTrigger(r.spec.trigger) : 'no trigger', registeredBy: r.registeredBy ?? r.where,
    }));
  }

  /** Run the registration code of an on-demand registration, as the app would when its button is clicked. */
  registerOnDemand(name: string): void {
    const found = (this.app?.registrations ?? []).filter((r) => r.onLaunch === false && r.spec.name === name);
    if (!found.length) throw new Error(`no on-demand registration named '${name}' in the app's code${this.onDemand().length ? ` (on demand: ${this.onDemand().map((r) => r.name).join(', ')})` : ''}`);
    for (const r of found) this.replayRegistration(r);
  }

  /** Replay registration code the engine found, with its semantics (§8 #9: no AllTasks check duplicates). */
  private replayRegistration(r: AppModel['registrations'][number]): void {
    if (r.allTasksChecked) {
      const pool = r.spec.group ? this.registry.all().filter((x) => x.group === r.spec.group) : this.allTasks();
      const existing = pool.find((x) => x.name === r.spec.name);
      if (existing) {
        this.log(`kept the existing registration (the code checks AllTasks first, ${r.where})`, existing);
        return;
      }
    }
    this.register(r.spec, 'code');
  }

  // ---- time ----------------------------------------------------------------------------------

  /**
   * Resolves when no task code can run: every runner has gone quiet, and the timers due now have
   * run. Virtual time does not move here.
   */
  async settle(): Promise<void> {
    for (;;) {
      if (this.runtimeInstance && !this.runtimeInstance.turns.idle()) await this.runtimeInstance.settle();
      const next = this.clock.nextAt();
      if (next === undefined || next > this.clock.now()) {
        if (!this.runtimeInstance || this.runtimeInstance.turns.idle()) return;
        continue;
      }
      this.clock.runNext(this.clock.now());
    }
  }

  /** Resolves when no task code can run (instances suspended by the CPU quota or waiting on timers wait for time). */
  idle(): Promise<void> {
    return this.settle();
  }

  /**
   * Move virtual time forward: before each timer on the way, running code gets to finish what it
   * can. With no code running (modeled tasks only) it completes synchronously; await it anyway.
   */
  advance(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return Promise.reject(new Error(`advance needs a positive duration, not ${String(ms)}`));
    if (this.live) this.live.virtualAt += ms;
    const target = this.live ? this.wallVirtual() : this.clock.now() + ms;
    if (!this.timeBusy && this.runTimers(target)) {
      this.afterAdvance();
      return Promise.resolve();
    }
    return this.withTime(() => this.advanceTo(target));
  }

  private afterAdvance(): void {
    if (!this.live) this.save();
    this.schedulePump();
  }

  private runtimeIdle(): boolean {
    return !this.runtimeInstance || this.runtimeInstance.turns.idle();
  }

  /** Run the timers due up to `target` while no code runs; true when time has reached `target`. */
  private runTimers(target: number): boolean {
    for (;;) {
      if (!this.runtimeIdle()) return false;
      if (!this.clock.runNext(target)) break;
    }
    this.clock.advanceTo(target);
    return true;
  }

  private withTime(fn: () => Promise<void>): Promise<void> {
    this.timeBusy++;
    const run = this.timeChain.then(fn, fn).finally(() => this.timeBusy--);
    this.timeChain = run.catch(() => undefined);
    return run;
  }

  private async advanceTo(target: number): Promise<void> {
    while (!this.runTimers(target)) await this.settle();
    this.afterAdvance();
  }

  /** Live clock: the virtual time the wall clock has reached. */
  private wallVirtual(): number {
    const l = this.live!;
    return Math.max(this.clock.now(), Math.floor(l.virtualAt + (performance.now() - l.realAt) / this.timeScale));
  }

  /**
   * Live clock, before a command: move virtual time up to the wall clock when no timer falls in
   * between (the pump runs those, with code settling in between).
   */
  private syncLive(): void {
    if (!this.live || this.closed) return;
    const target = this.wallVirtual();
    const next = this.clock.nextAt();
    if (next === undefined || next > target) this.clock.advanceTo(target);
    // The command may add timers (a registration, a task's setTimeout): look again once it is done.
    if (!this.live.recheck) this.live.recheck = setImmediate(() => {
      if (this.live) this.live.recheck = undefined;
      if (!this.timeBusy) this.schedulePump();
    });
  }

  /** Live clock: wake when the next timer is due on the wall clock. */
  private schedulePump(): void {
    const l = this.live;
    if (!l || this.closed) return;
    if (l.pump) clearTimeout(l.pump);
    l.pump = undefined;
    const next = this.clock.nextAt();
    if (next === undefined) return;
    const waitReal = Math.max(0, (next - this.wallVirtual()) * this.timeScale);
    l.pump = setTimeout(() => {
      l.pump = undefined;
      void this.withTime(() => this.advanceTo(this.wallVirtual()));
    }, Math.min(waitReal, 2 ** 31 - 1));
    l.pump.unref();
  }

  // ---- firing --------------------------------------------------------------------------------

  /** Resolve a trigger name as a user writes it: a SystemTriggerType member or a trigger class. */
  static resolveTrigger(name: string): { key: string; label: string } | undefined {
    if (typeof name !== 'string' || !name) return undefined;
    const st = systemTriggerType(name);
    if (st) return { key: `SystemTrigger/${st.name}`, label: st.name };
    const bare = name.replace(/Trigger$/i, '');
    const aliases = new Map(Object.entries({ push: 'PushNotificationTrigger', pushnotification: 'PushNotificationTrigger', application: 'ApplicationTrigger', mediaprocessing: 'MediaProcessingTrigger', time: 'TimeTrigger', maintenance: 'MaintenanceTrigger' }));
    const cls = triggerClass(name) ?? triggerClass(aliases.get(bare.toLowerCase()) ?? '') ?? triggerClass(bare + 'Trigger');
    return cls ? { key: cls.name, label: cls.name } : undefined;
  }

  static triggerNames(): string[] {
    return [...SYSTEM_TRIGGER_TYPES.map((t) => t.name), ...TRIGGER_CLASSES.map((c) => c.name)];
  }

  /** Fire a trigger for every registration on it. Returns how many registrations it reached. */
  fire(name: string, details: unknown = null): number {
    this.syncLive();
    const resolved = TaskHost.resolveTrigger(name);
    if (!resolved) throw new Error(`unknown trigger '${name}' (a SystemTriggerType such as TimeZoneChange, or a trigger class such as MaintenanceTrigger)`);
    const regs = this.registry.forKey(resolved.key);
    if (!regs.length) this.trace('fired', undefined, { trigger: resolved.label, registrations: 0 });
    for (const reg of [...regs]) this.scheduler.fireRegistration(reg, resolved.label, details);
    return regs.length;
  }

  /** Visual Studio style "trigger task by name" (§6). Fires regardless of what VS could do, and says so. */
  triggerTask(name: string): number {
    this.syncLive();
    const regs = this.registry.byName(name);
    if (!regs.length) throw new Error(`no registration named '${name}'`);
    for (const reg of regs) {
      const vs = visualStudioCanFire(reg.trigger.type, reg.trigger.systemTriggerType);
      if (!vs) this.log(`Visual Studio's Lifecycle Events could not fire ${reg.name} (${describeTrigger(reg.trigger)}, §6); the host fires it anyway`, reg);
      this.scheduler.fireRegistration(reg, describeTrigger(reg.trigger), null, 'trigger');
    }
    return regs.length;
  }

  /** ApplicationTrigger.RequestAsync(arguments) (§3.1): the result is an ApplicationTriggerResult name. */
  applicationTrigger(nameOrIds: string | string[], args: Record<string, unknown> = {}): string {
    this.syncLive();
    const regs = Array.isArray(nameOrIds)
      ? nameOrIds.map((id) => this.registry.get(id)).filter((r): r is Registration => !!r)
      : this.registry.byName(nameOrIds).filter((r) => r.trigger.type === 'ApplicationTrigger' || r.trigger.type === 'MediaProcessingTrigger');
    if (!regs.length) {
      if (typeof nameOrIds === 'string') throw new Error(`no ApplicationTrigger registration named '${nameOrIds}'`);
      return 'UnknownError';
    }
    // §3.1: only one ApplicationTrigger runs at a time.
    if (this.instances.all().some((i) => regs.includes(i.reg))) {
      for (const r of regs) this.trace('skipped', r, { trigger: r.trigger.type, why: 'CurrentlyRunning: an ApplicationTrigger task is already running (§3.1)' });
      return 'CurrentlyRunning';
    }
    // §3.1: cannot be signalled while the app is in the background.
    if (this.appLifecycle.state === 'suspended') {
      for (const r of regs) this.trace('skipped', r, { trigger: r.trigger.type, why: 'DisabledByPolicy: RequestAsync while the app is in the background (§3.1)' });
      return 'DisabledByPolicy';
    }
    for (const r of regs) this.scheduler.fireRegistration(r, r.trigger.type, { arguments: args });
    return 'Allowed';
  }

  /** A raw push for a registration (TriggerDetails is the RawNotification, §3.1). */
  push(name: string, payload: string): number {
    this.syncLive();
    const regs = this.registry.byName(name).filter((r) => r.trigger.type === 'PushNotificationTrigger');
    if (!regs.length) throw new Error(`no PushNotificationTrigger registration named '${name}'`);
    for (const r of regs) this.scheduler.fireRegistration(r, 'PushNotificationTrigger', { content: payload });
    return regs.length;
  }

  // ---- instances -----------------------------------------------------------------------------

  /** Start the sandbox ahead of the first run; resolves when its spare runner has booted. */
  warmUp(): Promise<void> {
    return this.runtime().warm();
  }

  running(): Array<{ instanceId: string; task: string; taskId: string; startedAt: number; progress: number; deferrals: number; trigger: string; runner: string; canceled?: string; suspended?: boolean; suspendedCount?: number }> {
    return this.instances.all().map((i) => ({
      instanceId: i.instanceId, task: i.reg.name, taskId: i.reg.taskId, startedAt: i.startedAt, progress: i.progress, deferrals: i.deferrals, trigger: i.trigger, runner: i.kind, canceled: i.canceled,
      ...(i.suspended ? { suspended: true } : {}), ...(i.suspendedCount ? { suspendedCount: i.suspendedCount } : {}),
    }));
  }

  /**
   * Cancel the running instance with this id, or every running instance of the registration with
   * this name (the tree's "Cancel running instance"). Throws when nothing of that name runs.
   */
  cancelInstance(instanceIdOrTask: string, reason: CancellationReason = 'Abort', why = 'canceled by the user'): number {
    this.syncLive();
    const all = this.instances.all().filter((i) => !i.canceled);
    const hits = all.filter((i) => i.instanceId === instanceIdOrTask);
    const chosen = hits.length ? hits : all.filter((i) => i.reg.name === instanceIdOrTask);
    if (!chosen.length) throw new Error(`no running instance of '${instanceIdOrTask}'${all.length ? ` (running: ${[...new Set(all.map((i) => i.reg.name))].join(', ')})` : ' (nothing runs)'}`);
    for (const inst of chosen) this.instances.cancel(inst, reason, why);
    return chosen.length;
  }

  /** Cancel every running instance with a reason (Ctrl-C at the prompt). Returns how many. */
  cancelAll(reason: CancellationReason, why: string): number {
    return this.instances.cancelAll(reason, why);
  }

  latchedTasks(): Array<{ task: string; taskId: string; waitingFor: string[] }> {
    return this.scheduler.latchedTasks();
  }

  // ---- state ---------------------------------------------------------------------------------

  setState(changes: Partial<SystemState>): void {
    this.syncLive();
    const before = this.state;
    const after = { ...before, ...changes };
    const changed: Record<string, unknown> = {};
    for (const k of Object.keys(changes) as Array<keyof SystemState>) if (before[k] !== after[k]) changed[k] = after[k];
    if (!Object.keys(changed).length) return;
    this.state = after;
    this.trace('state', undefined, { changes: changed });
    for (const inst of this.instances.all()) {
      // §3 MaintenanceTrigger: DC power cancels a running maintenance task with Abort.
      if (inst.reg.trigger.type === 'MaintenanceTrigger' && after.power === 'dc' && before.power === 'ac') this.instances.cancel(inst, 'Abort', 'power went to DC (§3 MaintenanceTrigger)');
      // §2: CancelOnConditionLoss cancels when a required condition stops holding.
      else if (inst.reg.cancelOnConditionLoss && inst.reg.conditions.some((c) => conditionHolds(c, before) && !conditionHolds(c, after))) this.instances.cancel(inst, 'ConditionLoss');
    }
    if ('lockScreen' in changed) this.quota.lockScreenChanged();
    this.scheduler.recheck();
    for (const trigger of impliedTriggers(before, after)) this.fire(trigger);
  }

  // ---- app lifecycle -------------------------------------------------------------------------

  get appState(): AppState {
    return this.appLifecycle.state;
  }

  lifecycle(action: 'launch' | 'suspend' | 'resume' | 'shutdown'): void {
    this.syncLive();
    this.appLifecycle.lifecycle(action);
  }

  /** Modeled app code listens to a registration's Progress/Completed. */
  listen(taskId: string, event: string, fn: (a: unknown) => void): void {
    this.appLifecycle.listen(taskId, event, fn);
  }

  pendingDeliveries(): number {
    return this.appLifecycle.pending();
  }

  /** The app's start scripts (WinJS), run in their own sandbox process on each launch. */
  setStartScripts(scripts: readonly string[]): void {
    this.appLifecycle.startScripts = scripts;
  }

  /** Stop every runner (sandbox processes, external runners), save and unlock the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.live?.pump) clearTimeout(this.live.pump);
    if (this.live?.heartbeat) clearInterval(this.live.heartbeat);
    if (this.live?.recheck) clearImmediate(this.live.recheck);
    if (this.saveScheduled) clearImmediate(this.saveScheduled);
    this.saveScheduled = undefined;
    if (this.opened) this.writeStore(); // in-flight instances are recorded, so a restart reports them (Abort)
    this.closed = true;
    // The host ends, not the tasks: what still runs is reported as such, not as failed.
    this.instances.closeAll();
    await this.runtimeInstance?.close();
    this.storeLock?.release();
    this.storeLock = undefined;
  }

  /** Process ids of the runner processes alive now. */
  runnerPids(): number[] {
    return this.runtimeInstance?.pids() ?? [];
  }

  /** Per registration: its live state, and whether Visual Studio's Lifecycle Events could fire it (§6). */
  describe(reg: Registration): Record<string, unknown> {
    const latched = this.scheduler.latched.has(reg.taskId);
    return {
      name: reg.name,
      taskId: reg.taskId,
      entryPoint: reg.entryPoint,
      trigger: describeTrigger(reg.trigger),
      conditions: reg.conditions,
      cancelOnConditionLoss: reg.cancelOnConditionLoss,
      group: reg.group,
      source: reg.source,
      spent: !!reg.spent,
      nextFireAt: reg.nextFireAt,
      latched: latched ? waitingFor(reg, this.state) : undefined,
      running: this.instances.all().filter((i) => i.reg === reg).map((i) => i.instanceId),
      visualStudioCanFire: visualStudioCanFire(reg.trigger.type, reg.trigger.systemTriggerType) && !reg.spent,
    };
  }
}

export function conditionName(name: string): string | undefined {
  return systemConditionType(name)?.name;
}

export { triggerKey, pascal };
