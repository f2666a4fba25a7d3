// The sandbox runner: a Node process the host starts under Node's permission model (read only the
// app folder and this script, no child processes, no writes, an empty environment) that runs one
// JS/TS task instance or a WinJS app's start scripts in a fresh vm context against the emulated
// Windows API. It speaks the runner protocol (protocol.ts) as JSON lines on stdin/stdout; timers and
// Date inside the sandbox run on the host's virtual clock, and after each message it reports `quiet`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { createWindows, type ApiBackend, type InstanceBackend } from '../worker/windowsApi';
import { PROTOCOL_VERSION, type HostToRunner, type RunMessage } from '../protocol';

// Powers the sandboxed code must not reach even if it gets out of its vm context into this realm.
const kill = process.kill.bind(process);
const exit = process.exit.bind(process);
const cpuUsage = process.cpuUsage.bind(process);
for (const k of ['kill', 'binding', '_linkedBinding', 'dlopen', 'chdir', 'abort', 'setuid', 'setgid', 'setegid', 'seteuid', 'setgroups', 'initgroups', '_kill', 'openStdin']) {
  try {
    Object.defineProperty(process, k, { value: undefined, configurable: false, writable: false });
  } catch {
    // not all exist on every platform
  }
}

type Out = Record<string, unknown> & { op: string };

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') exit(0);
    }
  }
}
let sendImpl = (m: Out) => writeAll(1, JSON.stringify(m) + '\n');
const send = (m: Out) => sendImpl(m);

// ---- input: async lines, plus a blocking read for the app's synchronous calls --------------------

let inBuffer = '';
const pending: string[] = [];
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const chunk = Buffer.alloc(64 * 1024);

function takeLines(): void {
  let nl: number;
  while ((nl = inBuffer.indexOf('\n')) >= 0) {
    const line = inBuffer.slice(0, nl).trim();
    inBuffer = inBuffer.slice(nl + 1);
    if (line) pending.push(line);
  }
}

/** Block until the host replies to call `seq` (the host sends nothing else during a turn). */
function readReplySync(seq: number): { value?: unknown; error?: string } {
  for (;;) {
    const i = pending.findIndex((l) => l.includes('"op":"reply"') && JSON.parse(l).seq === seq);
    if (i >= 0) return JSON.parse(pending.splice(i, 1)[0]);
    let n: number;
    try {
      n = fs.readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(sleeper, 0, 0, 1);
        continue;
      }
      exit(0);
      return {};
    }
    if (n === 0) exit(0);
    inBuffer += chunk.toString('utf8', 0, n);
    takeLines();
  }
}

let callSeq = 0;
function call(method: string, args: unknown[]): unknown {
  const seq = ++callSeq;
  send({ op: 'call', seq, method, args });
  const r = readReplySync(seq);
  if (r.error !== undefined) throw new Error(r.error);
  return r.value;
}

// ---- virtual time ----------------------------------------------------------------------------------

let virtualNow = 0;
let epoch = 0;

interface TimerEntry {
  fn: (...a: unknown[]) => unknown;
  args: unknown[];
  repeat: boolean;
}

/** The sandbox's timers: registered with the host, fired by it on the virtual clock. */
class VirtualTimers {
  private next = 0;
  readonly map = new Map<number, TimerEntry>();
  constructor(private readonly owner: string) {}
  set(fn: unknown, delay: unknown, args: unknown[], repeat: boolean): number {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
    const id = ++this.next;
    const ms = Math.max(repeat ? 1 : 0, Math.min(2 ** 31 - 1, Number(delay) || 0));
    this.map.set(id, { fn: fn as TimerEntry['fn'], args, repeat });
    send({ op: 'set-timer', instanceId: this.owner, id, delay: ms, repeat });
    return id;
  }
  clear(id: unknown): void {
    const n = typeof id === 'number' ? id : Number(id);
    if (!this.map.delete(n)) return;
    send({ op: 'clear-timer', instanceId: this.owner, id: n });
  }
  fire(id: number): void {
    const t = this.map.get(id);
    if (!t) return;
    if (!t.repeat) this.map.delete(id);
    t.fn(...t.args);
  }
  clearAll(): void {
    this.map.clear();
  }
}

// ---- the sandbox's global scope ---------------------------------------------------------------------

const DATE_SHIM = `(function (now) {
  const RealDate = Date;
  function VirtualDate(...a) {
    if (!new.target) return new RealDate(now()).toString();
    return a.length ? new RealDate(...a) : new RealDate(now());
  }
  VirtualDate.prototype = RealDate.prototype;
  VirtualDate.now = () => now();
  VirtualDate.parse = RealDate.parse;
  VirtualDate.UTC = RealDate.UTC;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: VirtualDate });
  globalThis.Date = VirtualDate;
})`;

const BUILTIN = /^(node:)?(assert|async_hooks|buffer|child_process|cluster|console|constants|crypto|dgram|diagnostics_channel|dns|domain|events|fs|http|http2|https|inspector|module|net|os|path|perf_hooks|process|punycode|querystring|readline|repl|stream|string_decoder|sys|timers|tls|trace_events|tty|url|util|v8|vm|wasi|worker_threads|zlib)(\/.*)?$/;

let appFolder = '';

function inside(file: string): boolean {
  const rel = path.relative(appFolder, file);
  return !!appFolder && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function errorText(e: unknown): string {
  // Errors thrown in a vm context are not instances of this realm's Error.
  return e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : String(e);
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** A CommonJS `require` for sandboxed code: the app's own relative modules only. */
function makeRequire(context: vm.Context, fromFile: string, cache: Map<string, { exports: unknown }>): (spec: string) => unknown {
  return (spec: string) => {
    if (typeof spec !== 'string') throw new TypeError('require needs a string');
    if (BUILTIN.test(spec) || !/^\.{1,2}\//.test(spec))
      throw new Error(`require('${spec}') is not available to background task code in the bgtask sandbox: only the app's own relative modules load`);
    const base = path.resolve(path.dirname(fromFile), spec);
    const file = [base, `${base}.js`, `${base}.json`, path.join(base, 'index.js')].find((f) => {
      try {
        return fs.statSync(f).isFile();
      } catch {
        return false;
      }
    });
    if (!file) throw new Error(`Cannot find module '${spec}' from ${fromFile}`);
    if (!inside(file)) throw new Error(`require('${spec}') reaches outside the app folder; the sandbox loads only the app's own files`);
    const hit = cache.get(file);
    if (hit) return hit.exports;
    const module = { exports: {} as unknown };
    cache.set(file, module);
    const text = fs.readFileSync(file, 'utf8');
    if (file.endsWith('.json')) module.exports = JSON.parse(text);
    else {
      runModule(context, text, file, module, makeRequire(context, file, cache));
    }
    return module.exports;
  };
}

/**
 * Names a module sees as local bindings rather than globals: in a vm context every global lookup
 * goes through the context's interceptor (~100× slower), which made a loop over Math.sqrt take seconds.
 */
const HOT_GLOBALS = [
  'Math', 'JSON', 'Object', 'Array', 'String', 'Number', 'Boolean', 'Symbol', 'Date', 'Promise', 'Map', 'Set', 'WeakMap', 'WeakSet',
  'Error', 'TypeError', 'RangeError', 'RegExp', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'Reflect', 'Uint8Array', 'ArrayBuffer',
  'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Windows',
];

/** Run CommonJS module text in the context, its hot globals bound as parameters. */
function runModule(context: vm.Context, text: string, file: string, module: { exports: unknown }, require: (s: string) => unknown): void {
  const names = HOT_GLOBALS.filter((n) => vm.runInContext(`typeof ${n} !== 'undefined'`, context));
  const values = vm.runInContext(`[${names.join(',')}]`, context) as unknown[];
  const fn = vm.runInContext(`(function (exports, require, module, __filename, __dirname, ${names.join(', ')}) {${text}\n})`, context, { filename: file }) as (...a: unknown[]) => void;
  fn(module.exports, require, module, file, path.dirname(file), ...values);
}

function newContext(owner: string, timers: VirtualTimers, log: (...a: unknown[]) => void, extra: Record<string, unknown>): vm.Context {
  const context = vm.createContext({}, { name: owner === 'app' ? 'bgtask app' : 'bgtask task' });
  (vm.runInContext(DATE_SHIM, context) as (now: () => number) => void)(() => epoch + virtualNow);
  const globals: Record<string, unknown> = {
    console: { log, info: log, warn: log, error: log, debug: log, trace: log },
    setTimeout: (fn: unknown, ms?: unknown, ...a: unknown[]) => timers.set(fn, ms, a, false),
    setInterval: (fn: unknown, ms?: unknown, ...a: unknown[]) => timers.set(fn, ms, a, true),
    setImmediate: (fn: unknown, ...a: unknown[]) => timers.set(fn, 0, a, false),
    clearTimeout: (id: unknown) => timers.clear(id),
    clearInterval: (id: unknown) => timers.clear(id),
    clearImmediate: (id: unknown) => timers.clear(id),
    queueMicrotask: (fn: () => void) => queueMicrotask(fn),
    performance: { now: () => virtualNow, timeOrigin: epoch },
    TextEncoder, TextDecoder, URL, URLSearchParams, structuredClone, atob, btoa,
    ...extra,
  };
  for (const [k, v] of Object.entries(globals)) Object.defineProperty(context, k, { value: v, writable: true, configurable: true, enumerable: false });
  vm.runInContext('globalThis.self = globalThis; globalThis.window = globalThis;', context);
  return context;
}

// ---- task instances ---------------------------------------------------------------------------------

interface Running {
  id: string;
  done: boolean;
  timers: VirtualTimers;
  dispatchCancel(reason: string): void;
  setSuspendedCount(n: number): void;
}
const running = new Map<string, Running>();

function finish(r: Running, extra: { error?: string; succeeded?: boolean; canceled?: boolean }): void {
  if (r.done) return;
  r.done = true;
  r.timers.clearAll();
  running.delete(r.id);
  send({ op: 'done', instanceId: r.id, ...extra, cpuMs: cpuMs() });
}

function cpuMs(): number {
  const u = cpuUsage();
  return (u.user + u.system) / 1000;
}

function run(msg: RunMessage): void {
  const id = msg.instanceId;
  const timers = new VirtualTimers(id);
  const r: Running = { id, done: false, timers, dispatchCancel: () => undefined, setSuspendedCount: () => undefined };
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
  let canceled = false;
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
    // §5: a JS task that was canceled and reports succeeded = false is not "ok".
    close: (succeeded) => finish(r, { succeeded, ...(canceled ? { canceled: true } : {}) }),
  };
  r.setSuspendedCount = (n) => (inst.suspendedCount = n);
  const { Windows, instance } = createWindows(backend, inst);
  r.dispatchCancel = (reason) => {
    canceled = true;
    instance?.dispatch('canceled', { type: 'canceled', reason, target: instance });
  };
  const log = (...args: unknown[]) => send({ op: 'log', instanceId: id, text: args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' ') });
  send({ op: 'begin', instanceId: id });
  try {
    const module = { exports: {} as Record<string, unknown> };
    const context = newContext(id, timers, log, {
      Windows,
      close: () => instance && inst.close(instance.succeeded !== false),
    });
    const file = msg.entryPoint;
    const code = msg.code ?? fs.readFileSync(file, 'utf8');
    runModule(context, code, file, module, makeRequire(context, file, new Map()));
    const exported = module.exports;
    const target: unknown = exported.default ?? exported;
    let runFn: ((i: unknown) => unknown) | undefined;
    if (typeof exported.run === 'function') runFn = (i) => (exported.run as (i: unknown) => unknown)(i);
    else if (typeof target === 'function' && typeof (target as { prototype?: { run?: unknown } }).prototype?.run === 'function') {
      const obj = new (target as unknown as new () => { run(i: unknown): unknown })();
      runFn = (i) => obj.run(i);
    } else if (typeof target === 'function') runFn = target as unknown as (i: unknown) => unknown;
    if (runFn && !r.done) {
      // IBackgroundTask style: done when Run returns with no deferral outstanding (§5, §9).
      moduleStyle = true;
      const result = runFn(instance);
      runReturned = true;
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        // An async run that throws before its first await has already rejected: its handler runs
        // first, so the task fails instead of completing (§5).
        (result as Promise<unknown>).then(undefined, (e) => finish(r, { error: errorText(e) }));
        queueMicrotask(() => queueMicrotask(() => {
          if (outstanding === 0) finish(r, {});
        }));
      } else if (outstanding === 0) finish(r, {});
    } else if (!r.done) send({ op: 'webui', instanceId: id });
  } catch (error) {
    finish(r, { error: errorText(error) });
  }
}

// ---- the app's start scripts (WinJS), registration source (b) ---------------------------------------

let app: { timers: VirtualTimers; listeners: Map<string, Array<{ event: string; fn: (a: unknown) => void }>> } | undefined;

function appBackend(listeners: Map<string, Array<{ event: string; fn: (a: unknown) => void }>>): ApiBackend {
  return {
    allTasks: () => call('allTasks', []) as ReturnType<ApiBackend['allTasks']>,
    register: (spec) => call('register', [spec]) as ReturnType<ApiBackend['register']>,
    unregister: (taskId, cancel) => void call('unregister', [taskId, cancel]),
    requestAccess: () => call('requestAccess', []) as string,
    getAccessStatus: () => call('getAccessStatus', []) as string,
    removeAccess: () => undefined,
    backgroundWorkCost: () => call('backgroundWorkCost', []) as string,
    settingsGet: (k) => call('settingsGet', [k]),
    settingsSet: (k, v) => void call('settingsSet', [k, v]),
    settingsDelete: (k) => void call('settingsDelete', [k]),
    settingsKeys: () => call('settingsKeys', []) as string[],
    requestTrigger: (taskIds, args) => call('requestTrigger', [taskIds, args]) as string,
    listen: (taskId, event, fn) => {
      const list = listeners.get(taskId) ?? [];
      list.push({ event, fn });
      listeners.set(taskId, list);
    },
    log: (text) => send({ op: 'log', instanceId: 'app', text }),
  };
}

function startApp(scripts: Array<{ file: string; code?: string }>): void {
  const timers = new VirtualTimers('app');
  const listeners = new Map<string, Array<{ event: string; fn: (a: unknown) => void }>>();
  app = { timers, listeners };
  const { Windows } = createWindows(appBackend(listeners));
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
  const log = (...a: unknown[]) => send({ op: 'log', instanceId: 'app', text: a.map((x) => (typeof x === 'string' ? x : safeJson(x))).join(' ') });
  const context = newContext('app', timers, log, {
    Windows,
    WinJS: { Application: application, Utilities: { markSupportedForProcessing: (f: unknown) => f }, UI: { processAll: () => Promise.resolve() } },
    document: { getElementById: element, querySelector: element, createElement: element, addEventListener: () => undefined, body: element() },
  });
  for (const s of scripts) {
    try {
      vm.runInContext(s.code ?? fs.readFileSync(s.file, 'utf8'), context, { filename: s.file });
    } catch (error) {
      send({ op: 'log', instanceId: 'app', level: 'error', text: `app script ${s.file} threw: ${errorText(error)}` });
    }
  }
  if (!started) return;
  const args = { detail: { kind: 0, previousExecutionState: 0 }, setPromise: () => undefined };
  for (const fn of [application.onactivated, ...handlers]) {
    if (typeof fn !== 'function') continue;
    try {
      fn(args);
    } catch (error) {
      send({ op: 'log', instanceId: 'app', level: 'error', text: `the app's activated handler threw: ${errorText(error)}` });
    }
  }
}

function appEvent(taskId: string, event: string, args: Record<string, unknown>): void {
  for (const l of app?.listeners.get(taskId) ?? []) {
    if (l.event !== event) continue;
    const error = args.error;
    const a = event === 'completed'
      ? { instanceId: args.instanceId, checkResult: () => { if (typeof error === 'string') throw new Error(error); } }
      : { instanceId: args.instanceId, progress: args.progress };
    try {
      l.fn(a);
    } catch (e) {
      send({ op: 'log', instanceId: 'app', level: 'error', text: `the app's ${event} handler threw: ${errorText(e)}` });
    }
  }
}

// ---- the message loop -------------------------------------------------------------------------------

function onMessage(msg: HostToRunner): void {
  if (typeof msg.now === 'number') virtualNow = msg.now;
  switch (msg.op) {
    case 'hello':
      appFolder = msg.appFolder ? path.resolve(msg.appFolder) : '';
      epoch = msg.epoch ?? 0;
      if (msg.memoryMb) watchMemory(msg.memoryMb);
      closeWorkers();
      warmUp();
      send({ op: 'hello', protocol: PROTOCOL_VERSION, sandbox: selfCheck(), cpuMs: cpuMs() });
      return;
    case 'run':
      if (msg.protocol !== undefined && msg.protocol !== PROTOCOL_VERSION) {
        send({ op: 'done', instanceId: msg.instanceId, error: `runner speaks protocol ${PROTOCOL_VERSION}, not ${msg.protocol}` });
        return;
      }
      run(msg);
      return;
    case 'timer':
      if (msg.instanceId === 'app') app?.timers.fire(msg.id);
      else running.get(msg.instanceId)?.timers.fire(msg.id);
      return;
    case 'cancel':
      running.get(msg.instanceId)?.dispatchCancel(msg.reason ?? 'Abort');
      return;
    case 'resume':
      running.get(msg.instanceId)?.setSuspendedCount(msg.suspendedCount ?? 0);
      return;
    case 'app-start':
      startApp(msg.scripts);
      return;
    case 'app-event':
      appEvent(msg.taskId, msg.event, msg.args ?? {});
      return;
    case 'reply':
      return;
  }
}

/**
 * One throwaway run before the handshake's answer, its output discarded: V8 compiles on first call,
 * and the first run in a fresh process (context, emulated API, module wrapper) would otherwise be
 * charged to the first task's CPU and Fire → Run start.
 */
function warmUp(): void {
  const real = sendImpl;
  sendImpl = () => undefined;
  try {
    run({ op: 'run', instanceId: 'warm-up', entryPoint: path.join(appFolder || process.cwd(), 'warm-up.js'), trigger: 'warm-up', code: 'void Windows.ApplicationModel.Background; Math.sqrt(2); close();', settings: {}, allTasks: [] });
  } finally {
    sendImpl = real;
    running.clear();
  }
}

/** Report that no code of ours can run until the host sends something (microtasks drained). */
function quietSoon(): void {
  setImmediate(() => send({ op: 'quiet', cpuMs: cpuMs() }));
}

function handleError(e: unknown): void {
  const only = running.size === 1 ? [...running.values()][0] : undefined;
  if (only) finish(only, { error: errorText(e) });
  else send({ op: 'log', instanceId: app ? 'app' : '', level: 'error', text: `uncaught: ${errorText(e)}` });
}
// Errors thrown by task callbacks after Run: the instance fails; the runner keeps going.
process.on('uncaughtException', handleError);
process.on('unhandledRejection', handleError);

/** Verify, from inside, that the permission model holds: no reading outside the app, no programs. */
function selfCheck(): { fs: boolean; childProcess: boolean } {
  let fsDenied = false;
  let cpDenied = false;
  try {
    fs.readdirSync(path.parse(process.cwd()).root);
  } catch (e) {
    fsDenied = (e as NodeJS.ErrnoException).code === 'ERR_ACCESS_DENIED';
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('node:child_process').spawnSync(process.execPath, ['--version']);
  } catch (e) {
    cpDenied = (e as NodeJS.ErrnoException).code === 'ERR_ACCESS_DENIED';
  }
  return { fs: fsDenied, childProcess: cpDenied };
}

/**
 * Memory beyond the V8 heap (ArrayBuffers, native): a watchdog thread reads the process's resident
 * size and kills the process past the limit, even while the main thread spins.
 */
function watchMemory(limitMb: number): void {
  const base = process.memoryUsage.rss();
  const limit = base + limitMb * 1024 * 1024;
  const w = new Worker(
    `const { workerData } = require('node:worker_threads'); const fs = require('node:fs');
     setInterval(() => { const rss = process.memoryUsage.rss(); if (rss > workerData.limit) {
       try { fs.writeSync(1, JSON.stringify({ op: 'oom', rss: Math.round(rss / 1048576), limitMb: workerData.limitMb }) + '\\n'); } catch {}
       process.kill(process.pid, 'SIGKILL'); } }, 5);`,
    { eval: true, workerData: { limit, limitMb } },
  );
  w.unref();
  void kill;
}

/** After the watchdog has started, no code here may start threads of its own (they get a fresh `process`). */
function closeWorkers(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wt = require('node:worker_threads') as Record<string, unknown>;
  for (const k of ['Worker', 'SharedArrayBuffer']) {
    try {
      Object.defineProperty(wt, k, { value: undefined, configurable: false, writable: false });
    } catch {
      // nothing to close
    }
  }
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (text: string) => {
  inBuffer += text;
  takeLines();
  while (pending.length) {
    const line = pending.shift()!;
    let msg: HostToRunner;
    try {
      msg = JSON.parse(line);
    } catch {
      send({ op: 'log', instanceId: '', level: 'error', text: `bad message from the host: ${line.slice(0, 80)}` });
      continue;
    }
    try {
      onMessage(msg);
    } catch (e) {
      handleError(e);
    }
    // The handshake and replies to the app's calls are not turns of their own.
    if (msg.op !== 'hello' && msg.op !== 'reply') quietSoon();
  }
});
process.stdin.on('end', () => exit(0));
