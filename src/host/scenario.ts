// Scenarios (`*.bgscenario.json`, DESIGN.md "Scenario"): parsing with line numbers and name checks
// (unknown keys, triggers, conditions and reasons are errors with a position), and replay against a
// host with `expect` / `expectNot` steps that wait for the host to settle.
import { CANCELLATION_REASONS, PROFILES, systemConditionType, triggerClass, systemTriggerType } from '../core/model/catalog';
import type { ProfileId } from '../core/facts/types';
import { parseDuration } from './duration';
import { TaskHost } from './host';
import { JsonSyntaxError, parseWithPositions } from './jsonPositions';
import { coerceStateValue, resolveStateKey } from './state';
import type { HostLimits, SystemState, TraceEvent, TraceEventName } from './types';
import type { BuilderSpec } from './worker/windowsApi';

export class ScenarioError extends Error {
  constructor(readonly file: string, readonly line: number, readonly reason: string) {
    super(`${file}:${line}: ${reason}`);
  }
}

export type Step =
  | { kind: 'lifecycle'; action: 'launch' | 'suspend' | 'resume' | 'shutdown' }
  | { kind: 'fire'; trigger: string; details?: unknown }
  | { kind: 'set'; changes: Partial<SystemState> }
  | { kind: 'advance'; ms: number }
  | { kind: 'trigger'; task: string }
  | { kind: 'applicationTrigger'; task: string; arguments: Record<string, unknown> }
  | { kind: 'push'; task: string; payload: string }
  | { kind: 'register'; spec: BuilderSpec }
  | { kind: 'unregister'; task: string; cancel: boolean }
  | { kind: 'wait'; ms: number }
  | { kind: 'expect' | 'expectNot'; match: Record<string, unknown> };

export interface Scenario {
  profile?: ProfileId;
  state?: Partial<SystemState>;
  limits?: Partial<HostLimits>;
  timeScale?: number;
  /** The Windows 8/8.1 CPU quota model (HostOptions.cpuQuota, §4). */
  cpuQuota?: boolean;
  steps: Array<Step & { line: number; index: number }>;
}

const EVENTS: readonly TraceEventName[] = ['registered', 'unregistered', 'registration-failed', 'fired', 'latched', 'skipped', 'started', 'progress', 'completed', 'failed', 'canceled', 'delivered', 'lifecycle', 'state', 'log', 'expectation', 'suspended', 'resumed'];
const TOP_KEYS = ['$schema', 'description', 'profile', 'state', 'limits', 'timeScale', 'cpuQuota', 'steps'];
const LIMIT_KEYS = ['wallClockMs', 'applicationTriggerMs', 'deviceServicingMs', 'idleMs', 'cancelGraceMs', 'memoryMb', 'cpuQuotaLockScreenMs', 'cpuQuotaLockScreenPeriodMs', 'cpuQuotaMs', 'cpuQuotaPeriodMs', 'modeledCpuMs'];
const STEP_KEYS: Record<string, string[]> = {
  launch: [], lifecycle: [], fire: ['details'], set: [], advance: [], trigger: [], applicationTrigger: ['arguments'],
  push: ['payload'], register: [], unregister: ['cancel'], wait: [], expect: ['description'], expectNot: ['description'],
};

export function parseState(obj: unknown, where: (key?: string) => number, file: string): Partial<SystemState> {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new ScenarioError(file, where(), 'state must be an object');
  const out: Partial<SystemState> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = resolveStateKey(k);
    if (!key) throw new ScenarioError(file, where(k), `unknown state key '${k}'`);
    const c = coerceStateValue(key, v);
    if ('error' in c) throw new ScenarioError(file, where(k), c.error);
    (out as Record<string, unknown>)[key] = c.value;
  }
  return out;
}

export function parseTriggerText(text: string): BuilderSpec['trigger'] | undefined {
  const m = /^\s*(\w+)\s*(?:\(\s*([^)]*)\))?\s*$/.exec(text);
  if (!m) return undefined;
  const args = (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const st = systemTriggerType(m[1]);
  if (st) return { type: 'SystemTrigger', systemTriggerType: st.name, oneShot: args.includes('oneShot') || args.includes('true') };
  const cls = triggerClass(m[1]) ?? triggerClass(m[1] + 'Trigger');
  if (!cls) return undefined;
  if (cls.hasFreshness) return { type: cls.name, freshness: Number(args[0] ?? 15), oneShot: args.slice(1).some((a) => a === 'oneShot' || a === 'true') };
  return { type: cls.name };
}

export function parseScenario(text: string, file: string): Scenario {
  let parsed;
  try {
    parsed = parseWithPositions(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new ScenarioError(file, e.line, `invalid JSON: ${e.message} (column ${e.column})`);
    throw e;
  }
  const { value, lines } = parsed;
  const at = (p: string) => lines.get(p) ?? 1;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ScenarioError(file, 1, 'a scenario is a JSON object with "steps"');
  const root = value as Record<string, unknown>;
  for (const k of Object.keys(root)) if (!TOP_KEYS.includes(k)) throw new ScenarioError(file, at(`/${k}`), `unknown key '${k}' (expected ${TOP_KEYS.join(', ')})`);
  const sc: Scenario = { steps: [] };
  if (root.profile !== undefined) {
    if (!PROFILES.includes(root.profile as ProfileId)) throw new ScenarioError(file, at('/profile'), `unknown profile '${String(root.profile)}' (expected ${PROFILES.join(', ')})`);
    sc.profile = root.profile as ProfileId;
  }
  if (root.state !== undefined) sc.state = parseState(root.state, (k) => at(k ? `/state/${k}` : '/state'), file);
  if (root.limits !== undefined) {
    const l = root.limits as Record<string, unknown>;
    for (const [k, v] of Object.entries(l ?? {})) {
      if (!LIMIT_KEYS.includes(k)) throw new ScenarioError(file, at(`/limits/${k}`), `unknown limit '${k}' (expected ${LIMIT_KEYS.join(', ')})`);
      const ms = typeof v === 'string' && k !== 'memoryMb' ? parseDuration(v) : typeof v === 'number' ? v : undefined;
      if (ms === undefined) throw new ScenarioError(file, at(`/limits/${k}`), `${k} must be a number or a duration`);
      (sc.limits ??= {})[k as keyof HostLimits] = ms;
    }
  }
  if (root.timeScale !== undefined) {
    if (typeof root.timeScale !== 'number' || root.timeScale <= 0) throw new ScenarioError(file, at('/timeScale'), 'timeScale must be a positive number');
    sc.timeScale = root.timeScale;
  }
  if (root.cpuQuota !== undefined) {
    if (typeof root.cpuQuota !== 'boolean') throw new ScenarioError(file, at('/cpuQuota'), 'cpuQuota must be true or false');
    sc.cpuQuota = root.cpuQuota;
  }
  if (!Array.isArray(root.steps)) throw new ScenarioError(file, at('/steps'), '"steps" must be an array');
  root.steps.forEach((raw, index) => {
    const p = `/steps/${index}`;
    const line = at(p);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ScenarioError(file, line, `step ${index + 1} must be an object`);
    const s = raw as Record<string, unknown>;
    const kind = Object.keys(s).find((k) => k in STEP_KEYS);
    if (!kind) throw new ScenarioError(file, line, `step ${index + 1} has no action (expected one of ${Object.keys(STEP_KEYS).join(', ')})`);
    for (const k of Object.keys(s)) if (k !== kind && !STEP_KEYS[kind].includes(k)) throw new ScenarioError(file, at(`${p}/${k}`), `unknown key '${k}' in a '${kind}' step`);
    const v = s[kind];
    const kl = at(`${p}/${kind}`);
    const str = (what: string) => {
      if (typeof v !== 'string' || !v) throw new ScenarioError(file, kl, `'${kind}' needs ${what}`);
      return v;
    };
    let step: Step;
    switch (kind) {
      case 'launch':
        step = { kind: 'lifecycle', action: 'launch' };
        break;
      case 'lifecycle': {
        const a = str('launch, suspend, resume or shutdown');
        const action = a === 'terminate' ? 'shutdown' : a;
        if (!['launch', 'suspend', 'resume', 'shutdown'].includes(action)) throw new ScenarioError(file, kl, `unknown lifecycle action '${a}' (expected launch, suspend, resume, shutdown)`);
        step = { kind: 'lifecycle', action: action as 'launch' };
        break;
      }
      case 'fire': {
        const t = str('a trigger name');
        if (!TaskHost.resolveTrigger(t)) throw new ScenarioError(file, kl, `unknown trigger '${t}' (a SystemTriggerType member or a trigger class)`);
        step = { kind: 'fire', trigger: t, details: s.details };
        break;
      }
      case 'set':
        step = { kind: 'set', changes: parseState(v, (k) => at(k ? `${p}/set/${k}` : `${p}/set`), file) };
        break;
      case 'advance':
      case 'wait': {
        const ms = parseDuration(v as string);
        if (ms === undefined) throw new ScenarioError(file, kl, `'${kind}' needs a duration like "20m", "2h" or "45s", not ${JSON.stringify(v)}`);
        step = { kind, ms };
        break;
      }
      case 'trigger':
        step = { kind: 'trigger', task: str('a task name') };
        break;
      case 'applicationTrigger':
        step = { kind: 'applicationTrigger', task: str('a task name'), arguments: (s.arguments as Record<string, unknown>) ?? {} };
        break;
      case 'push':
        step = { kind: 'push', task: str('a task name'), payload: typeof s.payload === 'string' ? s.payload : JSON.stringify(s.payload ?? '') };
        break;
      case 'unregister':
        step = { kind: 'unregister', task: str('a task name'), cancel: s.cancel === true };
        break;
      case 'register':
        step = { kind: 'register', spec: parseRegisterSpec(v, (k) => (k ? at(`${p}/register/${k}`) : kl), file) };
        break;
      default: {
        if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ScenarioError(file, kl, `'${kind}' needs an object like {"event": "completed", "task": "X"}`);
        const m = v as Record<string, unknown>;
        if (m.event !== undefined && !EVENTS.includes(m.event as TraceEventName)) throw new ScenarioError(file, at(`${p}/${kind}/event`), `unknown event '${String(m.event)}' (expected ${EVENTS.join(', ')})`);
        if (m.reason !== undefined && !CANCELLATION_REASONS.includes(m.reason as never)) throw new ScenarioError(file, at(`${p}/${kind}/reason`), `unknown cancellation reason '${String(m.reason)}' (expected ${CANCELLATION_REASONS.join(', ')})`);
        if (m.trigger !== undefined && typeof m.trigger === 'string' && !TaskHost.resolveTrigger(m.trigger.replace(/\(.*$/, ''))) throw new ScenarioError(file, at(`${p}/${kind}/trigger`), `unknown trigger '${m.trigger}'`);
        if (Array.isArray(m.waitingFor)) for (const c of m.waitingFor) if (c !== 'ACPower' && !systemConditionType(String(c))) throw new ScenarioError(file, at(`${p}/${kind}/waitingFor`), `unknown condition '${String(c)}'`);
        step = { kind: kind as 'expect', match: m };
      }
    }
    sc.steps.push({ ...step, line, index });
  });
  return sc;
}

function parseRegisterSpec(v: unknown, at: (k?: string) => number, file: string): BuilderSpec {
  if (!v || typeof v !== 'object') throw new ScenarioError(file, at(), "'register' needs an object with name, entryPoint, trigger");
  const o = v as Record<string, unknown>;
  const allowed = ['name', 'entryPoint', 'trigger', 'conditions', 'cancelOnConditionLoss', 'isNetworkRequested', 'group'];
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new ScenarioError(file, at(k), `unknown key '${k}' in register (expected ${allowed.join(', ')})`);
  if (typeof o.name !== 'string') throw new ScenarioError(file, at(), 'register needs a "name"');
  let trigger: BuilderSpec['trigger'];
  if (o.trigger !== undefined) {
    trigger = typeof o.trigger === 'string' ? parseTriggerText(o.trigger) : (o.trigger as BuilderSpec['trigger']);
    if (!trigger || (trigger.type !== 'SystemTrigger' && !triggerClass(trigger.type))) throw new ScenarioError(file, at('trigger'), `unknown trigger ${JSON.stringify(o.trigger)}`);
  }
  const conditions = (Array.isArray(o.conditions) ? o.conditions : []).map((c) => {
    const info = systemConditionType(String(c));
    if (!info) throw new ScenarioError(file, at('conditions'), `unknown condition '${String(c)}'`);
    return info.name;
  });
  return {
    name: o.name,
    entryPoint: typeof o.entryPoint === 'string' ? o.entryPoint : undefined,
    trigger,
    conditions,
    cancelOnConditionLoss: o.cancelOnConditionLoss === true,
    isNetworkRequested: o.isNetworkRequested === true,
    group: typeof o.group === 'string' ? o.group : undefined,
  };
}

/** Does a trace event match an expectation? Strings are equal (error/why/text: contained), arrays contained. */
export function matches(ev: TraceEvent, m: Record<string, unknown>): boolean {
  for (const [k, want] of Object.entries(m)) {
    if (k === 'description') continue;
    const got = ev[k];
    if (Array.isArray(want)) {
      if (!Array.isArray(got) || !want.every((w) => got.includes(w))) return false;
    } else if (typeof want === 'string' && (k === 'error' || k === 'why' || k === 'text' || k === 'result')) {
      if (typeof got !== 'string' || !got.includes(want)) return false;
    } else if (want && typeof want === 'object') {
      if (!got || typeof got !== 'object' || !matches(got as TraceEvent, want as Record<string, unknown>)) return false;
    } else if (typeof want === 'string' && k === 'trigger' && typeof got === 'string') {
      if (got !== want && !got.startsWith(want + '(')) return false;
    } else if (got !== want) return false;
  }
  return true;
}

const settle = () => new Promise<void>((r) => setImmediate(() => setImmediate(r)));

/** Run one step (not expectations). Throws Error on a step the host refuses (unknown task...). */
export async function executeStep(host: TaskHost, step: Step): Promise<void> {
  switch (step.kind) {
    case 'lifecycle': host.lifecycle(step.action); break;
    case 'fire': host.fire(step.trigger, step.details ?? null); break;
    case 'set': host.setState(step.changes); break;
    case 'advance': host.advance(step.ms); break;
    case 'trigger': host.triggerTask(step.task); break;
    case 'applicationTrigger': host.applicationTrigger(step.task, step.arguments); break;
    case 'push': host.push(step.task, step.payload); break;
    case 'register': host.register(step.spec, 'command'); break;
    case 'unregister': host.unregister(step.task, step.cancel); break;
    case 'wait': await new Promise((r) => setTimeout(r, step.ms)); break;
    default: break;
  }
  await settle();
}

export interface ReplayResult {
  ok: boolean;
  failed?: { index: number; line: number; message: string };
}

/** Replay a scenario. Expectations look at the whole trace so far; `expect` waits for the host to go idle before failing. */
export async function replay(host: TaskHost, sc: Scenario, timeoutMs = 20_000): Promise<ReplayResult> {
  const trace: TraceEvent[] = [];
  const onTrace = (ev: TraceEvent) => trace.push(ev);
  host.on('trace', onTrace);
  try {
    for (const step of sc.steps) {
      if (step.kind === 'expect' || step.kind === 'expectNot') {
        const deadline = Date.now() + timeoutMs;
        let found = trace.find((ev) => matches(ev, step.match));
        while (step.kind === 'expect' && !found && Date.now() < deadline) {
          const before = trace.length;
          await Promise.race([host.idle().then(settle), new Promise((r) => setTimeout(r, 25))]);
          found = trace.find((ev) => matches(ev, step.match));
          // Instances suspended by the CPU quota (§4) wait for virtual time: nothing more will happen by waiting.
          if (!found && !host.running().some((r) => !r.suspended) && trace.length === before) break;
        }
        if (step.kind === 'expectNot') {
          await host.idle();
          await settle();
          found = trace.find((ev) => matches(ev, step.match));
        }
        const ok = step.kind === 'expect' ? !!found : !found;
        host.emit('trace', { t: host.clock.now(), event: 'expectation', ok, step: step.index + 1, line: step.line, [step.kind]: step.match });
        if (!ok) {
          const message = step.kind === 'expect' ? `expected ${JSON.stringify(step.match)} but no such event happened` : `expected no ${JSON.stringify(step.match)} but got ${JSON.stringify(found)}`;
          return { ok: false, failed: { index: step.index, line: step.line, message } };
        }
        continue;
      }
      try {
        await executeStep(host, step);
      } catch (error) {
        return { ok: false, failed: { index: step.index, line: step.line, message: (error as Error).message } };
      }
    }
    return { ok: true };
  } finally {
    host.off('trace', onTrace);
  }
}
