// Runs JS/TS background task code against the emulated Windows API. Two transports, one protocol
// (DESIGN.md "External runner protocol", version 1): a worker thread of the host (parentPort), or an
// out-of-process runner speaking JSON lines on stdio (`node taskWorker.js --stdio`).
import * as fs from 'node:fs';
import * as vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { createWindows, type ApiBackend, type InstanceBackend } from './windowsApi';
import { PROTOCOL_VERSION, type RunMessage } from '../protocol';

type Out = Record<string, unknown> & { op: string };

const stdioMode = process.argv.includes('--stdio');
let send: (msg: Out) => void;
if (parentPort) send = (m) => parentPort!.postMessage(m);
else send = (m) => process.stdout.write(JSON.stringify(m) + '\n');

interface Running {
  id: string;
  done: boolean;
  dispatchCancel(reason: string): void;
  setSuspendedCount(n: number): void;
  idleTimer?: NodeJS.Timeout;
}
/** When the worker last came back from a CPU-quota suspension: the idle watchdog does not count the wait. */
let resumedAt = 0;
const running = new Map<string, Running>();
// A worker-thread runner prepares its context before the run arrives, to keep Fire → Run start short.
let warmContext: vm.Context | undefined = parentPort && !stdioMode ? vm.createContext({}) : undefined;

function finish(r: Running, extra: { error?: string; succeeded?: boolean }): void {
  if (r.done) return;
  r.done = true;
  if (r.idleTimer) clearInterval(r.idleTimer);
  running.delete(r.id);
  send({ op: 'done', instanceId: r.id, ...extra });
}

function loadCode(msg: RunMessage): string {
  if (msg.code !== undefined) return msg.code;
  const text = fs.readFileSync(msg.entryPoint, 'utf8');
  if (/\.[cm]?tsx?$/.test(msg.entryPoint)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    return esbuild.transformSync(text, { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: msg.entryPoint }).code;
  }
  return text;
}

function run(msg: RunMessage): void {
  const id = msg.instanceId;
  const r: Running = { id, done: false, dispatchCancel: () => undefined, setSuspendedCount: () => undefined };
  running.set(id, r);
  const settings = new Map(Object.entries(msg.settings ?? {}));
  const backend: ApiBackend = {
    allTasks: () => msg.allTasks ?? (msg.task ? [msg.task] : []),
    register: () => {
      throw new Error('BackgroundTaskBuilder.Register is not available inside a background task in this host');
    },
    unregister: () => send({ op: 'log', instanceId: id, text: 'Unregister from a task is ignored by the host' }),
    requestAccess: () => 'Unspecified',
    getAccessStatus: () => 'Unspecified',
    removeAccess: () => undefined,
    backgroundWorkCost: () => msg.backgroundWorkCost ?? 'Low',
    settingsGet: (k) => settings.get(k),
    settingsSet: (k, v) => {
      settings.set(k, v);
      send({ op: 'settings', instanceId: id, key: k, value: v });
    },
    settingsDelete: (k) => {
      settings.delete(k);
      send({ op: 'settings', instanceId: id, key: k, deleted: true });
    },
    settingsKeys: () => [...settings.keys()],
    // §3.1: ApplicationTrigger cannot be signalled from a background task.
    requestTrigger: () => 'DisabledByPolicy',
    log: (text) => send({ op: 'log', instanceId: id, text }),
  };
  let outstanding = 0;
  let runReturned = false;
  let moduleStyle = false;
  const inst: InstanceBackend = {
    instanceId: id,
    task: msg.task ?? { taskId: '', name: '' },
    triggerDetails: msg.triggerDetails ?? null,
    suspendedCount: msg.suspendedCount ?? 0,
    setProgress: (value) => send({ op: 'progress', instanceId: id, value }),
    deferral: (did) => {
      outstanding++;
      send({ op: 'deferral', instanceId: id, id: did });
    },
    deferralComplete: (did) => {
      outstanding--;
      send({ op: 'deferral-complete', instanceId: id, id: did });
      if (moduleStyle && runReturned && outstanding === 0) finish(r, {});
    },
    close: (succeeded) => finish(r, { succeeded }),
  };
  r.setSuspendedCount = (n) => (inst.suspendedCount = n);
  const { Windows, instance } = createWindows(backend, inst);
  r.dispatchCancel = (reason) => instance?.dispatch('canceled', { type: 'canceled', reason, target: instance });
  const log = (...args: unknown[]) => send({ op: 'log', instanceId: id, text: args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' ') });
  const module = { exports: {} as Record<string, unknown> };
  const sandbox: Record<string, unknown> = {
    Windows,
    console: { log, info: log, warn: log, error: log, debug: log },
    close: () => instance && inst.close(instance.succeeded !== false),
    setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate, queueMicrotask,
    TextEncoder, TextDecoder, URL, structuredClone,
    module, exports: module.exports,
    require: (name: string) => require(name),
  };
  sandbox.self = sandbox;
  sandbox.globalThis = sandbox;
  send({ op: 'begin', instanceId: id });
  try {
    const code = loadCode(msg);
    const context = warmContext ?? vm.createContext({});
    warmContext = undefined;
    Object.assign(context, sandbox);
    vm.runInContext(`(function (exports, module, require) {${code}\n})(exports, module, require)`, context, { filename: msg.entryPoint });
    const exported = module.exports;
    const target: unknown = exported.default ?? exported;
    let runFn: ((i: unknown) => unknown) | undefined;
    if (typeof exported.run === 'function') runFn = exported.run as (i: unknown) => unknown;
    else if (typeof target === 'function' && typeof (target as { prototype?: { run?: unknown } }).prototype?.run === 'function') {
      const obj = new (target as unknown as new () => { run(i: unknown): unknown })();
      runFn = (i) => obj.run(i);
    } else if (typeof target === 'function') runFn = target as unknown as (i: unknown) => unknown;
    if (runFn && !r.done) {
      // IBackgroundTask style: done when Run returns with no deferral outstanding (§5, §9).
      moduleStyle = true;
      const result = runFn(instance);
      runReturned = true;
      if (result && typeof (result as Promise<unknown>).then === 'function')
        (result as Promise<unknown>).then(undefined, (e) => finish(r, { error: errorText(e) }));
      if (outstanding === 0) finish(r, {});
    } else if (!r.done && msg.idleMs !== undefined) watchIdle(r, msg.idleMs);
  } catch (error) {
    finish(r, { error: errorText(error) });
  }
}

/** WebUI tasks finish with close(); one with nothing left to run and no close() is idle (§5). */
function watchIdle(r: Running, idleMs: number): void {
  let idleSince: number | undefined;
  const every = Math.max(5, Math.min(50, idleMs / 4));
  r.idleTimer = setInterval(() => {
    const busy = process.getActiveResourcesInfo().filter((x) => x !== 'MessagePort' && x !== 'TTYWrap' && x !== 'PipeWrap');
    // Our own interval is one Timeout.
    const isIdle = busy.filter((x) => x === 'Timeout').length <= 1 && busy.every((x) => x === 'Timeout');
    if (!isIdle) idleSince = undefined;
    else if (idleSince === undefined || idleSince < resumedAt) idleSince = Date.now();
    else if (Date.now() - idleSince >= idleMs) {
      clearInterval(r.idleTimer);
      send({ op: 'idle', instanceId: r.id });
    }
  }, every);
}

function errorText(e: unknown): string {
  // Errors thrown in the task's vm context are not instances of this realm's Error.
  return e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : String(e);
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function onMessage(msg: { op: string; instanceId?: string; reason?: string; protocol?: number; gate?: SharedArrayBuffer; suspendedCount?: number }): void {
  // CPU quota (§4): block this thread until the host clears the gate (resume), then update SuspendedCount.
  if (msg.op === 'suspend' && msg.gate) {
    Atomics.wait(new Int32Array(msg.gate), 0, 1);
    resumedAt = Date.now();
    return;
  }
  if (msg.op === 'resume') {
    resumedAt = Date.now();
    for (const r of running.values()) r.setSuspendedCount(msg.suspendedCount ?? 0);
    return;
  }
  if (msg.op === 'run') {
    if (msg.protocol !== undefined && msg.protocol !== PROTOCOL_VERSION) {
      send({ op: 'done', instanceId: msg.instanceId ?? '', error: `runner speaks protocol ${PROTOCOL_VERSION}, not ${msg.protocol}` });
      return;
    }
    run(msg as RunMessage);
  } else if (msg.op === 'cancel' && msg.instanceId) running.get(msg.instanceId)?.dispatchCancel(msg.reason ?? 'Abort');
}

// Errors thrown by task callbacks after Run: the instance fails; the runner keeps going.
process.on('uncaughtException', (e) => {
  const only = running.size === 1 ? [...running.values()][0] : undefined;
  if (only) finish(only, { error: errorText(e) });
  else send({ op: 'log', instanceId: '', text: `uncaught: ${errorText(e)}` });
});
process.on('unhandledRejection', (e) => {
  const only = running.size === 1 ? [...running.values()][0] : undefined;
  if (only) finish(only, { error: errorText(e) });
});

/**
 * A spare worker runs one throwaway task before it reports ready, with its output discarded: V8
 * compiles functions on first call, and the first run() in a fresh isolate (createWindows, the
 * sandbox, vm) cost ~0.7 ms of Fire → Run start against a 0.1 ms message round trip.
 */
function warmUp(): void {
  const real = send;
  send = () => undefined;
  try {
    run({ op: 'run', protocol: PROTOCOL_VERSION, instanceId: 'warm-up', entryPoint: 'warm-up.js', trigger: 'warm-up', code: 'void Windows.ApplicationModel.Background; close();', settings: {}, allTasks: [], idleMs: 0 });
  } finally {
    send = real;
    running.clear();
    warmContext = vm.createContext({});
  }
}

if (parentPort && !stdioMode) {
  void workerData;
  warmUp();
  parentPort.on('message', onMessage);
  send({ op: 'ready', protocol: PROTOCOL_VERSION });
} else if (stdioMode) {
  let buffer = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      try {
        onMessage(JSON.parse(line));
      } catch (e) {
        send({ op: 'log', instanceId: '', text: `bad message: ${errorText(e)}` });
      }
    }
  });
  process.stdin.on('end', () => process.exit(0));
  send({ op: 'ready', protocol: PROTOCOL_VERSION });
}
