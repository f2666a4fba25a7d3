// `bgtask host`: replays a scenario against the task host, or runs an interactive prompt with history,
// completion, help and Ctrl-C. Exit codes: 0 the expectations hold, 1 one fails, 2 bad input (file:line:col),
// 70 an internal error (one line, no stack trace). A closed output pipe (`| head`) ends quietly with 0.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { PROFILES, SYSTEM_CONDITION_TYPES, systemConditionType, type CancellationReason } from '../core/model/catalog';
import type { ProfileId } from '../core/facts/types';
import { parseDuration } from '../host/duration';
import { formatTrace } from '../host/format';
import { TaskHost, describeTrigger } from '../host/host';
import { MAX_ADVANCE_MS, ScenarioError, executeStep, oneLine, parseScenario, printable, parseTriggerText, replay, resolveTriggerName, summary, type Scenario, type Step } from '../host/scenario';
import { openHostSession, type HostSession } from '../host/session';
import { STATE_KEYS, coerceStateValue, resolveStateKey } from '../host/state';
import { StoreLockedError, defaultStoreDir, lockStore, repairStore, storeWritableError } from '../host/store';
import type { TraceEvent } from '../host/types';
import { UsageError, type Io } from './io';

/** Exit codes of `bgtask host` (also in HOST_HELP and the README). */
export const EXIT = { ok: 0, expectationFailed: 1, badInput: 2, internal: 70 } as const;

export const HOST_HELP = `Usage: bgtask host [path] [--scenario FILE] [--profile P] [--json] [--store DIR] [--time-scale N] [--cpu-quota] [--runner CMD]

Runs the background task host simulator for the app in path (default: the current folder).
  --scenario FILE   replay a *.bgscenario.json and print "N of M expectations passed"
  --profile P       platform profile: ${PROFILES.join(', ')}
  --json            print the trace as JSON lines (the summary then goes to stderr)
  --store DIR       where registrations persist (default for the prompt: a per-app folder in your
                    user data folder; a scenario starts from an empty store unless --store is given).
                    One host at a time uses a store.
  --time-scale N    real ms per platform ms for limits on running code (0.01: 30 s becomes 300 ms)
  --cpu-quota       the Windows 8/8.1 CPU quota (win8/win81 profiles): 2 CPU-s per 15 min on the lock
                    screen, 1 CPU-s per 2 h otherwise; tasks are suspended when it is used up
  --runner CMD      external runner command for tasks (JSON lines over stdio, protocol 1)
Without --scenario: an interactive prompt (type 'help'; Ctrl-C cancels running tasks, twice quits).
Exit codes: 0 expectations hold, 1 an expectation failed, 2 bad input (file:line:col: what is wrong),
70 internal error. A closed output pipe (| head) ends quietly with 0.`;

interface HostArgs {
  folder: string;
  scenario?: string;
  profile?: ProfileId;
  json: boolean;
  store?: string;
  timeScale?: number;
  cpuQuota?: boolean;
  runner?: string[];
}

function parseArgs(args: string[], cwd: string): HostArgs {
  const out: HostArgs = { folder: cwd, json: false };
  let folderSet = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--scenario': out.scenario = path.resolve(cwd, value()); break;
      case '--profile': {
        const p = value();
        if (!PROFILES.includes(p as ProfileId)) throw new UsageError(`unknown profile '${p}' (expected ${PROFILES.join(', ')})`);
        out.profile = p as ProfileId;
        break;
      }
      case '--json': out.json = true; break;
      case '--store': out.store = path.resolve(cwd, value()); break;
      case '--time-scale': {
        const n = Number(value());
        if (!(n > 0) || n > 1000) throw new UsageError('--time-scale needs a number above 0 and at most 1000');
        out.timeScale = n;
        break;
      }
      case '--cpu-quota': out.cpuQuota = true; break;
      case '--runner': {
        out.runner = value().split(' ').filter(Boolean);
        if (!out.runner.length) throw new UsageError('--runner needs a command');
        break;
      }
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'`);
        if (folderSet) throw new UsageError(`unexpected argument '${a}'`);
        out.folder = path.resolve(cwd, a);
        folderSet = true;
    }
  }
  if (!fs.existsSync(out.folder)) throw new UsageError(`no such folder: ${out.folder}`);
  return out;
}

/** Why a runner command cannot start (not found, not executable), or undefined. */
export function runnerStartError(command: string, cwd: string, env = process.env): string | undefined {
  const exts = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  const executable = (f: string) => {
    try {
      fs.accessSync(f, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
      return fs.statSync(f).isFile();
    } catch {
      return false;
    }
  };
  const candidates = command.includes('/') || command.includes('\\') ? [path.resolve(cwd, command)] : (env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, command));
  if (candidates.some((c) => exts.some((e) => executable(c + e)))) return undefined;
  return `cannot start the runner '${command}': ${command.includes('/') || command.includes('\\') ? 'no such executable file' : 'not found on PATH'}`;
}

export async function runHostCommand(args: string[], io: Io): Promise<number> {
  try {
    return await runHost(args, io);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.stderr(`bgtask host: internal error: ${oneLine(error)}\n`);
    return EXIT.internal;
  }
}

async function runHost(args: string[], io: Io): Promise<number> {
  const a = parseArgs(args, io.cwd);
  const rel = (f: string) => {
    const r = path.relative(io.cwd, f);
    return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : f;
  };
  let scenario: Scenario | undefined;
  if (a.scenario) {
    let text: string;
    try {
      text = fs.readFileSync(a.scenario, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${a.scenario}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      scenario = parseScenario(text, rel(a.scenario));
    } catch (e) {
      if (e instanceof ScenarioError) {
        io.stderr(`${e.file}:${e.line}:${e.column}: ${e.reason}\n`);
        return EXIT.badInput;
      }
      throw e;
    }
  }
  if (a.runner) {
    const why = runnerStartError(a.runner[0], io.cwd);
    if (why) throw new UsageError(why);
  }

  // A closed stdout (`| head`) ends the run quietly: no more output, the replay stops, exit 0.
  const output = new AbortController();
  const onPipeError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') output.abort();
  };
  process.stdout.on('error', onPipeError);
  // An error thrown from a timer or an event deep in the host would end the process with a stack
  // trace: report it in one line, stop the run and exit 70.
  let internal: unknown;
  const onInternal = (error: unknown) => {
    if (internal === undefined) io.stderr(`bgtask host: internal error: ${oneLine(error)}\n`);
    internal ??= error;
    output.abort();
  };
  process.on('uncaughtException', onInternal);
  process.on('unhandledRejection', onInternal);
  const out = (text: string) => {
    if (output.signal.aborted) return;
    try {
      io.stdout(text);
    } catch (e) {
      onPipeError(e as NodeJS.ErrnoException);
      if (!output.signal.aborted) throw e;
    }
  };

  const storageDir = a.store ?? (scenario ? undefined : defaultStoreDir(a.folder));
  let lock: { release(): void } | undefined;
  let session: HostSession | undefined;
  try {
    if (storageDir) {
      const why = storeWritableError(storageDir);
      if (why) throw new UsageError(`${why} (choose another folder with --store)`);
      lock = lockStore(storageDir);
      for (const m of repairStore(storageDir)) io.stderr(`bgtask host: ${m}\n`);
    }
    session = await openHostSession({
      folder: a.folder,
      profile: a.profile ?? scenario?.profile,
      state: scenario?.state,
      limits: scenario?.limits,
      timeScale: a.timeScale ?? scenario?.timeScale,
      cpuQuota: a.cpuQuota ?? scenario?.cpuQuota,
      runner: a.runner,
      storageDir,
      deterministicIds: !!scenario,
      onTrace: (ev: TraceEvent) => out((a.json ? JSON.stringify(ev) : formatTrace(ev)) + '\n'),
      hostOptions: { clock: scenario ? 'virtual' : 'live' },
    });
    const host = session.host;
    if (scenario) {
      const result = await replay(host, scenario, { signal: output.signal });
      if (internal !== undefined) return EXIT.internal;
      if (result.aborted || output.signal.aborted) return EXIT.ok;
      (a.json ? io.stderr : out)(summary(result) + '\n');
      if (!result.ok && result.failed) {
        io.stderr(`${rel(a.scenario!)}:${result.failed.line}: step ${result.failed.index + 1} failed: ${result.failed.message}\n`);
        return EXIT.expectationFailed;
      }
      return EXIT.ok;
    }
    const code = await interactive(host, io, out, output);
    return internal !== undefined ? EXIT.internal : code;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof StoreLockedError) {
      io.stderr(`bgtask host: ${error.message}\n`);
      return EXIT.badInput;
    }
    if (internal !== undefined) return EXIT.internal;
    if (output.signal.aborted) return EXIT.ok;
    io.stderr(`bgtask host: internal error: ${oneLine(error)}\n`);
    return EXIT.internal;
  } finally {
    try {
      await session?.close();
    } catch (error) {
      io.stderr(`bgtask host: internal error while closing: ${oneLine(error)}\n`);
    }
    lock?.release();
    process.stdout.off('error', onPipeError);
    process.off('uncaughtException', onInternal);
    process.off('unhandledRejection', onInternal);
  }
}

// ---- the prompt --------------------------------------------------------------------------------

/** A mistake in a prompt line: one line, the prompt goes on. */
export class PromptError extends Error {
  constructor(message: string) {
    super(printable(message));
  }
}

export type PromptCommand =
  | { kind: 'empty' }
  | { kind: 'quit' }
  | { kind: 'info'; what: 'help' | 'tasks' | 'state' | 'running' }
  | { kind: 'step'; step: Step };

/**
 * Split a prompt line into words; parentheses, brackets, braces and double quotes group, so
 * `TimeTrigger(15, oneShot)` and `{"a": 1}` are one word each. Words keep their offset in the line.
 */
export function tokenize(line: string): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    const start = i;
    let depth = 0;
    let quoted = false;
    for (; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '\\') i++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
      else if (depth === 0 && /\s/.test(c)) break;
    }
    out.push({ text: line.slice(start, Math.min(i, line.length)), start });
  }
  return out;
}

const COMMANDS = ['fire', 'set', 'advance', 'launch', 'suspend', 'resume', 'shutdown', 'trigger', 'app', 'push', 'register', 'unregister', 'tasks', 'state', 'running', 'help', 'quit'];

const PROMPT_HELP = `Commands:
  fire TRIGGER [json]        fire a SystemTriggerType (TimeZoneChange) or trigger class (MaintenanceTrigger)
  set KEY VALUE              change system state: ${STATE_KEYS.join(', ')} (aliases: internet, user, session, cost, power, saver, lockscreen, access, tz)
  advance DURATION           move virtual time (20m, 2h, 1d); TimeTriggers fire on the 15-minute tick
  launch | suspend | resume | shutdown   app lifecycle, as Visual Studio's Lifecycle Events
  trigger NAME               run a registered task now, as Visual Studio does (says if VS could)
  app NAME [key=value...]    ApplicationTrigger.RequestAsync with arguments
  push NAME PAYLOAD          a raw push notification for a PushNotificationTrigger task
  register NAME ENTRY TRIGGER [CONDITION...]   e.g. register T Tasks.T TimeTrigger(15, oneShot) InternetAvailable
  register NAME              register a task the app registers on demand (see 'tasks')
  unregister NAME [cancel]   Unregister(cancel)
  tasks | state | running    show registrations, system state, running instances
  help | quit                Ctrl-C cancels running tasks; Ctrl-C twice on an empty line quits`;

/** Parse one prompt line. Throws PromptError (one line) for anything wrong; never anything else. */
export function parsePromptLine(line: string): PromptCommand {
  const words = tokenize(line);
  if (!words.length) return { kind: 'empty' };
  const cmd = words[0].text.toLowerCase();
  const arg = (i: number) => words[i]?.text;
  /** The rest of the line from word i, as typed. */
  const restFrom = (i: number) => (words[i] ? line.slice(words[i].start).trim() : '');
  const name = (what: string) => {
    const n = restFrom(1);
    if (!n) throw new PromptError(`${cmd} needs ${what}`);
    return n;
  };
  switch (cmd) {
    case 'quit': case 'exit': return { kind: 'quit' };
    case 'help': case '?': return { kind: 'info', what: 'help' };
    case 'tasks': case 'state': case 'running': return { kind: 'info', what: cmd };
    case 'launch': case 'suspend': case 'resume': case 'shutdown': case 'terminate':
      if (words.length > 1) throw new PromptError(`${cmd} takes no arguments`);
      return { kind: 'step', step: { kind: 'lifecycle', action: cmd === 'terminate' ? 'shutdown' : cmd } };
    case 'fire': {
      const t = arg(1) ?? '';
      if (!resolveTriggerName(t)) throw new PromptError(`unknown trigger '${t}' (a SystemTriggerType member such as TimeZoneChange, or a trigger class; Tab completes)`);
      let details: unknown;
      if (words.length > 2) {
        try {
          details = JSON.parse(restFrom(2));
        } catch (e) {
          throw new PromptError(`the trigger details are not JSON: ${oneLine(e)}`);
        }
      }
      return { kind: 'step', step: { kind: 'fire', trigger: t, details } };
    }
    case 'set': {
      const key = resolveStateKey(arg(1) ?? '');
      if (!key) throw new PromptError(`unknown state key '${arg(1) ?? ''}' (expected ${STATE_KEYS.join(', ')})`);
      if (words.length < 3) throw new PromptError(`set ${arg(1)} needs a value`);
      const c = coerceStateValue(key, restFrom(2));
      if ('error' in c) throw new PromptError(c.error);
      return { kind: 'step', step: { kind: 'set', changes: { [key]: c.value } } };
    }
    case 'advance': {
      const ms = parseDuration(restFrom(1));
      if (ms === undefined) throw new PromptError('advance needs a duration like 20m, 2h or 1d');
      const whole = Math.round(ms);
      if (whole < 1 || whole > MAX_ADVANCE_MS) throw new PromptError(`advance takes from 1 ms to ${MAX_ADVANCE_MS / 86_400_000} days`);
      return { kind: 'step', step: { kind: 'advance', ms: whole } };
    }
    case 'trigger': return { kind: 'step', step: { kind: 'trigger', task: name('a registration name') } };
    case 'app': {
      const task = arg(1);
      if (!task) throw new PromptError('app needs a registration name: app NAME [key=value...]');
      const args: Record<string, unknown> = {};
      for (const w of words.slice(2)) {
        const i = w.text.indexOf('=');
        if (i <= 0) throw new PromptError(`'${w.text}' is not key=value`);
        Object.defineProperty(args, w.text.slice(0, i), { value: w.text.slice(i + 1), enumerable: true, writable: true, configurable: true });
      }
      return { kind: 'step', step: { kind: 'applicationTrigger', task, arguments: args } };
    }
    case 'push': {
      const task = arg(1);
      if (!task) throw new PromptError('push needs a registration name: push NAME PAYLOAD');
      return { kind: 'step', step: { kind: 'push', task, payload: restFrom(2) } };
    }
    case 'unregister': {
      const task = arg(1);
      if (!task) throw new PromptError('unregister needs a registration name: unregister NAME [cancel]');
      const c = arg(2);
      if (words.length > 3 || (c !== undefined && !['cancel', 'true', 'false'].includes(c))) throw new PromptError('usage: unregister NAME [cancel]');
      return { kind: 'step', step: { kind: 'unregister', task, cancel: c === 'cancel' || c === 'true' } };
    }
    case 'register': {
      const [, n, entry, triggerWord, ...conds] = words.map((w) => w.text);
      if (!n) throw new PromptError('usage: register NAME ENTRY TRIGGER [CONDITION...], or register NAME for an on-demand registration');
      if (entry === undefined) return { kind: 'step', step: { kind: 'registerOnDemand', name: n } };
      if (!triggerWord) throw new PromptError('usage: register NAME ENTRY TRIGGER [CONDITION...] (ENTRY "-" for none)');
      const t = parseTriggerText(triggerWord);
      if ('error' in t) throw new PromptError(t.error);
      const conditions = conds.map((c) => {
        const info = systemConditionType(c);
        if (!info) throw new PromptError(`unknown condition '${c}' (a SystemConditionType member such as InternetAvailable)`);
        return info.name;
      });
      return { kind: 'step', step: { kind: 'register', spec: { name: n, entryPoint: entry === '-' ? undefined : entry, trigger: t.trigger, conditions, cancelOnConditionLoss: conditions.length > 0, isNetworkRequested: false } } };
    }
    default:
      throw new PromptError(`unknown command '${words[0].text.slice(0, 40)}' (type 'help')`);
  }
}

type PromptHost = TaskHost & {
  cancelAll?: (reason: CancellationReason, why: string) => unknown;
  warmUp?: () => unknown;
};

/** Run one prompt line against the host. Returns false on quit. Errors are thrown with one-line messages. */
export async function promptCommand(host: TaskHost, line: string, out: (s: string) => void): Promise<boolean> {
  const c = parsePromptLine(line);
  switch (c.kind) {
    case 'empty': return true;
    case 'quit': return false;
    case 'info':
      if (c.what === 'help') out(PROMPT_HELP + '\n');
      else if (c.what === 'state') out(JSON.stringify({ ...host.state, app: host.appState }, null, 2) + '\n');
      else if (c.what === 'running') out(JSON.stringify(host.running()) + '\n');
      else {
        for (const r of host.registrations()) {
          const d = host.describe(r);
          const latched = d.latched as string[] | undefined;
          out(`${r.name}  ${describeTrigger(r.trigger)}${r.conditions.length ? ' if ' + r.conditions.join('+') : ''}${r.group ? ` group=${r.group}` : ''}  ${latched ? 'latched on ' + latched.join(',') : (d.running as string[]).length ? 'running' : 'idle'}  VS can fire: ${d.visualStudioCanFire ? 'yes' : 'no'}\n`);
        }
        if (!host.registrations().length) out('no registrations (launch the app, or register one)\n');
        const registered = new Set(host.registrations().map((r) => r.name));
        for (const d of host.onDemand().filter((x) => !registered.has(x.name))) out(`${d.name}  ${d.trigger}  on demand: 'register ${d.name}' runs ${d.registeredBy}\n`);
      }
      return true;
    default:
      await executeStep(host, c.step);
      return true;
  }
}

function completer(host: TaskHost) {
  return (line: string): [string[], string] => {
    const words = line.split(/\s+/);
    const last = words[words.length - 1] ?? '';
    let pool: string[];
    if (words.length <= 1) pool = COMMANDS;
    else {
      const cmd = words[0].toLowerCase();
      const names = [...new Set(host.registrations().map((r) => r.name))];
      if (cmd === 'fire') pool = TaskHost.triggerNames();
      else if (cmd === 'set') pool = words.length === 2 ? [...STATE_KEYS] : ['on', 'off', 'ac', 'dc', 'Low', 'Medium', 'High'];
      else if (cmd === 'register' && words.length >= 5) pool = SYSTEM_CONDITION_TYPES.map((c) => c.name);
      else if (cmd === 'register' && words.length === 4) pool = TaskHost.triggerNames();
      else if (['trigger', 'app', 'push', 'unregister'].includes(cmd)) pool = names;
      else if (cmd === 'register' && words.length === 2) pool = host.onDemand().map((d) => d.name);
      else if (cmd === 'advance') pool = ['15m', '30m', '1h', '1d'];
      else pool = [];
    }
    const hits = pool.filter((p) => p.toLowerCase().startsWith(last.toLowerCase()));
    return [hits, last];
  };
}

async function interactive(host: TaskHost, io: Io, out: (s: string) => void, output: AbortController): Promise<number> {
  const h = host as PromptHost;
  const tty = !!process.stdin.isTTY;
  const historyFile = path.join(os.homedir(), '.bgtask_host_history');
  let history: string[] = [];
  try {
    history = fs.readFileSync(historyFile, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 500);
  } catch {
    // no history yet
  }
  const rl = readline.createInterface({ input: process.stdin, output: tty ? process.stdout : undefined, terminal: tty, completer: completer(host), history, historySize: 500, prompt: 'bgtask> ' });
  output.signal.addEventListener('abort', () => rl.close());
  if (tty) out(`bgtask host: ${host.registrations().length} registration(s), profile ${host.profile}. Type 'help'; Ctrl-C cancels running tasks.\n`);
  void Promise.resolve(h.warmUp?.()).catch(() => undefined);

  // Ctrl-C: cancel what runs (with a reason) and stay; on an empty line with nothing running, a
  // second Ctrl-C quits. A TTY delivers it as readline's 'SIGINT', piped input as the process signal.
  let armed = false;
  const onInterrupt = () => {
    const running = host.running().filter((r) => !r.canceled);
    const typed = tty && rl.line.length > 0;
    if (running.length) {
      armed = false;
      if (h.cancelAll) {
        void Promise.resolve(h.cancelAll('Abort', 'Ctrl-C at the prompt')).catch((e) => io.stderr(`error: ${oneLine(e)}\n`));
        out(`\ncanceling ${running.length} running task instance(s) (Abort: Ctrl-C at the prompt)\n`);
      } else out('\nthis host cannot cancel running tasks from the prompt\n');
    } else if (typed) {
      armed = false;
      rl.write(null, { ctrl: true, name: 'u' });
      out('\n');
    } else if (armed) {
      rl.close();
      return;
    } else {
      armed = true;
      out('\n(press Ctrl-C again to quit, or type quit)\n');
    }
    if (tty) rl.prompt();
  };
  rl.on('SIGINT', onInterrupt);
  if (!tty) process.on('SIGINT', onInterrupt);

  rl.prompt();
  let code = EXIT.ok as number;
  try {
    for await (const line of rl) {
      if (line.trim()) armed = false;
      try {
        if (!(await promptCommand(host, line, out))) break;
      } catch (error) {
        io.stderr(`error: ${oneLine(error)}\n`);
        if (!tty) code = EXIT.badInput;
      }
      if (line.trim() && tty) {
        try {
          fs.appendFileSync(historyFile, line.trim() + '\n');
        } catch {
          // history is best effort
        }
      }
      if (output.signal.aborted) break;
      rl.prompt();
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    rl.close();
  }
  await host.idle();
  return output.signal.aborted ? EXIT.ok : code;
}
