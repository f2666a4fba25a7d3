// Where task and app code runs: sandboxed runner processes (one per running JS instance, reused
// when it ends, with a warm spare), the app's own sandbox process for WinJS start scripts, and an
// external runner for other runtimes. Every message goes through Turns, so the host can wait for
// the code to be quiet before virtual time moves.
import { Turns } from './turns';
import { RunnerProcess, runnerNode, sandboxFlags, sandboxScript, type RunnerMessage } from './runnerProcess';
import { PROTOCOL_VERSION, type HostToRunner, type RunMessage } from '../protocol';

export interface InstanceEvents {
  begin(): void;
  progress(value: number): void;
  log(text: string): void;
  settings(key: string, value: unknown, deleted: boolean): void;
  deferral(id: number): void;
  deferralComplete(id: number): void;
  done(result: { error?: string; succeeded?: boolean; canceled?: boolean }): void;
  /** The runner died under the task (out of memory, killed, could not start): no Canceled reached the code. */
  died(error: string): void;
  setTimer(id: number, delay: number, repeat: boolean): void;
  clearTimer(id: number): void;
  /** The task is a WebUI script (no exported run): it ends with close() (§5). */
  webui(): void;
  /** A turn of the instance's code ended: its CPU so far (real ms) and the real ms of the turn. */
  turnEnded(cpuMs: number | undefined, realMs: number): void;
  /** The instance's code has used up its real-time budget in one turn (a loop that does not yield). */
  overBudget(): void;
}

export interface TaskHandle {
  cancel(reason: string): void;
  /** Stop the code now (after the cancel grace period): its process is killed. */
  terminate(why: string): void;
  fireTimer(id: number): void;
  /** CPU quota (§4): hold the instance's messages (its code stays where it is) until resume. */
  suspend(): void;
  resume(suspendedCount: number): void;
  /** Real ms of busy time the code may still use (counted only while it runs). */
  budgetLeftMs(): number;
}

export interface AppEvents {
  call(method: string, args: unknown[]): unknown;
  log(text: string, level?: string): void;
  setTimer(id: number, delay: number, repeat: boolean): void;
  clearTimer(id: number): void;
  died(error: string): void;
}

export interface RuntimeOptions {
  appFolder: string;
  memoryMb: number;
  /** Real ms an app turn may take (a start script that spins) before its process is killed. */
  appTurnMs: number;
  /** Real ms to wait for an external runner that does not report quiet. */
  externalTurnMs: number;
  inspect: boolean;
  runner?: string[];
  epoch: number;
  now(): number;
  /** A host-level notice (a runner's stderr, a sandbox note). */
  notice(text: string, level?: 'error' | 'warning'): void;
  inspector?(info: { pid: number; port: number; url: string }, exited: boolean): void;
}

/** One process and the instance it runs (sandbox: at most one at a time). */
interface Slot {
  proc: RunnerProcess;
  routes: Map<string, InstanceRoute>;
  lastCpu?: number;
  /** Why the process is being killed (out of memory, a task past its grace): reported to its instance. */
  oom?: string;
  /** The app's process is being stopped on purpose (shutdown, relaunch). */
  stopping?: boolean;
  appTimer?: NodeJS.Timeout;
}

interface InstanceRoute {
  events: InstanceEvents;
  held?: HostToRunner[];
  suspended: boolean;
  budgetMs: number;
  startCpu?: number;
  budgetTimer?: NodeJS.Timeout;
  turnStartedAt?: number;
  finished: boolean;
}

export class Runtime {
  readonly turns: Turns;
  private readonly spares: Slot[] = [];
  private readonly idleSlots: Slot[] = [];
  private readonly slots = new Set<Slot>();
  private external?: Slot;
  private appSlot?: Slot;
  private appEvents?: AppEvents;
  private closed = false;
  private sandboxNoted = false;
  private keepSpare = false;

  constructor(private readonly o: RuntimeOptions) {
    this.turns = new Turns(o.now);
  }

  // ---- processes ------------------------------------------------------------------------------

  private spawnSandbox(): Slot {
    const script = sandboxScript();
    const node = runnerNode();
    const { args, enforced } = sandboxFlags(this.o.appFolder, script, this.o.memoryMb, this.o.inspect, node);
    if (!enforced && !this.sandboxNoted) {
      this.sandboxNoted = true;
      this.o.notice(this.o.inspect
        ? 'debugging: this Node turns its inspector off under the permission model, so in this session task code is confined by its vm context only (no require of built-ins, no process)'
        : 'this Node has no permission model: task code is confined by its vm context only', 'warning');
    }
    return this.spawn('sandbox', node.command, args, enforced, node.env);
  }

  private spawn(kind: 'sandbox' | 'external', command: string, args: string[], requireSandbox: boolean, sandboxEnv: NodeJS.ProcessEnv = {}): Slot {
    const slot: Slot = { proc: undefined as unknown as RunnerProcess, routes: new Map() };
    // The sandbox sees no environment (tokens, paths); an external runner is the user's own program.
    const env = kind === 'sandbox' ? sandboxEnv : process.env;
    slot.proc = new RunnerProcess(
      {
        kind,
        command,
        args,
        cwd: this.o.appFolder,
        env,
        requireSandbox,
        hello: { op: 'hello', protocol: PROTOCOL_VERSION, appFolder: this.o.appFolder, memoryMb: kind === 'sandbox' ? this.o.memoryMb : undefined, epoch: this.o.epoch },
      },
      {
        message: (m) => this.onMessage(slot, m),
        stderr: (text) => this.o.notice(`${kind === 'external' ? 'external runner' : 'runner'} stderr: ${text}`),
        exit: (why) => this.onExit(slot, why),
        inspector: (info) => this.o.inspector?.(info, false),
      },
    );
    this.slots.add(slot);
    return slot;
  }

  private onExit(slot: Slot, why: string): void {
    this.slots.delete(slot);
    for (const list of [this.spares, this.idleSlots]) {
      const i = list.indexOf(slot);
      if (i >= 0) list.splice(i, 1);
    }
    if (this.external === slot) this.external = undefined;
    if (this.o.inspect && slot.proc.pid) this.o.inspector?.({ pid: slot.proc.pid, port: 0, url: '' }, true);
    this.turns.gone(slot.proc);
    for (const [id, route] of slot.routes) {
      slot.routes.delete(id);
      if (route.budgetTimer) clearTimeout(route.budgetTimer);
      if (!route.finished) {
        route.finished = true;
        route.events.died(slot.oom ?? why);
      }
    }
    if (this.appSlot === slot) {
      this.appSlot = undefined;
      if (!this.closed && !slot.stopping) this.appEvents?.died(slot.oom ?? why);
    }
  }

  /** Keep one booted spare so a fire does not pay for a process start. */
  warm(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.keepSpare = true;
    if (!this.spares.length) this.spares.push(this.spawnSandbox());
    return this.spares[0].proc.ready;
  }

  private takeSandbox(): Slot {
    const slot = this.idleSlots.pop() ?? this.spares.shift() ?? this.spawnSandbox();
    // Once warmed (the prompt, a debug session), a spare is kept; it starts after the current turn so
    // it does not compete with the task for the CPU. A scenario reuses finished runners instead.
    if (this.keepSpare && !this.spares.length && !this.closed) setImmediate(() => {
      if (!this.closed && !this.spares.length) this.spares.push(this.spawnSandbox());
    });
    return slot;
  }

  private release(slot: Slot): void {
    if (slot.routes.size || slot.proc.exited || this.closed || slot === this.appSlot || slot === this.external) return;
    if (this.idleSlots.length < 2) this.idleSlots.push(slot);
    else void slot.proc.close();
  }

  // ---- messages -------------------------------------------------------------------------------

  private onMessage(slot: Slot, m: RunnerMessage): void {
    if (m.op === 'quiet') {
      if (typeof m.cpuMs === 'number') slot.lastCpu = m.cpuMs;
      this.turns.quiet(slot.proc);
      return;
    }
    if (m.op === 'oom') {
      slot.oom = `terminated: out of memory (resident memory ${num(m.rss)} MB over the ${num(m.limitMb)} MB limit)`;
      return;
    }
    if (m.op === 'call' && slot === this.appSlot) {
      let reply: HostToRunner;
      try {
        reply = { op: 'reply', seq: num(m.seq), value: this.appEvents!.call(text(m.method), Array.isArray(m.args) ? m.args : []) ?? null };
      } catch (e) {
        reply = { op: 'reply', seq: num(m.seq), error: (e as Error).message };
      }
      slot.proc.send(reply); // inside the app's turn: straight to it
      return;
    }
    const id = text(m.instanceId);
    if (id === 'app' && slot === this.appSlot) {
      const a = this.appEvents!;
      switch (m.op) {
        case 'log': a.log(text(m.text), typeof m.level === 'string' ? m.level : undefined); break;
        case 'set-timer': a.setTimer(num(m.id), Math.max(0, num(m.delay) || 0), !!m.repeat); break;
        case 'clear-timer': a.clearTimer(num(m.id)); break;
      }
      return;
    }
    const route = slot.routes.get(id);
    if (!route) {
      if (m.op === 'log' && typeof m.text === 'string') this.o.notice(`runner: ${m.text}`, m.level === 'error' ? 'error' : undefined);
      return;
    }
    if (m.op === 'done' && typeof m.cpuMs === 'number') {
      slot.lastCpu = m.cpuMs;
      // The run's last CPU is charged (CPU quota, §4) while its instance is still live.
      if (route.startCpu !== undefined) route.events.turnEnded(m.cpuMs - route.startCpu, 0);
    }
    dispatchRunnerMessage(m, route.events);
    if (m.op === 'done') {
      route.finished = true;
      slot.routes.delete(id);
      this.release(slot);
    }
  }

  private sendToInstance(slot: Slot, instanceId: string, msg: HostToRunner): void {
    const route = slot.routes.get(instanceId);
    if (route?.suspended) {
      (route.held ??= []).push(msg);
      return;
    }
    const external = slot === this.external;
    const r = slot.routes.get(instanceId);
    let ended = false;
    this.turns.send(slot.proc, msg, {
      boundMs: external ? this.o.externalTurnMs : undefined,
      // The budget counts the code's own time: it starts once the process has answered the handshake.
      onStart: () => void slot.proc.ready.then(() => {
        if (ended || !r || r.finished || external) return;
        r.startCpu ??= slot.lastCpu ?? slot.proc.helloCpuMs ?? 0;
        r.turnStartedAt = performance.now();
        r.budgetTimer = setTimeout(() => {
          r.budgetTimer = undefined;
          if (!r.finished) r.events.overBudget();
        }, Math.max(0, r.budgetMs));
      }),
      onEnd: (realMs) => {
        ended = true;
        if (!r) return;
        // The route may be gone already ('done' came in this turn): its timer is cleared all the same.
        if (r.budgetTimer) clearTimeout(r.budgetTimer);
        r.budgetTimer = undefined;
        if (r.turnStartedAt !== undefined) r.budgetMs -= performance.now() - r.turnStartedAt;
        r.turnStartedAt = undefined;
        if (r.finished) return;
        r.events.turnEnded(slot.lastCpu !== undefined && r.startCpu !== undefined ? slot.lastCpu - r.startCpu : undefined, realMs);
      },
    });
  }

  // ---- tasks ----------------------------------------------------------------------------------

  startTask(msg: RunMessage, events: InstanceEvents, kind: 'js' | 'external', budgetMs: number): TaskHandle {
    let slot: Slot;
    if (kind === 'external') slot = this.external ??= this.spawn('external', this.o.runner![0], this.o.runner!.slice(1), false);
    else slot = this.takeSandbox();
    const route: InstanceRoute = { events, suspended: false, budgetMs, finished: false };
    slot.routes.set(msg.instanceId, route);
    const id = msg.instanceId;
    if (slot.proc.failed || slot.proc.exited) {
      const why = slot.proc.failed ?? 'the runner is not running';
      slot.routes.delete(id);
      route.finished = true;
      setImmediate(() => events.died(why));
    } else this.sendToInstance(slot, id, kind === 'external' ? externalRun(msg) : msg);
    return {
      cancel: (reason) => {
        if (!route.finished) this.sendToInstance(slot, id, { op: 'cancel', instanceId: id, reason });
      },
      terminate: (why) => {
        if (route.finished) return;
        if (slot === this.external) {
          route.finished = true;
          slot.routes.delete(id);
          events.died(why);
          this.turns.quiet(slot.proc);
          return;
        }
        slot.oom ??= why;
        slot.proc.kill();
      },
      fireTimer: (timerId) => {
        if (!route.finished) this.sendToInstance(slot, id, { op: 'timer', instanceId: id, id: timerId });
      },
      suspend: () => {
        route.suspended = true;
      },
      resume: (suspendedCount) => {
        if (route.finished) return;
        route.suspended = false;
        this.sendToInstance(slot, id, { op: 'resume', instanceId: id, suspendedCount });
        for (const held of route.held?.splice(0) ?? []) this.sendToInstance(slot, id, held);
      },
      budgetLeftMs: () => route.budgetMs - (route.turnStartedAt !== undefined ? performance.now() - route.turnStartedAt : 0),
    };
  }

  // ---- the app's code -------------------------------------------------------------------------

  startApp(scripts: Array<{ file: string; code: string }>, events: AppEvents): void {
    this.stopApp();
    this.appEvents = events;
    const slot = this.spawnSandbox();
    this.appSlot = slot;
    this.appTurn({ op: 'app-start', scripts });
  }

  /** Hand the app an event (Completed/Progress) or fire one of its timers. */
  appSend(msg: HostToRunner): void {
    if (this.appSlot) this.appTurn(msg);
  }

  hasApp(): boolean {
    return !!this.appSlot;
  }

  private appTurn(msg: HostToRunner): void {
    const slot = this.appSlot!;
    let ended = false;
    this.turns.send(slot.proc, msg, {
      onStart: () => void slot.proc.ready.then(() => {
        if (ended || this.appSlot !== slot) return;
        slot.appTimer = setTimeout(() => {
          if (this.appSlot !== slot) return;
          this.appEvents?.log(`the app's code ran for ${this.o.appTurnMs} ms without returning; its process was terminated`, 'error');
          slot.stopping = true;
          this.appSlot = undefined;
          slot.proc.kill();
        }, this.o.appTurnMs);
      }),
      onEnd: () => {
        ended = true;
        clearTimeout(slot.appTimer);
      },
    });
  }

  stopApp(): void {
    const slot = this.appSlot;
    if (!slot) return;
    slot.stopping = true;
    this.appSlot = undefined;
    this.turns.gone(slot.proc);
    slot.proc.kill();
  }

  settle(): Promise<void> {
    return this.turns.settle();
  }

  /** Processes alive now (tests check that close leaves none). */
  pids(): number[] {
    return [...this.slots].map((s) => s.proc.pid).filter((p): p is number => p !== undefined && p > 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.appSlot = undefined;
    await Promise.all([...this.slots].map((s) => s.proc.close(200)));
  }
}

/** The run message an external runner gets: what any runtime can use (it loads the code itself). */
function externalRun(msg: RunMessage): RunMessage {
  const { op, protocol, instanceId, entryPoint, trigger, triggerDetails, task, settings, allTasks, suspendedCount } = msg;
  return { op, protocol, instanceId, entryPoint, trigger, triggerDetails, task, settings, allTasks, suspendedCount };
}

/** Runner data is JSON from another process: numbers and text are read without calling its methods. */
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN);
const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : typeof v === 'object' ? safeJson(v) : String(v));

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

/** Dispatch one runner message to the events of its instance (unknown ops are ignored). */
export function dispatchRunnerMessage(m: RunnerMessage, events: InstanceEvents): void {
  switch (m.op) {
    case 'begin': events.begin(); break;
    case 'progress': events.progress(num(m.value)); break;
    case 'log': events.log(text(m.text)); break;
    case 'settings': if (typeof m.key === 'string') events.settings(m.key, m.value, !!m.deleted); break;
    case 'deferral': events.deferral(num(m.id)); break;
    case 'deferral-complete': events.deferralComplete(num(m.id)); break;
    case 'set-timer': events.setTimer(num(m.id), Math.max(0, num(m.delay) || 0), !!m.repeat); break;
    case 'clear-timer': events.clearTimer(num(m.id)); break;
    case 'webui': events.webui(); break;
    case 'done': events.done({ error: typeof m.error === 'string' ? m.error : undefined, succeeded: typeof m.succeeded === 'boolean' ? m.succeeded : undefined, canceled: m.canceled === true }); break;
  }
}
