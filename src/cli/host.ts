// `bgtask host`: replays a scenario against the task host (exit 0 when the expectations hold, 1 when
// one fails, 2 on bad input with file, line and reason), or runs an interactive prompt with history,
// completion and help. The trace is human-readable by default, JSON lines with --json.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { PROFILES, SYSTEM_CONDITION_TYPES } from '../core/model/catalog';
import type { ProfileId } from '../core/facts/types';
import { attachAppCode } from '../host/appCode';
import { parseDuration } from '../host/duration';
import { formatTrace } from '../host/format';
import { TaskHost, describeTrigger } from '../host/host';
import { ScenarioError, executeStep, parseScenario, parseState, parseTriggerText, replay, type Step } from '../host/scenario';
import { loadApp } from '../host/staticApp';
import { STATE_KEYS, coerceStateValue, resolveStateKey } from '../host/state';
import type { HostOptions, TraceEvent } from '../host/types';
import { UsageError, type Io } from './io';

export const HOST_HELP = `Usage: bgtask host [path] [--scenario FILE] [--profile P] [--json] [--store DIR] [--time-scale N] [--cpu-quota] [--runner CMD]

Runs the background task host simulator for the app in path (default: the current folder).
  --scenario FILE   replay a *.bgscenario.json; exit 0 when its expectations hold, 1 when one fails,
                    2 on a malformed scenario (file, line and reason)
  --profile P       platform profile: ${PROFILES.join(', ')}
  --json            print the trace as JSON lines
  --store DIR       where registrations persist (default: a per-app folder under the temp dir for the
                    prompt; a scenario starts from an empty store unless --store is given)
  --time-scale N    real ms per platform ms for limits on running code (0.01: 30 s becomes 300 ms)
  --cpu-quota       the Windows 8/8.1 CPU quota (win8/win81 profiles): 2 CPU-s per 15 min on the lock
                    screen, 1 CPU-s per 2 h otherwise; tasks are suspended when it is used up
  --runner CMD      external runner command for tasks (JSON lines over stdio, protocol 1)
Without --scenario: an interactive prompt (type 'help').`;

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
        if (!(n > 0)) throw new UsageError('--time-scale needs a positive number');
        out.timeScale = n;
        break;
      }
      case '--cpu-quota': out.cpuQuota = true; break;
      case '--runner': out.runner = value().split(' ').filter(Boolean); break;
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

export async function runHostCommand(args: string[], io: Io): Promise<number> {
  const a = parseArgs(args, io.cwd);
  let scenarioText: string | undefined;
  let scenario;
  if (a.scenario) {
    try {
      scenarioText = fs.readFileSync(a.scenario, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${a.scenario}: ${(e as Error).message}`);
    }
    try {
      scenario = parseScenario(scenarioText, path.relative(io.cwd, a.scenario) || a.scenario);
    } catch (e) {
      if (e instanceof ScenarioError) {
        io.stderr(`${e.file}:${e.line}: ${e.reason}\n`);
        return 2;
      }
      throw e;
    }
  }
  const profile = a.profile ?? scenario?.profile;
  const app = await loadApp(a.folder, profile);
  const storageDir = a.store ?? (scenario ? undefined : path.join(os.tmpdir(), 'bgtask-host', crypto.createHash('sha1').update(a.folder).digest('hex').slice(0, 12)));
  const options: HostOptions = {
    profile: profile ?? app.profile,
    appFolder: a.folder,
    storageDir,
    timeScale: a.timeScale ?? scenario?.timeScale,
    limits: scenario?.limits,
    cpuQuota: a.cpuQuota ?? scenario?.cpuQuota,
    state: scenario?.state,
    runner: a.runner,
    deterministicIds: !!scenario,
  };
  const host = new TaskHost(options, app);
  attachAppCode(host, app.startScripts);
  const print = (ev: TraceEvent) => io.stdout((a.json ? JSON.stringify(ev) : formatTrace(ev)) + '\n');
  host.on('trace', print);
  host.open();
  try {
    if (scenario) {
      const result = await replay(host, scenario);
      if (!result.ok && result.failed) {
        io.stderr(`${path.relative(io.cwd, a.scenario!) || a.scenario}:${result.failed.line}: step ${result.failed.index + 1} failed: ${result.failed.message}\n`);
        return 1;
      }
      return 0;
    }
    return await interactive(host, io);
  } finally {
    await host.close();
  }
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
  register NAME ENTRY TRIGGER [CONDITION...]   e.g. register T Tasks.T TimeTrigger(15) InternetAvailable
  unregister NAME [cancel]   Unregister(cancel)
  tasks | state | running    show registrations, system state, running instances
  help | quit`;

/** Turn one prompt line into a step, or run an informational command. Returns false on quit. */
export async function promptCommand(host: TaskHost, line: string, out: (s: string) => void): Promise<boolean> {
  const [cmd, ...rest] = line.trim().split(/\s+/);
  if (!cmd) return true;
  let step: Step | undefined;
  switch (cmd.toLowerCase()) {
    case 'quit': case 'exit': return false;
    case 'help': out(PROMPT_HELP + '\n'); return true;
    case 'tasks':
      for (const r of host.registrations()) {
        const d = host.describe(r);
        out(`${r.name}  ${describeTrigger(r.trigger)}${r.conditions.length ? ' if ' + r.conditions.join('+') : ''}${r.group ? ` group=${r.group}` : ''}  ${d.latched ? 'latched on ' + (d.latched as string[]).join(',') : (d.running as string[]).length ? 'running' : 'idle'}  VS can fire: ${d.visualStudioCanFire ? 'yes' : 'no'}\n`);
      }
      if (!host.registrations().length) out('no registrations (launch the app, or register one)\n');
      return true;
    case 'state': out(JSON.stringify({ ...host.state, app: host.appState }, null, 2) + '\n'); return true;
    case 'running': out(JSON.stringify(host.running()) + '\n'); return true;
    case 'launch': case 'suspend': case 'resume': case 'shutdown': case 'terminate':
      step = { kind: 'lifecycle', action: cmd === 'terminate' ? 'shutdown' : (cmd as 'launch') };
      break;
    case 'fire':
      if (!rest[0] || !TaskHost.resolveTrigger(rest[0])) throw new Error(`unknown trigger '${rest[0] ?? ''}'`);
      step = { kind: 'fire', trigger: rest[0], details: rest.length > 1 ? JSON.parse(rest.slice(1).join(' ')) : undefined };
      break;
    case 'set': {
      const key = resolveStateKey(rest[0] ?? '');
      if (!key) throw new Error(`unknown state key '${rest[0] ?? ''}'`);
      const c = coerceStateValue(key, rest.slice(1).join(' '));
      if ('error' in c) throw new Error(c.error);
      step = { kind: 'set', changes: parseState({ [key]: c.value }, () => 0, 'prompt') };
      break;
    }
    case 'advance': {
      const ms = parseDuration(rest.join(''));
      if (ms === undefined) throw new Error('advance needs a duration like 20m');
      step = { kind: 'advance', ms };
      break;
    }
    case 'trigger': step = { kind: 'trigger', task: rest.join(' ') }; break;
    case 'app': {
      const args: Record<string, unknown> = {};
      for (const kv of rest.slice(1)) {
        const i = kv.indexOf('=');
        if (i > 0) args[kv.slice(0, i)] = kv.slice(i + 1);
      }
      step = { kind: 'applicationTrigger', task: rest[0] ?? '', arguments: args };
      break;
    }
    case 'push': step = { kind: 'push', task: rest[0] ?? '', payload: rest.slice(1).join(' ') }; break;
    case 'unregister': step = { kind: 'unregister', task: rest[0] ?? '', cancel: rest[1] === 'cancel' || rest[1] === 'true' }; break;
    case 'register': {
      const [name, entryPoint, triggerText, ...conds] = rest;
      const trigger = triggerText ? parseTriggerText(triggerText) : undefined;
      if (!name || !trigger) throw new Error('usage: register NAME ENTRY TRIGGER [CONDITION...]');
      const conditions = conds.map((c) => {
        const info = SYSTEM_CONDITION_TYPES.find((x) => x.name.toLowerCase() === c.toLowerCase());
        if (!info) throw new Error(`unknown condition '${c}'`);
        return info.name;
      });
      step = { kind: 'register', spec: { name, entryPoint: entryPoint === '-' ? undefined : entryPoint, trigger, conditions, cancelOnConditionLoss: conditions.length > 0, isNetworkRequested: false } };
      break;
    }
    default:
      throw new Error(`unknown command '${cmd}' (type 'help')`);
  }
  await executeStep(host, step);
  return true;
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
      else if (cmd === 'advance') pool = ['15m', '30m', '1h', '1d'];
      else pool = [];
    }
    const hits = pool.filter((p) => p.toLowerCase().startsWith(last.toLowerCase()));
    return [hits, last];
  };
}

async function interactive(host: TaskHost, io: Io): Promise<number> {
  const tty = !!process.stdin.isTTY;
  const historyFile = path.join(os.homedir(), '.bgtask_host_history');
  let history: string[] = [];
  try {
    history = fs.readFileSync(historyFile, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 500);
  } catch {
    // no history yet
  }
  const rl = readline.createInterface({ input: process.stdin, output: tty ? process.stdout : undefined, terminal: tty, completer: completer(host), history, historySize: 500, prompt: 'bgtask> ' });
  if (tty) io.stdout(`bgtask host: ${host.registrations().length} registration(s), profile ${host.profile}. Type 'help'.\n`);
  host.warmUp();
  rl.prompt();
  let code = 0;
  for await (const line of rl) {
    try {
      if (!(await promptCommand(host, line, io.stdout))) break;
    } catch (error) {
      io.stderr(`error: ${(error as Error).message}\n`);
      if (!tty) code = 1;
    }
    if (line.trim()) {
      try {
        fs.appendFileSync(historyFile, line.trim() + '\n');
      } catch {
        // history is best effort
      }
    }
    rl.prompt();
  }
  rl.close();
  await host.idle();
  return code;
}
