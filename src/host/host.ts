// The task host: registry, system state, virtual clock, firing pipeline and policy (DESIGN.md "The
// task host", domain-facts §9), app lifecycle and delivery, and the runners. A plain event emitter:
// every step is a 'trace' event in DESIGN.md's trace format. No vscode, LSP or DAP here.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  accessAllows, needsRequestAccess, systemConditionType, systemTriggerType, triggerClass, taskTypesForTrigger,
  visualStudioCanFire, type CancellationReason, SYSTEM_TRIGGER_TYPES, TRIGGER_CLASSES,
} from '../core/model/catalog';
import type { ProfileId, TaskClassFact } from '../core/facts/types';
import { VirtualClock, type ClockTimer } from './clock';
import { Registry, loadStore, saveStore, triggerKey, type InFlightRecord } from './registry';
import { conditionHolds, defaultState, impliedTriggers } from './state';
import { DEFAULT_LIMITS, type AppState, type HostLimits, type HostOptions, type Registration, type SystemState, type TraceEvent, type TraceEventName, type TriggerSpec } from './types';
import { WorkerPool, type RunHandle, type RunnerEvents, type TaskRunner } from './jsRunner';
import { ExternalRunner } from './externalRunner';
import type { BuilderSpec } from './worker/windowsApi';
import type { RunMessage } from './protocol';

export const TICK_MS = 15 * 60_000;

/** What the host knows of the app's code (built from the engine's facts, see staticApp.ts). */
export interface AppModel {
  folder: string;
  profile: ProfileId;
  /** Manifest: entry point (or StartPage) → declared Task Types; undefined when no manifest facts. */
  declarations?: Map<string, string[]>;
  /** Task classes by full name (C#/C++), for modeled instances. */
  classes: Map<string, TaskClassFact>;
  /** Registrations found in the app's code, replayed in order on each launch. */
  registrations: Array<{ spec: BuilderSpec; allTasksChecked: boolean; where: string }>;
  /** WinJS start page scripts, run on launch against the emulated API. */
  startScripts: string[];
  hasOnBackgroundActivated: boolean;
}

export interface RegisterResult {
  registration?: Registration;
  error?: string;
}

interface Instance {
  instanceId: string;
  reg: Registration;
  trigger: string;
  startedAt: number;
  canceled?: CancellationReason;
  virtualDeadline?: ClockTimer;
  realDeadline?: NodeJS.Timeout;
  graceTimer?: NodeJS.Timeout;
  handle?: RunHandle;
  kind: 'js' | 'external' | 'modeled';
  /** JS: Fire → Run start, for the benchmark. */
  firedAtReal: number;
  beganAtReal?: number;
  /** CPU quota (§4): suspended until the quota's next refresh; how many times so far (SuspendedCount). */
  suspended?: boolean;
  suspendedCount: number;
  /** Runner events that arrived while suspended, replayed on resume. */
  held?: Array<() => void>;
  /** Wall-clock limit left when suspended (virtual ms, real ms), re-armed on resume. */
  leftVirtual?: number;
  leftReal?: number;
  realDeadlineAt?: number;
  /** Modeled: CPU ms still to charge, and what happens once it is charged. */
  cpuOwedMs?: number;
  afterCpu?: () => void;
  /** JS/external: the run not yet handed to the runner (the quota was used up at start). */
  pendingRun?: () => void;
  /** JS: the runner's cumulative CPU reading already charged. */
  cpuMark?: number;
}

interface Latched {
  reg: Registration;
  trigger: string;
  details: unknown;
}

type Delivery = { what: 'Completed'; taskId: string; task: string; instanceId: string; error?: string } | { what: 'Progress'; taskId: string; task: string; instanceId: string; progress: number };

const pascal = (s: string) => s[0].toUpperCase() + s.slice(1);

export class TaskHost extends EventEmitter {
  readonly clock = new VirtualClock();
  readonly profile: ProfileId;
  readonly limits: HostLimits;
  readonly timeScale: number;
  state: SystemState;
  appState: AppState = 'notRunning';
  readonly registry = new Registry();
  localSettings: Record<string, unknown> = {};
  private readonly latched = new Map<string, Latched>();
  private readonly instances = new Map<string, Instance>();
  private readonly timeTimers = new Map<string, ClockTimer>();
  private deliveries: Delivery[] = [];
  private pool?: WorkerPool;
  private external?: ExternalRunner;
  private idCounter = 0;
  private readonly idleWaiters: Array<() => void> = [];
  private appListeners = new Map<string, Array<{ event: string; fn: (a: unknown) => void }>>();
  private readonly codeCache = new Map<string, { mtime: number; code: string }>();
  /** App code sandbox hook (appCode.ts): runs WinJS start scripts on launch. */
  appCodeRunner?: (host: TaskHost) => void;
  opened = false;
  private saveScheduled?: NodeJS.Immediate;
  /** CPU quota (§4): CPU used in the current period and when it refreshes (virtual ms). */
  private cpuPeriod?: { usedMs: number; refreshAt: number };
  private cpuRefreshTimer?: ClockTimer;
  private cpuPollTimer?: NodeJS.Timeout;

  constructor(readonly options: HostOptions = {}, readonly app?: AppModel) {
    super();
    this.profile = options.profile ?? app?.profile ?? 'win10';
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.timeScale = options.timeScale ?? 1;
    this.state = { ...defaultState(this.profile), ...options.state };
  }

  // ---- trace ---------------------------------------------------------------------------------

  private trace(event: TraceEventName, reg?: Pick<Registration, 'name' | 'taskId'>, extra: Record<string, unknown> = {}): TraceEvent {
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
  log(text: string, reg?: Registration, extra: Record<string, unknown> = {}): void {
    const fields: Record<string, unknown> = { text };
    for (const k in extra) fields[k] = extra[k];
    this.trace('log', reg, fields);
  }

  private newId(): string {
    if (!this.options.deterministicIds) return randomUUID();
    const n = (++this.idCounter).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${n}`;
  }

  // ---- store ---------------------------------------------------------------------------------

  /** Load the store (if any) and report what a restart implies. Call once, after attaching listeners. */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    const dir = this.options.storageDir;
    if (!dir) return;
    const loaded = loadStore(dir);
    if (loaded.corrupt) {
      this.log(`the registration store was unreadable (${loaded.corrupt.error}); it was kept aside as ${loaded.corrupt.movedTo} and the host starts empty`, undefined, { level: 'error' });
      return;
    }
    const data = loaded.data;
    if (!data) return;
    this.clock.advance(data.t);
    this.localSettings = data.localSettings;
    for (const reg of data.registrations) {
      this.registry.add(reg);
      if (reg.nextFireAt !== undefined && !reg.spent) this.scheduleTime(reg, reg.nextFireAt);
    }
    this.log(`restored ${data.registrations.length} registration(s) from ${path.join(dir, 'host-store.json')}`);
    for (const f of data.inFlight) this.trace('canceled', { name: f.name, taskId: f.taskId }, { instanceId: f.instanceId, reason: 'Abort', why: 'the host stopped while this instance ran' });
    if (data.inFlight.length) this.save();
  }

  /**
   * Persist the store. Writes are coalesced: every change in one synchronous burst (a fire that
   * reaches 1,000 registrations, `advance 30d`) marks the store dirty and one write follows on the
   * next turn of the event loop (or at flush()/close()). A write per step made the scheduler ~100×
   * slower and added the write to every Fire → Run start.
   */
  private save(): void {
    if (!this.options.storageDir || this.saveScheduled) return;
    this.saveScheduled = setImmediate(() => this.flush());
  }

  /** Write the store now if a change is pending. */
  flush(): void {
    if (!this.saveScheduled) return;
    clearImmediate(this.saveScheduled);
    this.saveScheduled = undefined;
    const dir = this.options.storageDir;
    if (!dir) return;
    const inFlight: InFlightRecord[] = [...this.instances.values()].map((i) => ({ instanceId: i.instanceId, taskId: i.reg.taskId, name: i.reg.name, startedAt: i.startedAt }));
    saveStore(dir, { version: 1, registrations: this.registry.all(), inFlight, localSettings: this.localSettings, t: this.clock.now() });
  }

  // ---- registrations -------------------------------------------------------------------------

  registrations(): Registration[] {
    return this.registry.all();
  }

  /** BackgroundTaskRegistration.AllTasks (§5): grouped registrations excluded. */
  allTasks(): Registration[] {
    return this.registry.allTasks();
  }

  /** Register-time validation (§5 BackgroundTaskBuilder "Parameter validation"); win8 validates only at run time. */
  validate(spec: BuilderSpec): string | undefined {
    const t = spec.trigger;
    if (!t) return 'Register failed: no trigger was set (§5: Register requires a trigger)';
    const cls = triggerClass(t.type);
    if (cls?.hasFreshness && (t.freshness === undefined || t.freshness < 15))
      return `Register failed: ${t.type} freshnessTime ${t.freshness} is below the 15-minute minimum (§3, §5)`;
    if (cls?.singleInstance && this.registry.all().some((r) => r.trigger.type === cls.name))
      return `Register failed: an app may register only one ${cls.name} (§3.1)`;
    if (this.app?.declarations && spec.entryPoint) {
      const declared = this.app.declarations.get(spec.entryPoint);
      const accepted = taskTypesForTrigger(t.type, this.profile);
      if (accepted.length && !(declared ?? []).some((d) => accepted.includes(d)))
        return `Register failed: runtime class not registered (REGDB_E_CLASSNOTREG): ${spec.entryPoint} is not declared in the manifest with Task Type ${accepted.join(' or ')} for ${t.type} (§3.5, §5)`;
    }
    return undefined;
  }

  register(spec: BuilderSpec, source: Registration['source'] = 'command'): RegisterResult {
    const error = this.validate(spec);
    const failLate = this.profile === 'win8';
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
    if (triggerClass(reg.trigger.type)?.hasFreshness && reg.trigger.freshness !== undefined && reg.trigger.freshness >= 15)
      this.scheduleTime(reg, this.nextTick(reg.registeredAt + reg.trigger.freshness * 60_000));
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

  /** Unregister by TaskId, or every registration with that name (as the sample does). */
  unregister(taskIdOrName: string, cancelTask: boolean): number {
    const regs = this.registry.get(taskIdOrName) ? [this.registry.get(taskIdOrName)!] : this.registry.byName(taskIdOrName);
    for (const reg of regs) {
      this.registry.remove(reg.taskId);
      this.latched.delete(reg.taskId);
      this.clock.cancel(this.timeTimers.get(reg.taskId));
      this.timeTimers.delete(reg.taskId);
      this.trace('unregistered', reg, { cancelTask });
      // §5: Unregister(true) cancels running instances with Abort; false lets them finish.
      if (cancelTask) for (const inst of this.instances.values()) if (inst.reg.taskId === reg.taskId) this.cancel(inst, 'Abort', 'Unregister(true)');
    }
    if (regs.length) this.save();
    return regs.length;
  }

  // ---- time ----------------------------------------------------------------------------------

  /** The first 15-minute tick at or after `at` (§3 TimeTrigger). */
  private nextTick(at: number): number {
    return Math.ceil(at / TICK_MS) * TICK_MS;
  }

  private scheduleTime(reg: Registration, at: number): void {
    reg.nextFireAt = at;
    const timer = this.timeTimers.get(reg.taskId);
    // A periodic trigger reschedules the timer that just ran (no new timer per fire).
    if (timer) {
      this.timeTimers.set(reg.taskId, this.clock.reschedule(timer, at));
      return;
    }
    const fn = () => {
      if (!this.registry.get(reg.taskId)) {
        this.timeTimers.delete(reg.taskId);
        return;
      }
      if (!reg.trigger.oneShot) this.scheduleTime(reg, this.nextTick(this.clock.now() + (reg.trigger.freshness ?? 15) * 60_000));
      else {
        this.timeTimers.delete(reg.taskId);
        reg.nextFireAt = undefined;
      }
      this.fireRegistration(reg, reg.trigger.type, null);
    };
    this.timeTimers.set(reg.taskId, this.clock.schedule(at, fn));
  }

  /** Move virtual time forward; TimeTrigger/MaintenanceTrigger and virtual limits fire on the way. */
  advance(ms: number): void {
    this.clock.advance(ms);
    this.save();
  }

  // ---- firing --------------------------------------------------------------------------------

  /** Resolve a trigger name as a user writes it: a SystemTriggerType member or a trigger class. */
  static resolveTrigger(name: string): { key: string; label: string } | undefined {
    const st = systemTriggerType(name);
    if (st) return { key: `SystemTrigger/${st.name}`, label: st.name };
    const bare = name.replace(/Trigger$/i, '');
    const aliases: Record<string, string> = { push: 'PushNotificationTrigger', pushnotification: 'PushNotificationTrigger', application: 'ApplicationTrigger', mediaprocessing: 'MediaProcessingTrigger', time: 'TimeTrigger', maintenance: 'MaintenanceTrigger' };
    const cls = triggerClass(name) ?? triggerClass(aliases[bare.toLowerCase()] ?? '') ?? triggerClass(bare + 'Trigger');
    return cls ? { key: cls.name, label: cls.name } : undefined;
  }

  static triggerNames(): string[] {
    return [...SYSTEM_TRIGGER_TYPES.map((t) => t.name), ...TRIGGER_CLASSES.map((c) => c.name)];
  }

  /** Fire a trigger for every registration on it. Returns how many registrations it reached. */
  fire(name: string, details: unknown = null): number {
    const resolved = TaskHost.resolveTrigger(name);
    if (!resolved) throw new Error(`unknown trigger '${name}'`);
    const regs = this.registry.forKey(resolved.key);
    if (!regs.length) this.trace('fired', undefined, { trigger: resolved.label, registrations: 0 });
    for (const reg of [...regs]) this.fireRegistration(reg, resolved.label, details);
    return regs.length;
  }

  /** Visual Studio style "trigger task by name" (§6). Fires regardless of what VS could do, and says so. */
  triggerTask(name: string): number {
    const regs = this.registry.byName(name);
    if (!regs.length) throw new Error(`no registration named '${name}'`);
    for (const reg of regs) {
      const vs = visualStudioCanFire(reg.trigger.type, reg.trigger.systemTriggerType);
      if (!vs) this.log(`Visual Studio's Lifecycle Events could not fire ${reg.name} (${describeTrigger(reg.trigger)}, §6); the host fires it anyway`, reg);
      this.fireRegistration(reg, describeTrigger(reg.trigger), null, 'trigger');
    }
    return regs.length;
  }

  /** ApplicationTrigger.RequestAsync(arguments) (§3.1): the result is an ApplicationTriggerResult name. */
  applicationTrigger(nameOrIds: string | string[], args: Record<string, unknown> = {}): string {
    const regs = Array.isArray(nameOrIds) ? nameOrIds.map((id) => this.registry.get(id)).filter((r): r is Registration => !!r) : this.registry.byName(nameOrIds).filter((r) => r.trigger.type === 'ApplicationTrigger' || r.trigger.type === 'MediaProcessingTrigger');
    if (!regs.length) {
      if (typeof nameOrIds === 'string') throw new Error(`no ApplicationTrigger registration named '${nameOrIds}'`);
      return 'UnknownError';
    }
    // §3.1: only one ApplicationTrigger runs at a time.
    if ([...this.instances.values()].some((i) => regs.includes(i.reg))) {
      for (const r of regs) this.trace('skipped', r, { trigger: r.trigger.type, why: 'CurrentlyRunning: an ApplicationTrigger task is already running (§3.1)' });
      return 'CurrentlyRunning';
    }
    // §3.1: cannot be signalled while the app is in the background.
    if (this.appState === 'suspended') {
      for (const r of regs) this.trace('skipped', r, { trigger: r.trigger.type, why: 'DisabledByPolicy: RequestAsync while the app is in the background (§3.1)' });
      return 'DisabledByPolicy';
    }
    for (const r of regs) this.fireRegistration(r, r.trigger.type, { arguments: args });
    return 'Allowed';
  }

  /** A raw push for a registration (TriggerDetails is the RawNotification, §3.1). */
  push(name: string, payload: string): number {
    const regs = this.registry.byName(name).filter((r) => r.trigger.type === 'PushNotificationTrigger');
    if (!regs.length) throw new Error(`no PushNotificationTrigger registration named '${name}'`);
    for (const r of regs) this.fireRegistration(r, 'PushNotificationTrigger', { content: payload });
    return regs.length;
  }

  private fireRegistration(reg: Registration, trigger: string, details: unknown, via?: string): void {
    // §9 step 1 / §2: a spent one-shot ignores its trigger.
    if (reg.spent) {
      this.trace('skipped', reg, { trigger, why: 'one-shot trigger already fired (§2)' });
      return;
    }
    this.trace('fired', reg, via ? { trigger, via } : { trigger });
    if (reg.trigger.oneShot) reg.spent = true;
    this.evaluate(reg, trigger, details);
  }

  /** Conditions, then policy, then run (§9 steps 2–4). */
  private evaluate(reg: Registration, trigger: string, details: unknown): void {
    const waiting = this.waitingFor(reg);
    if (waiting.length) {
      this.latched.set(reg.taskId, { reg, trigger, details });
      this.trace('latched', reg, { trigger, waitingFor: waiting });
      return;
    }
    this.latched.delete(reg.taskId);
    const why = this.policyBlocks(reg);
    if (why) {
      this.trace('skipped', reg, { trigger, why });
      return;
    }
    this.start(reg, trigger, details);
  }

  private waitingFor(reg: Registration): string[] {
    const out: string[] = [];
    const s = this.state;
    for (const c of reg.conditions) if (!conditionHolds(c, s)) out.push(c);
    // §3 MaintenanceTrigger runs only on AC power.
    if (reg.trigger.type === 'MaintenanceTrigger' && s.power !== 'ac') out.push('ACPower');
    return out;
  }

  /** §9 step 3: access and lock screen; battery saver on win10 (§3, §4); win8 late validation (§5). */
  private policyBlocks(reg: Registration): string | undefined {
    const s = this.state;
    if (this.profile === 'win8') {
      const error = this.validateExisting(reg);
      if (error) return `the task failed to start: ${error} (Windows 8 validates only when the task runs, §5)`;
    }
    if (!accessAllows(s.accessStatus)) return `background access is ${s.accessStatus} (§5 BackgroundAccessStatus)`;
    const eightX = this.profile === 'win8' || this.profile === 'win81' || this.profile === 'phone81';
    if (eightX && !s.lockScreen && needsRequestAccess('win81', reg.trigger.type, reg.trigger.systemTriggerType))
      return `${describeTrigger(reg.trigger)} needs the app on the lock screen on ${this.profile} (§1)`;
    if ((this.profile === 'win10' || this.profile === 'appsdk') && s.batterySaver && !s.batterySaverExempt)
      return 'battery saver is on and the app is not exempted (§3 TimeTrigger, §4)';
    // §5: a JS task must close() before the next one for the same trigger can start.
    if (this.jsPath(reg) && [...this.instances.values()].some((i) => i.reg.taskId === reg.taskId && i.kind === 'js'))
      return 'the previous instance of this JS task has not called close() (§5)';
    return undefined;
  }

  private validateExisting(reg: Registration): string | undefined {
    const others = this.registry.all().filter((r) => r !== reg);
    const t = reg.trigger;
    const cls = triggerClass(t.type);
    if (t.type === 'Invalid') return 'no trigger was set';
    if (cls?.hasFreshness && (t.freshness === undefined || t.freshness < 15)) return `freshnessTime ${t.freshness} is below 15 minutes`;
    if (cls?.singleInstance && others.some((r) => r.trigger.type === t.type && r.registeredAt < reg.registeredAt)) return `a second ${t.type}`;
    return undefined;
  }

  // ---- instances -----------------------------------------------------------------------------

  private limitFor(reg: Registration): number {
    if (reg.trigger.type === 'ApplicationTrigger') return this.limits.applicationTriggerMs;
    if (reg.trigger.type === 'DeviceServicingTrigger') return this.limits.deviceServicingMs;
    return this.limits.wallClockMs;
  }

  private jsPath(reg: Registration): string | undefined {
    const ep = reg.entryPoint;
    if (!ep || !/\.(c|m)?(j|t)sx?$/i.test(ep)) return undefined;
    const p = path.isAbsolute(ep) ? ep : path.resolve(this.app?.folder ?? this.options.appFolder ?? process.cwd(), ep.replace(/\\/g, '/'));
    return p;
  }

  private start(reg: Registration, trigger: string, details: unknown): void {
    const jsFile = this.jsPath(reg);
    // Real time only matters for code that runs (and performance.now() is ~8% of `advance 30d`).
    const firedAtReal = jsFile || this.options.runner ? performance.now() : 0;
    const kind: Instance['kind'] = jsFile && fs.existsSync(jsFile) ? (this.options.runner ? 'external' : 'js') : this.options.runner && reg.entryPoint ? 'external' : 'modeled';
    const inst: Instance = { instanceId: this.newId(), reg, trigger, startedAt: this.clock.now(), kind, firedAtReal, suspendedCount: 0 };
    this.instances.set(inst.instanceId, inst);
    this.trace('started', reg, { instanceId: inst.instanceId, trigger, runner: kind });
    this.save();
    const limit = this.limitFor(reg);
    // Wall-clock limit (§4, §9): on virtual time for every instance, and on real time (scaled) for code that runs.
    // A modeled instance usually ends inside runModeled; its deadline is scheduled only if it is still running.
    if (kind === 'modeled') {
      this.runModeled(inst);
      if (this.instances.get(inst.instanceId) === inst) {
        if (inst.suspended) inst.leftVirtual = limit;
        else this.scheduleDeadline(inst, limit);
      }
      return;
    }
    const post = () => {
      inst.pendingRun = undefined;
      this.armDeadlines(inst, limit, limit * this.timeScale);
      this.postRun(inst, kind, jsFile, details);
    };
    // CPU quota (§4): with the quota used up, the new instance waits, suspended, for the refresh.
    if (this.quotaApplies(inst) && this.cpuRemaining() <= 0) {
      inst.pendingRun = post;
      this.suspendInstance(inst);
      return;
    }
    post();
  }

  private armDeadlines(inst: Instance, virtualMs: number, realMs?: number): void {
    inst.virtualDeadline = this.clock.schedule(this.clock.now() + virtualMs, () => this.cancel(inst, 'ExecutionTimeExceeded'));
    if (realMs === undefined) return;
    inst.realDeadlineAt = performance.now() + realMs;
    inst.realDeadline = setTimeout(() => this.cancel(inst, 'ExecutionTimeExceeded'), realMs);
  }

  private postRun(inst: Instance, kind: 'js' | 'external', jsFile: string | undefined, details: unknown): void {
    const { reg, trigger } = inst;
    const runner = this.runnerFor(kind);
    const msg: RunMessage = {
      op: 'run',
      protocol: 1,
      instanceId: inst.instanceId,
      entryPoint: jsFile ?? reg.entryPoint ?? '',
      trigger,
      triggerDetails: details ?? null,
      task: { taskId: reg.taskId, name: reg.name, group: reg.group },
      settings: { ...this.localSettings },
      allTasks: this.allTasks().map((r) => ({ taskId: r.taskId, name: r.name })),
      backgroundWorkCost: this.state.backgroundWorkCost,
      suspendedCount: inst.suspendedCount,
      idleMs: this.limits.idleMs * this.timeScale,
    };
    if (kind === 'js' && jsFile) {
      try {
        msg.code = this.codeFor(jsFile);
      } catch (error) {
        this.end(inst, { error: `could not load ${jsFile}: ${(error as Error).message}` });
        return;
      }
    }
    inst.handle = runner.run(msg, this.eventsFor(inst));
    if (!this.quotaApplies(inst)) return;
    if (inst.handle.cpuMs) {
      inst.cpuMark = inst.handle.cpuMs();
      this.pollCpu();
    } else this.chargeCpu(this.limits.modeledCpuMs); // an external runner reports no CPU: charged like a modeled run
  }

  private scheduleDeadline(inst: Instance, limit: number): void {
    inst.virtualDeadline = this.clock.schedule(inst.startedAt + limit, () => this.cancel(inst, 'ExecutionTimeExceeded'));
  }

  private runnerFor(kind: 'js' | 'external'): TaskRunner {
    if (kind === 'external') return (this.external ??= new ExternalRunner(this.options.runner!, this.app?.folder ?? this.options.appFolder));
    return (this.pool ??= new WorkerPool(this.limits.memoryMb));
  }

  /** Start the warm worker now (so the first fire does not pay for it). */
  /** Start the JS worker pool ahead of the first run; resolves when its spare worker has booted. */
  warmUp(): Promise<void> {
    this.pool ??= new WorkerPool(this.limits.memoryMb);
    return this.pool.ready();
  }

  private codeFor(file: string): string {
    const mtime = fs.statSync(file).mtimeMs;
    const cached = this.codeCache.get(file);
    if (cached && cached.mtime === mtime) return cached.code;
    let code = fs.readFileSync(file, 'utf8');
    if (/\.[cm]?tsx?$/i.test(file)) {
      // Lazily: esbuild is external in the bundles and only TypeScript tasks need it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const esbuild = require('esbuild') as typeof import('esbuild');
      code = esbuild.transformSync(code, { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: file }).code;
    }
    this.codeCache.set(file, { mtime, code });
    return code;
  }

  private eventsFor(inst: Instance): RunnerEvents {
    const live = () => this.instances.get(inst.instanceId) === inst;
    // CPU quota (§4): what the code reports while its instance is suspended is seen on resume.
    const held = <A extends unknown[]>(fn: (...a: A) => void) => (...a: A) => {
      if (inst.suspended && live()) (inst.held ??= []).push(() => fn(...a));
      else fn(...a);
    };
    const e: RunnerEvents = {
      begin: () => {
        inst.beganAtReal = performance.now();
        this.emit('run-begin', { instanceId: inst.instanceId, latencyMs: inst.beganAtReal - inst.firedAtReal });
      },
      progress: (value) => {
        if (!live()) return;
        this.trace('progress', inst.reg, { instanceId: inst.instanceId, progress: value });
        this.deliver({ what: 'Progress', taskId: inst.reg.taskId, task: inst.reg.name, instanceId: inst.instanceId, progress: value });
      },
      log: (text) => this.log(text, inst.reg, { instanceId: inst.instanceId }),
      settings: (key, value, deleted) => {
        if (deleted) delete this.localSettings[key];
        else this.localSettings[key] = value;
        this.save();
      },
      deferral: () => undefined,
      deferralComplete: () => undefined,
      // §5: a JS task that never calls close() is an idle task, canceled with Abort.
      idle: () => live() && this.cancel(inst, 'Abort', 'idle: the JS task never called close() (§5)'),
      done: (result) => {
        if (!live()) return;
        if (result.error !== undefined) this.end(inst, { error: result.error });
        else this.end(inst, { succeeded: result.succeeded });
      },
      died: (error) => live() && this.end(inst, { error, terminated: true }),
    };
    return { ...e, progress: held(e.progress), log: held(e.log), settings: held(e.settings), idle: held(e.idle), done: held(e.done) };
  }

  /** C#/C++ tasks have no runtime here: an instance modeled on the engine's facts (no code runs). */
  private runModeled(inst: Instance): void {
    const reg = inst.reg;
    const ep = reg.entryPoint;
    let cls = ep ? this.app?.classes.get(ep) : undefined;
    // §5 App SDK: a COM task registered by CLSID; when the facts lack the CLSID, the app's only task class is it.
    if (!ep && this.profile === 'appsdk' && this.app?.classes.size === 1) cls = [...this.app.classes.values()][0];
    if (!ep && !cls) {
      const has = this.app?.hasOnBackgroundActivated;
      this.log(`modeled in-process task: no code ran${has ? ' (OnBackgroundActivated would be called)' : '; the app has no OnBackgroundActivated override'}`, reg, { instanceId: inst.instanceId });
      if (has === false) this.end(inst, { error: 'in-process task but the app does not override OnBackgroundActivated (§3.5)' });
      else this.modeledRan(inst, () => this.end(inst, {}));
      return;
    }
    if (!cls) {
      const known = this.app && this.app.classes.size > 0;
      this.log(`modeled instance of ${ep}: no code ran${known ? '; no class with this full name implements IBackgroundTask in the workspace' : ''}`, reg, { instanceId: inst.instanceId });
      if (known) this.end(inst, { error: `the background task with entry point ${ep} and name ${reg.name} failed to activate: class not found (§3.5, §8 #4)` });
      else this.modeledRan(inst, () => this.end(inst, {}));
      return;
    }
    const run = cls.run;
    const d = run?.deferrals ?? [];
    const parts = [`${d.length} deferral(s)`, cls.handlesCanceled ? 'handles Canceled' : 'no Canceled handler', run?.asyncWork ? 'async work' : 'no async work'];
    this.log(`modeled instance of ${cls.fullName} (${cls.language}): no code ran; from the facts: ${parts.join(', ')}`, reg, { instanceId: inst.instanceId });
    if (!run) {
      this.end(inst, { error: `${cls.fullName} has no Run method (§8)` });
      return;
    }
    if (d.some((x) => !x.completed)) {
      // §8 #8: a deferral never completed holds the task until its time limit.
      this.log('modeled: a deferral is never completed, so the instance runs until its time limit (§8 #8)', reg, { instanceId: inst.instanceId });
      this.modeledRan(inst, () => undefined);
      return;
    }
    if (run.asyncWork && !d.length) this.log('modeled: Run starts async work without a deferral; the platform considers the task done when Run returns and the work is cut off (§5, §8 #7)', reg, { instanceId: inst.instanceId });
    this.modeledRan(inst, () => this.end(inst, {}));
  }

  // ---- Windows 8/8.1 CPU quota (§4, §9) ------------------------------------------------------
  //
  // The app's tasks share one CPU budget per period: limits.cpuQuotaLockScreenMs per
  // cpuQuotaLockScreenPeriodMs on the lock screen, cpuQuotaMs per cpuQuotaPeriodMs otherwise, on AC
  // and battery alike. Periods run on the virtual clock from t = 0 (the facts do not say where a
  // period starts, so the host aligns them, as it aligns TimeTriggers to the 15-minute tick); a
  // lock-screen change applies the new budget at once and the new period from the next refresh.
  // Modeled runs are charged limits.modeledCpuMs; JS runs are measured (RunHandle.cpuMs) in real
  // ms and charged divided by the time scale, like every limit on running code. When the budget is
  // used up every running instance of the app is suspended; at the refresh they resume in the order
  // they started, while the new budget lasts. PushNotificationTrigger/ControlChannelTrigger
  // tasks have guaranteed quotas of their own (§4, sizes not in the facts): they are not charged
  // and not suspended.

  /** Is the CPU quota model on for this instance? */
  private quotaApplies(inst: Instance): boolean {
    if (!this.options.cpuQuota || (this.profile !== 'win8' && this.profile !== 'win81')) return false;
    const t = inst.reg.trigger.type;
    return t !== 'PushNotificationTrigger' && t !== 'ControlChannelTrigger';
  }

  private quota(): { quotaMs: number; periodMs: number } {
    const l = this.limits;
    return this.state.lockScreen ? { quotaMs: l.cpuQuotaLockScreenMs, periodMs: l.cpuQuotaLockScreenPeriodMs } : { quotaMs: l.cpuQuotaMs, periodMs: l.cpuQuotaPeriodMs };
  }

  private currentPeriod(): { usedMs: number; refreshAt: number } {
    const now = this.clock.now();
    if (!this.cpuPeriod || now >= this.cpuPeriod.refreshAt) {
      const { periodMs } = this.quota();
      this.cpuPeriod = { usedMs: 0, refreshAt: (Math.floor(now / periodMs) + 1) * periodMs };
    }
    return this.cpuPeriod;
  }

  /** CPU ms left in the current period. */
  private cpuRemaining(): number {
    return Math.max(0, this.quota().quotaMs - this.currentPeriod().usedMs);
  }

  /** Charge CPU to the app; when the budget is used up, suspend every running instance it applies to. */
  private chargeCpu(ms: number): void {
    const period = this.currentPeriod();
    const { quotaMs } = this.quota();
    period.usedMs = Math.min(quotaMs, period.usedMs + ms);
    if (period.usedMs < quotaMs) return;
    for (const inst of [...this.instances.values()]) if (!inst.suspended && this.quotaApplies(inst)) this.suspendInstance(inst);
  }

  /** A modeled instance's Run "ran": charge its CPU (suspending when the budget runs out), then `then`. */
  private modeledRan(inst: Instance, then: () => void): void {
    if (!this.quotaApplies(inst)) return then();
    inst.cpuOwedMs = this.limits.modeledCpuMs;
    inst.afterCpu = then;
    this.chargeModeled(inst);
  }

  private chargeModeled(inst: Instance): void {
    const take = Math.min(this.cpuRemaining(), inst.cpuOwedMs ?? 0);
    inst.cpuOwedMs = (inst.cpuOwedMs ?? 0) - take;
    if (inst.cpuOwedMs > 0) {
      // The budget is gone with Run unfinished: this instance and every other running one are suspended.
      this.chargeCpu(take);
      if (!inst.suspended) this.suspendInstance(inst);
      return;
    }
    const then = inst.afterCpu;
    inst.afterCpu = undefined;
    inst.cpuOwedMs = undefined;
    // The run's own CPU may use the budget up exactly: it finishes first, then the others are suspended.
    this.currentPeriod().usedMs += take;
    then?.();
    if (take > 0) this.chargeCpu(0);
  }

  private suspendInstance(inst: Instance): void {
    if (inst.suspended || this.instances.get(inst.instanceId) !== inst) return;
    // What a JS instance used up to now is charged (after it is marked suspended, so the charge
    // cannot come back to it), and its reading starts afresh on resume.
    const used = this.takeCpu(inst);
    inst.suspended = true;
    inst.suspendedCount++;
    if (inst.virtualDeadline && !inst.virtualDeadline.cancelled) {
      inst.leftVirtual = Math.max(0, inst.virtualDeadline.at - this.clock.now());
      this.clock.cancel(inst.virtualDeadline);
      inst.virtualDeadline = undefined;
    }
    if (inst.realDeadline) {
      clearTimeout(inst.realDeadline);
      inst.realDeadline = undefined;
      inst.leftReal = Math.max(0, (inst.realDeadlineAt ?? 0) - performance.now());
    }
    inst.handle?.suspend?.();
    const period = this.currentPeriod();
    const { quotaMs, periodMs } = this.quota();
    period.usedMs = Math.min(quotaMs, period.usedMs + used);
    this.trace('suspended', inst.reg, {
      instanceId: inst.instanceId,
      suspendedCount: inst.suspendedCount,
      cpuUsedMs: Math.round(period.usedMs),
      quotaMs,
      periodMs,
      resumeAt: period.refreshAt,
      why: `the app's CPU quota (${quotaMs} ms per ${periodMs / 60_000} min${this.state.lockScreen ? ', lock screen' : ''}) is used up; suspended until the next refresh (§4)`,
    });
    this.cpuRefreshTimer ??= this.clock.schedule(period.refreshAt, () => this.refreshCpu());
    if (used > 0) this.chargeCpu(0); // used up now: the others are suspended too
    this.notifyIdle();
  }

  /** The quota refreshes: suspended instances resume, in order, while the new budget lasts. */
  private refreshCpu(): void {
    this.cpuRefreshTimer = undefined;
    if (![...this.instances.values()].some((i) => i.suspended)) return;
    const { quotaMs, periodMs } = this.quota();
    this.log(`CPU quota refreshed: ${quotaMs} ms for the next ${periodMs / 60_000} min (§4)`);
    this.resumeSuspended();
  }

  /** Resume suspended instances in order while the budget lasts; the rest wait for the next refresh. */
  private resumeSuspended(): void {
    for (const inst of [...this.instances.values()].filter((i) => i.suspended)) {
      if (!inst.suspended || this.instances.get(inst.instanceId) !== inst) continue;
      if (this.cpuRemaining() <= 0) break;
      this.resumeInstance(inst, true);
    }
    if ([...this.instances.values()].some((i) => i.suspended)) this.cpuRefreshTimer ??= this.clock.schedule(this.currentPeriod().refreshAt, () => this.refreshCpu());
  }

  /** Resume a suspended instance: at a refresh (traced), or quietly before a cancellation reaches it. */
  private resumeInstance(inst: Instance, traced: boolean): void {
    inst.suspended = false;
    if (traced) {
      const { quotaMs, periodMs } = this.quota();
      this.trace('resumed', inst.reg, { instanceId: inst.instanceId, suspendedCount: inst.suspendedCount, quotaMs, periodMs });
    }
    if (inst.pendingRun) {
      inst.pendingRun();
      return;
    }
    if (inst.leftVirtual !== undefined) {
      const left = inst.leftVirtual;
      inst.leftVirtual = undefined;
      inst.virtualDeadline = this.clock.schedule(this.clock.now() + left, () => this.cancel(inst, 'ExecutionTimeExceeded'));
    }
    if (inst.leftReal !== undefined) {
      const left = inst.leftReal;
      inst.leftReal = undefined;
      inst.realDeadlineAt = performance.now() + left;
      inst.realDeadline = setTimeout(() => this.cancel(inst, 'ExecutionTimeExceeded'), left);
    }
    if (inst.handle) {
      inst.handle.resume?.(inst.suspendedCount);
      if (inst.handle.cpuMs) inst.cpuMark = inst.handle.cpuMs();
      for (const fn of inst.held?.splice(0) ?? []) fn();
      this.pollCpu();
    }
    if (traced && inst.cpuOwedMs !== undefined) this.chargeModeled(inst);
  }

  /** Charge a JS instance's CPU since the last reading. */
  private readCpu(inst: Instance): void {
    if (inst.suspended) return;
    const used = this.takeCpu(inst);
    if (used > 0) this.chargeCpu(used);
  }

  /** A JS instance's CPU since the last reading, in platform ms (real ms / time scale); moves the mark. */
  private takeCpu(inst: Instance): number {
    if (inst.cpuMark === undefined || !inst.handle?.cpuMs || !this.quotaApplies(inst)) return 0;
    const now = inst.handle.cpuMs();
    const used = (now - inst.cpuMark) / this.timeScale;
    inst.cpuMark = now;
    return Math.max(0, used);
  }

  /** While a JS instance runs under the quota, read its CPU often enough to stop it close to the budget. */
  private pollCpu(): void {
    if (this.cpuPollTimer) return;
    const measured = () => [...this.instances.values()].filter((i) => !i.suspended && i.cpuMark !== undefined);
    if (!measured().length) return;
    const every = Math.max(1, Math.min(10, this.cpuRemaining() * this.timeScale));
    this.cpuPollTimer = setTimeout(() => {
      this.cpuPollTimer = undefined;
      for (const inst of measured()) this.readCpu(inst);
      this.pollCpu();
    }, every);
  }

  cancel(inst: Instance, reason: CancellationReason, why?: string): void {
    if (inst.canceled || this.instances.get(inst.instanceId) !== inst) return;
    // A suspended instance (CPU quota) runs again to receive Canceled; one never handed to its runner just ends.
    if (inst.suspended) {
      inst.suspended = false;
      inst.afterCpu = undefined;
      inst.cpuOwedMs = undefined;
      if (inst.pendingRun) {
        inst.pendingRun = undefined;
        inst.canceled = reason;
        this.clock.cancel(inst.virtualDeadline);
        this.trace('canceled', inst.reg, { instanceId: inst.instanceId, reason, ...(why ? { why } : {}) });
        this.end(inst, {});
        return;
      }
      this.resumeInstance(inst, false);
      if (this.instances.get(inst.instanceId) !== inst) return;
    }
    inst.canceled = reason;
    this.clock.cancel(inst.virtualDeadline);
    if (inst.realDeadline) clearTimeout(inst.realDeadline);
    this.trace('canceled', inst.reg, { instanceId: inst.instanceId, reason, ...(why ? { why } : {}) });
    if (inst.kind === 'modeled') {
      const cls = inst.reg.entryPoint ? this.app?.classes.get(inst.reg.entryPoint) : undefined;
      if (cls && !cls.handlesCanceled) this.log('modeled: the task has no Canceled handler; the host ends it (§8 #28)', inst.reg, { instanceId: inst.instanceId });
      this.end(inst, {});
      return;
    }
    inst.handle?.cancel(reason);
    // The code may finish after Canceled; past the grace period the worker is terminated.
    inst.graceTimer = setTimeout(() => inst.handle?.terminate(), this.limits.cancelGraceMs * this.timeScale);
  }

  private end(inst: Instance, result: { error?: string; succeeded?: boolean; terminated?: boolean }): void {
    if (this.instances.get(inst.instanceId) !== inst) return;
    this.instances.delete(inst.instanceId);
    this.readCpu(inst); // the last of a JS run's CPU (§4 quota)
    inst.suspended = false;
    this.clock.cancel(inst.virtualDeadline);
    if (inst.realDeadline) clearTimeout(inst.realDeadline);
    if (inst.graceTimer) clearTimeout(inst.graceTimer);
    const base = { instanceId: inst.instanceId };
    let error: string | undefined;
    if (inst.canceled) {
      if (result.terminated) this.log(`worker terminated: ${result.error}`, inst.reg, base);
    } else if (result.error !== undefined) {
      error = result.error;
      this.trace('failed', inst.reg, { ...base, error });
    } else if (result.succeeded === false) {
      // §5: WebUIBackgroundTaskInstance.succeeded = false makes CheckResult throw.
      error = 'the task reported succeeded = false';
      this.trace('completed', inst.reg, { ...base, succeeded: false });
    } else this.trace('completed', inst.reg, base);
    this.save();
    const completed: Delivery = { what: 'Completed', taskId: inst.reg.taskId, task: inst.reg.name, instanceId: inst.instanceId };
    if (error) completed.error = error;
    this.deliver(completed);
    this.notifyIdle();
  }

  /** Nothing runs: no instance, or only instances suspended by the CPU quota, which wait for virtual time. */
  private settled(): boolean {
    for (const inst of this.instances.values()) if (!inst.suspended) return false;
    return true;
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length && this.settled()) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves when no instance is running (instances suspended by the CPU quota wait for `advance`, so they do not count). */
  idle(): Promise<void> {
    if (this.settled()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  running(): Array<{ instanceId: string; task: string; taskId: string; startedAt: number; canceled?: string; suspended?: boolean; suspendedCount?: number }> {
    return [...this.instances.values()].map((i) => ({
      instanceId: i.instanceId, task: i.reg.name, taskId: i.reg.taskId, startedAt: i.startedAt, canceled: i.canceled,
      ...(i.suspended ? { suspended: true } : {}), ...(i.suspendedCount ? { suspendedCount: i.suspendedCount } : {}),
    }));
  }

  latchedTasks(): Array<{ task: string; taskId: string; waitingFor: string[] }> {
    return [...this.latched.values()].map((l) => ({ task: l.reg.name, taskId: l.reg.taskId, waitingFor: this.waitingFor(l.reg) }));
  }

  // ---- state ---------------------------------------------------------------------------------

  setState(changes: Partial<SystemState>): void {
    const before = this.state;
    const after = { ...before, ...changes };
    const changed: Record<string, unknown> = {};
    for (const k of Object.keys(changes) as Array<keyof SystemState>) if (before[k] !== after[k]) changed[k] = after[k];
    if (!Object.keys(changed).length) return;
    this.state = after;
    this.trace('state', undefined, { changes: changed });
    for (const inst of [...this.instances.values()]) {
      // §3 MaintenanceTrigger: DC power cancels a running maintenance task with Abort.
      if (inst.reg.trigger.type === 'MaintenanceTrigger' && after.power === 'dc' && before.power === 'ac') this.cancel(inst, 'Abort', 'power went to DC (§3 MaintenanceTrigger)');
      // §2: CancelOnConditionLoss cancels when a required condition stops holding.
      else if (inst.reg.cancelOnConditionLoss && inst.reg.conditions.some((c) => conditionHolds(c, before) && !conditionHolds(c, after))) this.cancel(inst, 'ConditionLoss');
    }
    // §4 CPU quota: joining the lock screen raises the budget (suspended instances may resume), leaving it lowers it.
    if ('lockScreen' in changed && this.cpuPeriod) {
      if ([...this.instances.values()].some((i) => i.suspended)) this.resumeSuspended();
      if (this.cpuRemaining() <= 0) this.chargeCpu(0);
    }
    // §2: latched tasks are re-checked on every state change.
    for (const l of [...this.latched.values()]) if (!this.waitingFor(l.reg).length) this.evaluate(l.reg, l.trigger, l.details);
    for (const trigger of impliedTriggers(before, after)) this.fire(trigger);
  }

  // ---- app lifecycle -------------------------------------------------------------------------

  lifecycle(action: 'launch' | 'suspend' | 'resume' | 'shutdown'): void {
    switch (action) {
      case 'launch': {
        if (this.appState !== 'notRunning') {
          this.log(`launch ignored: the app is ${this.appState}`);
          return;
        }
        this.appState = 'running';
        this.trace('lifecycle', undefined, { state: 'running', action });
        this.replayStaticRegistrations();
        this.appCodeRunner?.(this);
        this.flushDeliveries();
        return;
      }
      case 'suspend':
        if (this.appState !== 'running') return this.log(`suspend ignored: the app is ${this.appState}`);
        this.appState = 'suspended';
        this.trace('lifecycle', undefined, { state: 'suspended', action });
        return;
      case 'resume':
        if (this.appState !== 'suspended') return this.log(`resume ignored: the app is ${this.appState}`);
        this.appState = 'running';
        this.trace('lifecycle', undefined, { state: 'running', action });
        this.flushDeliveries();
        return;
      case 'shutdown':
        if (this.appState === 'notRunning') return this.log('shutdown ignored: the app is not running');
        this.appState = 'notRunning';
        this.appListeners.clear();
        this.trace('lifecycle', undefined, { state: 'notRunning', action });
        return;
    }
  }

  /** Replays the registration code the engine found, with its semantics (§8 #9: no AllTasks check duplicates). */
  private replayStaticRegistrations(): void {
    for (const r of this.app?.registrations ?? []) {
      if (r.allTasksChecked) {
        const pool = r.spec.group ? this.registry.all().filter((x) => x.group === r.spec.group) : this.allTasks();
        const existing = pool.find((x) => x.name === r.spec.name);
        if (existing) {
          this.log(`kept the existing registration (the code checks AllTasks first, ${r.where})`, existing);
          continue;
        }
      }
      this.register(r.spec, 'code');
    }
  }

  /** App code listens to a registration's Progress/Completed (appCode.ts). */
  listen(taskId: string, event: string, fn: (a: unknown) => void): void {
    const list = this.appListeners.get(taskId) ?? [];
    list.push({ event, fn });
    this.appListeners.set(taskId, list);
  }

  private deliver(d: Delivery): void {
    if (this.appState !== 'running') {
      this.deliveries.push(d);
      return;
    }
    this.handOver(d, false);
  }

  private handOver(d: Delivery, queued: boolean): void {
    // Fields set one by one, in the order the trace has always had: this runs for every completed run.
    const fields: Record<string, unknown> = { instanceId: d.instanceId, what: d.what };
    if (d.what === 'Progress') fields.progress = d.progress;
    else fields.result = d.error === undefined ? 'ok' : `CheckResult throws: ${d.error}`;
    if (queued) fields.queued = true;
    this.trace('delivered', { name: d.task, taskId: d.taskId }, fields);
    const event = d.what === 'Progress' ? 'progress' : 'completed';
    for (const l of this.appListeners.get(d.taskId) ?? []) {
      if (l.event !== event) continue;
      const args = d.what === 'Progress'
        ? { instanceId: d.instanceId, progress: d.progress }
        : { instanceId: d.instanceId, checkResult: () => { if (d.error !== undefined) throw new Error(d.error); } };
      try {
        l.fn(args);
      } catch (error) {
        this.log(`the app's ${event} handler threw: ${(error as Error).message}`);
      }
    }
  }

  private flushDeliveries(): void {
    const queue = this.deliveries.splice(0);
    for (const d of queue) this.handOver(d, true);
  }

  pendingDeliveries(): number {
    return this.deliveries.length;
  }

  /** Stop every runner (workers, external processes). The store stays. */
  async close(): Promise<void> {
    this.flush();
    if (this.cpuPollTimer) clearTimeout(this.cpuPollTimer);
    this.cpuPollTimer = undefined;
    for (const inst of this.instances.values()) {
      if (inst.realDeadline) clearTimeout(inst.realDeadline);
      if (inst.graceTimer) clearTimeout(inst.graceTimer);
    }
    await Promise.all([this.pool?.close(), this.external?.close()]);
    this.pool = undefined;
    this.external = undefined;
  }

  /** Per registration: whether Visual Studio's Lifecycle Events could fire it (§6). */
  describe(reg: Registration): Record<string, unknown> {
    return {
      name: reg.name,
      taskId: reg.taskId,
      entryPoint: reg.entryPoint,
      trigger: describeTrigger(reg.trigger),
      conditions: reg.conditions,
      cancelOnConditionLoss: reg.cancelOnConditionLoss,
      group: reg.group,
      spent: !!reg.spent,
      nextFireAt: reg.nextFireAt,
      latched: this.latched.has(reg.taskId) ? this.waitingFor(reg) : undefined,
      running: [...this.instances.values()].filter((i) => i.reg === reg).map((i) => i.instanceId),
      visualStudioCanFire: visualStudioCanFire(reg.trigger.type, reg.trigger.systemTriggerType) && !reg.spent,
    };
  }
}

export function describeTrigger(t: TriggerSpec): string {
  if (t.type === 'SystemTrigger') return `SystemTrigger(${t.systemTriggerType}${t.oneShot ? ', oneShot' : ''})`;
  if (t.freshness !== undefined) return `${t.type}(${t.freshness}${t.oneShot ? ', oneShot' : ''})`;
  return t.type;
}

export function conditionName(name: string): string | undefined {
  return systemConditionType(name)?.name;
}

export { triggerKey, pascal };
