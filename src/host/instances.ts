// Task instances: start (modeled C#/C++ instance, sandboxed JS run, external runner), their virtual
// timers, the wall-clock limit on the virtual clock and the real-time budget of code that does not
// yield, cancellation with a grace period, and the end of a run (§5, §9). What a run reports
// reaches the app through AppLifecycle; the CPU quota (§4) suspends and resumes instances.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CancellationReason } from '../core/model/catalog';
import type { ClockTimer } from './clock';
import type { HostCore } from './core';
import type { CpuQuota } from './cpuQuota';
import type { AppLifecycle, Delivery } from './lifecycle';
import { limitFor } from './policy';
import type { RunMessage } from './protocol';
import { PROTOCOL_VERSION } from './protocol';
import type { InstanceEvents, Runtime, TaskHandle } from './runners/runtime';
import { transpileTask } from './transpile';
import type { Registration } from './types';

export interface Instance {
  instanceId: string;
  reg: Registration;
  trigger: string;
  startedAt: number;
  kind: 'js' | 'external' | 'modeled';
  canceled?: CancellationReason;
  progress: number;
  deferrals: number;
  virtualDeadline?: ClockTimer;
  graceTimer?: ClockTimer;
  realGrace?: NodeJS.Timeout;
  idleTimer?: ClockTimer;
  handle?: TaskHandle;
  /** Virtual timers the code has set (setTimeout/setInterval in the sandbox); made on the first one. */
  timers?: Map<number, ClockTimer>;
  /** A WebUI-style task (a script that closes, no exported run). */
  webui?: boolean;
  /** JS: Fire → Run start, for the benchmark. */
  firedAtReal: number;
  /** CPU quota (§4): suspended until the quota's next refresh; how many times so far (SuspendedCount). */
  suspended?: boolean;
  suspendedCount: number;
  /** Wall-clock limit left when suspended (virtual ms), re-armed on resume. */
  leftVirtual?: number;
  /** Modeled: CPU ms still to charge, and what happens once it is charged. */
  cpuOwedMs?: number;
  afterCpu?: () => void;
  /** JS/external: the run not yet handed to the runner (the quota was used up at start). */
  pendingRun?: () => void;
  /** JS: CPU (real ms) of the run already charged to the quota. */
  cpuCharged?: number;
}

export class Instances {
  readonly live = new Map<string, Instance>();
  private readonly codeCache = new Map<string, { mtime: number; code: string }>();
  quota!: CpuQuota;
  lifecycle!: AppLifecycle;

  constructor(private readonly core: HostCore, private readonly runtime: () => Runtime) {}

  all(): Instance[] {
    return [...this.live.values()];
  }

  jsPath(reg: Registration): string | undefined {
    const ep = reg.entryPoint;
    if (!ep || !/\.(c|m)?(j|t)sx?$/i.test(ep)) return undefined;
    return path.isAbsolute(ep) ? ep : path.resolve(this.appFolder(), ep.replace(/\\/g, '/'));
  }

  appFolder(): string {
    return this.core.app?.folder ?? this.core.options.appFolder ?? process.cwd();
  }

  isRunning(reg: Registration): boolean {
    for (const i of this.live.values()) if (i.reg.taskId === reg.taskId) return true;
    return false;
  }

  start(reg: Registration, trigger: string, details: unknown): void {
    const core = this.core;
    const jsFile = this.jsPath(reg);
    const runner = core.options.runner;
    const firedAtReal = jsFile || runner ? performance.now() : 0;
    const kind: Instance['kind'] = jsFile ? (runner ? 'external' : 'js') : runner && reg.entryPoint ? 'external' : 'modeled';
    const inst: Instance = { instanceId: core.newId(), reg, trigger, startedAt: core.clock.now(), kind, firedAtReal, suspendedCount: 0, progress: 0, deferrals: 0 };
    this.live.set(inst.instanceId, inst);
    core.trace('started', reg, { instanceId: inst.instanceId, trigger, runner: kind });
    core.save();
    const limit = limitFor(reg, core.limits);
    if (kind === 'modeled') {
      this.runModeled(inst);
      if (this.live.get(inst.instanceId) === inst) {
        if (inst.suspended) inst.leftVirtual = limit;
        else this.armDeadline(inst, limit);
      }
      return;
    }
    const post = () => {
      inst.pendingRun = undefined;
      this.armDeadline(inst, limit);
      this.postRun(inst, kind, jsFile, details, limit);
    };
    if (this.quota.applies(inst) && this.quota.remaining() <= 0) {
      inst.pendingRun = post;
      this.quota.suspend(inst);
      return;
    }
    post();
  }

  private armDeadline(inst: Instance, virtualMs: number): void {
    // The wall-clock limit (§4, §9) runs on the virtual clock: deterministic, and it waits for code.
    inst.virtualDeadline = this.core.clock.schedule(this.core.clock.now() + virtualMs, () => this.cancel(inst, 'ExecutionTimeExceeded'));
  }

  private postRun(inst: Instance, kind: 'js' | 'external', jsFile: string | undefined, details: unknown, limit: number): void {
    const core = this.core;
    const { reg, trigger } = inst;
    const msg: RunMessage = {
      op: 'run',
      protocol: PROTOCOL_VERSION,
      instanceId: inst.instanceId,
      entryPoint: jsFile ?? reg.entryPoint ?? '',
      trigger,
      triggerDetails: details ?? null,
      task: { taskId: reg.taskId, name: reg.name, group: reg.group },
      settings: { ...core.localSettings },
      allTasks: [...core.registry.allTasks()].map((r) => ({ taskId: r.taskId, name: r.name })),
      backgroundWorkCost: core.state.backgroundWorkCost,
      suspendedCount: inst.suspendedCount,
    };
    if (kind === 'js' && jsFile) {
      const problem = this.loadProblem(jsFile);
      if (problem) {
        // §3.5: a StartPage that names no file fails to activate on Windows; the host does not pretend.
        this.end(inst, { error: problem });
        return;
      }
      try {
        msg.code = this.codeFor(jsFile);
      } catch (error) {
        this.end(inst, { error: `could not load ${jsFile}: ${(error as Error).message}` });
        return;
      }
    }
    inst.cpuCharged = 0;
    try {
      inst.handle = this.runtime().startTask(msg, this.eventsFor(inst), kind, limit * core.timeScale);
    } catch (error) {
      // A runner that cannot be started (its script missing, spawn refused) fails this run, not the host.
      this.end(inst, { error: `the ${kind === 'js' ? 'sandbox' : 'external'} runner could not start: ${(error as Error).message}` });
    }
  }

  private loadProblem(file: string): string | undefined {
    const rel = path.relative(this.appFolder(), file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return `the background task with entry point ${this.relName(file)} failed to activate: the file is outside the app folder (the host runs only the app's own code)`;
    if (!fs.existsSync(file)) return `the background task with entry point ${this.relName(file)} failed to activate: no such file in the app (§3.5, §8 #4)`;
    return undefined;
  }

  private relName(file: string): string {
    return path.relative(this.appFolder(), file).replace(/\\/g, '/') || file;
  }

  private codeFor(file: string): string {
    const mtime = fs.statSync(file).mtimeMs;
    const cached = this.codeCache.get(file);
    if (cached && cached.mtime === mtime) return cached.code;
    const text = fs.readFileSync(file, 'utf8');
    const code = /\.[cm]?tsx?$/i.test(file) ? transpileTask(text, file) : text;
    this.codeCache.set(file, { mtime, code });
    return code;
  }

  private eventsFor(inst: Instance): InstanceEvents {
    const core = this.core;
    const live = () => this.live.get(inst.instanceId) === inst;
    return {
      begin: () => core.emit('run-begin', { instanceId: inst.instanceId, latencyMs: performance.now() - inst.firedAtReal }),
      progress: (value) => {
        if (!live()) return;
        inst.progress = value;
        core.trace('progress', inst.reg, { instanceId: inst.instanceId, progress: value });
        this.lifecycle.deliver({ what: 'Progress', taskId: inst.reg.taskId, task: inst.reg.name, instanceId: inst.instanceId, progress: value });
      },
      log: (text) => live() && core.log(text, inst.reg, { instanceId: inst.instanceId }),
      settings: (key, value, deleted) => {
        if (deleted) delete core.localSettings[key];
        else core.localSettings[key] = value;
        core.save();
      },
      deferral: () => void inst.deferrals++,
      deferralComplete: () => void inst.deferrals--,
      setTimer: (id, delay, repeat) => {
        if (!live()) return;
        this.clearIdle(inst);
        const timers = (inst.timers ??= new Map());
        const fire = () => {
          if (!live()) return;
          if (repeat) timers.set(id, core.clock.schedule(core.clock.now() + Math.max(1, delay), fire));
          else timers.delete(id);
          inst.handle?.fireTimer(id);
        };
        core.clock.cancel(timers.get(id));
        timers.set(id, core.clock.schedule(core.clock.now() + delay, fire));
      },
      clearTimer: (id) => {
        core.clock.cancel(inst.timers?.get(id));
        inst.timers?.delete(id);
      },
      webui: () => void (inst.webui = true),
      done: (result) => {
        if (!live()) return;
        if (result.error !== undefined) this.end(inst, { error: result.error });
        else this.end(inst, { succeeded: result.succeeded });
      },
      died: (error) => live() && this.end(inst, { error, terminated: true }),
      turnEnded: (cpuMs) => {
        if (!live()) return;
        if (cpuMs !== undefined && this.quota.applies(inst)) {
          const used = Math.max(0, cpuMs - (inst.cpuCharged ?? 0));
          inst.cpuCharged = cpuMs;
          if (used > 0) this.quota.charge(used / core.timeScale);
        }
        this.watchIdle(inst);
      },
      overBudget: () => {
        if (!live()) return;
        // Code that does not yield cannot receive Canceled: once canceled, it gets the grace period in real time.
        if (inst.canceled) return inst.handle?.terminate('terminated: the code kept running after Canceled');
        this.cancel(inst, 'ExecutionTimeExceeded', `the code ran ${Math.round(limitFor(inst.reg, core.limits) * core.timeScale)} ms of real time without yielding`);
        inst.realGrace = setTimeout(() => live() && inst.handle?.terminate('terminated: the code did not finish after cancellation'), core.limits.cancelGraceMs * core.timeScale);
      },
    };
  }

  /** §5: a WebUI task with nothing left to run that has not called close() is an idle task (Abort). */
  private watchIdle(inst: Instance): void {
    if (!inst.webui || inst.timers?.size || inst.suspended || inst.canceled || inst.idleTimer) return;
    inst.idleTimer = this.core.clock.schedule(this.core.clock.now() + this.core.limits.idleMs, () => {
      inst.idleTimer = undefined;
      if (this.live.get(inst.instanceId) === inst && !inst.timers?.size) this.cancel(inst, 'Abort', 'idle: the JS task never called close() (§5)');
    });
  }

  private clearIdle(inst: Instance): void {
    this.core.clock.cancel(inst.idleTimer);
    inst.idleTimer = undefined;
  }

  /** C#/C++ tasks have no runtime here: an instance modeled on the engine's facts (no code runs). */
  private runModeled(inst: Instance): void {
    const core = this.core;
    const reg = inst.reg;
    const ep = reg.entryPoint;
    const app = core.app;
    let cls = ep ? app?.classes.get(ep) : undefined;
    // §5 App SDK: a COM task registered by CLSID; when the facts lack the CLSID, the app's only task class is it.
    if (!ep && core.profile === 'appsdk' && app?.classes.size === 1) cls = [...app.classes.values()][0];
    const at = { instanceId: inst.instanceId };
    if (!ep && !cls) {
      const has = app?.hasOnBackgroundActivated;
      core.log(`modeled in-process task: no code ran${has ? ' (OnBackgroundActivated would be called)' : '; the app has no OnBackgroundActivated override'}`, reg, at);
      if (has === false) this.end(inst, { error: 'in-process task but the app does not override OnBackgroundActivated (§3.5)' });
      else this.quota.modeledRan(inst, () => this.end(inst, {}));
      return;
    }
    if (!cls) {
      const known = app && app.classes.size > 0;
      core.log(`modeled instance of ${ep}: no code ran${known ? '; no class with this full name implements IBackgroundTask in the workspace' : ''}`, reg, at);
      if (known) this.end(inst, { error: `the background task with entry point ${ep} and name ${reg.name} failed to activate: class not found (§3.5, §8 #4)` });
      else this.quota.modeledRan(inst, () => this.end(inst, {}));
      return;
    }
    const run = cls.run;
    const d = run?.deferrals ?? [];
    const parts = [`${d.length} deferral(s)`, cls.handlesCanceled ? 'handles Canceled' : 'no Canceled handler', run?.asyncWork ? 'async work' : 'no async work'];
    core.log(`modeled instance of ${cls.fullName} (${cls.language}): no code ran; from the facts: ${parts.join(', ')}`, reg, at);
    if (!run) {
      this.end(inst, { error: `${cls.fullName} has no Run method (§8)` });
      return;
    }
    if (d.some((x) => !x.completed)) {
      // §8 #8: a deferral never completed holds the task until its time limit.
      core.log('modeled: a deferral is never completed, so the instance runs until its time limit (§8 #8)', reg, at);
      this.quota.modeledRan(inst, () => undefined);
      return;
    }
    if (run.asyncWork && !d.length) core.log('modeled: Run starts async work without a deferral; the platform considers the task done when Run returns and the work is cut off (§5, §8 #7)', reg, at);
    this.quota.modeledRan(inst, () => this.end(inst, {}));
  }

  cancel(inst: Instance, reason: CancellationReason, why?: string): void {
    const core = this.core;
    if (inst.canceled || this.live.get(inst.instanceId) !== inst) return;
    // A suspended instance (CPU quota) runs again to receive Canceled; one never handed to its runner just ends.
    if (inst.suspended) {
      inst.suspended = false;
      inst.afterCpu = undefined;
      inst.cpuOwedMs = undefined;
      if (inst.pendingRun) {
        inst.pendingRun = undefined;
        inst.canceled = reason;
        core.clock.cancel(inst.virtualDeadline);
        core.trace('canceled', inst.reg, { instanceId: inst.instanceId, reason, ...(why ? { why } : {}) });
        this.end(inst, {});
        return;
      }
      this.quota.resume(inst, false);
      if (this.live.get(inst.instanceId) !== inst) return;
    }
    inst.canceled = reason;
    core.clock.cancel(inst.virtualDeadline);
    this.clearIdle(inst);
    core.trace('canceled', inst.reg, { instanceId: inst.instanceId, reason, ...(why ? { why } : {}) });
    if (inst.kind === 'modeled') {
      const cls = inst.reg.entryPoint ? core.app?.classes.get(inst.reg.entryPoint) : undefined;
      if (cls && !cls.handlesCanceled) core.log('modeled: the task has no Canceled handler; the host ends it (§8 #28)', inst.reg, { instanceId: inst.instanceId });
      this.end(inst, {});
      return;
    }
    inst.handle?.cancel(reason);
    // The code may finish after Canceled; past the grace period (virtual) its process is terminated.
    inst.graceTimer = core.clock.schedule(core.clock.now() + core.limits.cancelGraceMs, () => {
      if (this.live.get(inst.instanceId) === inst) inst.handle?.terminate('terminated: the code did not finish after cancellation');
    });
  }

  end(inst: Instance, result: { error?: string; succeeded?: boolean; terminated?: boolean }): void {
    const core = this.core;
    if (this.live.get(inst.instanceId) !== inst) return;
    this.live.delete(inst.instanceId);
    inst.suspended = false;
    core.clock.cancel(inst.virtualDeadline);
    if (inst.graceTimer) core.clock.cancel(inst.graceTimer);
    if (inst.idleTimer) this.clearIdle(inst);
    if (inst.realGrace) clearTimeout(inst.realGrace);
    if (inst.timers) {
      for (const t of inst.timers.values()) core.clock.cancel(t);
      inst.timers.clear();
    }
    const base = { instanceId: inst.instanceId };
    let error: string | undefined;
    if (inst.canceled) {
      if (result.terminated) core.log(`runner terminated: ${result.error}`, inst.reg, base);
      // §5: succeeded = false makes CheckResult throw, canceled or not; so does an error the code threw.
      else if (result.error !== undefined) error = result.error;
      else if (result.succeeded === false) error = `the task reported succeeded = false (canceled: ${inst.canceled})`;
    } else if (result.error !== undefined) {
      error = result.error;
      core.trace('failed', inst.reg, { ...base, error });
    } else if (result.succeeded === false) {
      // §5: WebUIBackgroundTaskInstance.succeeded = false makes CheckResult throw.
      error = 'the task reported succeeded = false';
      core.trace('completed', inst.reg, { ...base, succeeded: false });
    } else core.trace('completed', inst.reg, base);
    core.save();
    const completed: Delivery = { what: 'Completed', taskId: inst.reg.taskId, task: inst.reg.name, instanceId: inst.instanceId };
    if (error !== undefined) completed.error = error;
    this.lifecycle.deliver(completed);
  }

  /** The host stops: every instance still running is reported as such (no result, nothing delivered). */
  closeAll(): void {
    const core = this.core;
    for (const inst of this.all()) {
      this.live.delete(inst.instanceId);
      core.clock.cancel(inst.virtualDeadline);
      core.clock.cancel(inst.graceTimer);
      this.clearIdle(inst);
      if (inst.realGrace) clearTimeout(inst.realGrace);
      core.log(`still running when the host stopped (${inst.canceled ? `canceled: ${inst.canceled}, ` : ''}progress ${inst.progress}): no result; the host ended, not the task`, inst.reg, { instanceId: inst.instanceId });
    }
  }

  /** Cancel every running instance (Ctrl-C at the prompt, a debug session's stop). */
  cancelAll(reason: CancellationReason, why: string): number {
    const all = this.all().filter((i) => !i.canceled);
    for (const inst of all) this.cancel(inst, reason, why);
    return all.length;
  }
}

