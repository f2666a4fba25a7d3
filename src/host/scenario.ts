// Scenarios (`*.bgscenario.json`, DESIGN.md "Scenario"): parsing on jsonc-parser with every value checked
// by type and position (file:line:col, exit 2 in the CLI), and replay against a host with `expect` /
// `expectNot` steps. The tables here also generate schemas/bgscenario.schema.json (scenarioSchema.ts).
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { CANCELLATION_REASONS, PROFILES, systemConditionType, systemTriggerType, triggerClass } from '../core/model/catalog';
import type { ProfileId } from '../core/facts/types';
import { MAX_TIMER_MS, parseDuration } from './duration';
import { TaskHost } from './host';
import { STATE_KEYS, coerceStateValue, resolveStateKey } from './state';
import { DEFAULT_LIMITS, type HostLimits, type SystemState, type TraceEvent, type TraceEventName } from './types';
import type { BuilderSpec } from './worker/windowsApi';

export class ScenarioError extends Error {
  constructor(readonly file: string, readonly line: number, readonly reason: string, readonly column = 1) {
    super(`${file}:${line}:${column}: ${reason}`);
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
  steps: Array<Step & { line: number; index: number; column?: number }>;
}

export const EVENTS: readonly TraceEventName[] = ['registered', 'unregistered', 'registration-failed', 'fired', 'latched', 'skipped', 'started', 'progress', 'completed', 'failed', 'canceled', 'delivered', 'lifecycle', 'state', 'log', 'expectation', 'suspended', 'resumed'];
export const TOP_KEYS = ['$schema', 'description', 'profile', 'state', 'limits', 'timeScale', 'cpuQuota', 'steps'] as const;
/** Limits in ms run as real timers (× timeScale) or on the virtual clock; memoryMb is a heap size. */
export const LIMIT_KEYS = ['wallClockMs', 'applicationTriggerMs', 'deviceServicingMs', 'idleMs', 'cancelGraceMs', 'memoryMb', 'cpuQuotaLockScreenMs', 'cpuQuotaLockScreenPeriodMs', 'cpuQuotaMs', 'cpuQuotaPeriodMs', 'modeledCpuMs'] as const;
/** Limits that may be 0 (no grace, a free modeled run); the others must be positive. */
const LIMITS_ZERO_OK: ReadonlySet<string> = new Set(['cancelGraceMs', 'modeledCpuMs']);
export const MAX_MEMORY_MB = 65_536;
export const MAX_TIME_SCALE = 1000;
/** `advance` moves the virtual clock: one year at most per step. */
export const MAX_ADVANCE_MS = 366 * 86_400_000;
/** `wait` is real time: ten minutes at most. */
export const MAX_WAIT_MS = 10 * 60_000;
/** TimeTrigger(UInt32 freshnessTime, ...) */
const MAX_UINT32 = 4_294_967_295;

/** Each step kind and the extra keys it takes beside its action key. */
export const STEP_KEYS: ReadonlyMap<string, readonly string[]> = new Map([
  ['launch', []], ['lifecycle', []], ['fire', ['details']], ['set', []], ['advance', []], ['wait', []], ['trigger', []],
  ['applicationTrigger', ['arguments']], ['push', ['payload']], ['register', []], ['unregister', ['cancel']],
  ['expect', ['description']], ['expectNot', ['description']],
]);
export const LIFECYCLE_ACTIONS = ['launch', 'suspend', 'resume', 'shutdown', 'terminate'] as const;
export const REGISTER_KEYS = ['name', 'entryPoint', 'trigger', 'conditions', 'cancelOnConditionLoss', 'isNetworkRequested', 'group'] as const;
export const TRIGGER_OBJECT_KEYS = ['type', 'systemTriggerType', 'freshness', 'oneShot'] as const;

/**
 * The fields of trace events an expectation may name (DESIGN.md "Trace"), with their JSON type. A key
 * outside this table is an error, so a misspelt key cannot make an `expectNot` pass vacuously.
 */
export const TRACE_FIELDS: ReadonlyMap<string, 'string' | 'number' | 'boolean' | 'string[]' | 'object'> = new Map([
  ['t', 'number'], ['event', 'string'], ['task', 'string'], ['taskId', 'string'], ['instanceId', 'string'],
  ['trigger', 'string'], ['via', 'string'], ['registrations', 'number'], ['waitingFor', 'string[]'], ['why', 'string'],
  ['runner', 'string'], ['progress', 'number'], ['error', 'string'], ['succeeded', 'boolean'], ['reason', 'string'],
  ['what', 'string'], ['result', 'string'], ['queued', 'boolean'], ['state', 'string'], ['action', 'string'],
  ['changes', 'object'], ['text', 'string'], ['level', 'string'], ['cancelTask', 'boolean'], ['conditions', 'string[]'],
  ['group', 'string'], ['source', 'string'], ['visualStudioCanFire', 'boolean'], ['suspendedCount', 'number'],
  ['cpuUsedMs', 'number'], ['quotaMs', 'number'], ['periodMs', 'number'], ['resumeAt', 'number'], ['ok', 'boolean'],
  ['step', 'number'], ['line', 'number'], ['registeredBy', 'string'], ['onDemand', 'boolean'], ['pid', 'number'],
]);
/** Expectation fields matched by "contains" rather than equality. */
const CONTAINS_FIELDS: ReadonlySet<string> = new Set(['error', 'why', 'text', 'result']);

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** 1-based line and column of an offset; the line starts are found once, so each lookup is O(log n). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  at(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo] + 1 };
  }
}

const PARSE_ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected character', InvalidNumberFormat: 'invalid number', PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value', ColonExpected: "expected ':'", CommaExpected: "expected ','", CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'", EndOfFileExpected: 'unexpected text after the JSON value', InvalidCommentToken: 'comments are not allowed in a scenario',
  UnexpectedEndOfComment: 'unterminated comment', UnexpectedEndOfString: 'unterminated string', UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape', InvalidEscapeCharacter: 'invalid escape character', InvalidCharacter: 'invalid character in a string (control characters must be escaped)',
};

/** A short description of a JSON node for messages: `null`, `a number (12)`, `"abc"`, `an object`. */
function shown(n: Node): string {
  switch (n.type) {
    case 'null': return 'null';
    case 'string': return JSON.stringify(String(n.value).length > 60 ? String(n.value).slice(0, 57) + '...' : n.value);
    case 'number': return `the number ${n.value}`;
    case 'boolean': return String(n.value);
    case 'array': return 'an array';
    default: return 'an object';
  }
}

/** The JSON value of a node, built as JSON.parse builds it (a "__proto__" key is an own property). */
export function jsonValue(n: Node): unknown {
  switch (n.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of n.children ?? []) {
        const [k, v] = p.children ?? [];
        if (k && v) Object.defineProperty(o, String(k.value), { value: jsonValue(v), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
    case 'array': return (n.children ?? []).map(jsonValue);
    default: return n.value;
  }
}

/** A trigger name as a user writes it, resolved against the catalog; prototype keys never resolve. */
export function resolveTriggerName(name: string): { key: string; label: string } | undefined {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) return undefined;
  const bare = name.replace(/Trigger$/i, '').toLowerCase();
  if (bare in Object.prototype || name.toLowerCase() in Object.prototype) return undefined;
  try {
    return TaskHost.resolveTrigger(name);
  } catch {
    return undefined;
  }
}

class Parser {
  readonly lines: LineIndex;
  constructor(readonly text: string, readonly file: string) {
    this.lines = new LineIndex(text);
  }

  fail(at: Node | number, reason: string): never {
    const { line, column } = this.lines.at(typeof at === 'number' ? at : at.offset);
    throw new ScenarioError(this.file, line, reason, column);
  }

  /** The properties of an object node, by key; duplicate keys are errors. */
  props(n: Node, what: string): Map<string, { key: Node; value: Node }> {
    if (n.type !== 'object') this.fail(n, `${what} must be an object, not ${shown(n)}`);
    const out = new Map<string, { key: Node; value: Node }>();
    for (const p of n.children ?? []) {
      const [key, value] = p.children ?? [];
      if (!key || !value) this.fail(p, `${what}: a property has no value`);
      const k = String(key.value);
      if (out.has(k)) this.fail(key, `duplicate key '${k}' in ${what}`);
      out.set(k, { key, value });
    }
    return out;
  }

  unknownKeys(props: Map<string, { key: Node }>, allowed: readonly string[], what: string): void {
    for (const [k, { key }] of props) if (!allowed.includes(k)) this.fail(key, `unknown key '${k}' in ${what} (expected ${allowed.join(', ')})`);
  }

  string(n: Node, what: string, max = 10_000): string {
    if (n.type !== 'string' || !n.value) this.fail(n, `${what} must be a non-empty string, not ${shown(n)}`);
    if ((n.value as string).length > max) this.fail(n, `${what} is longer than ${max} characters`);
    return n.value as string;
  }

  boolean(n: Node, what: string): boolean {
    if (n.type !== 'boolean') this.fail(n, `${what} must be true or false, not ${shown(n)}`);
    return n.value as boolean;
  }

  /** A duration ("20m", "1h30m", "500ms") or a number of ms, whole ms, within [min, max]. */
  duration(n: Node, what: string, min: number, max: number): number {
    const ms = n.type === 'string' || n.type === 'number' ? parseDuration(n.value as string | number) : undefined;
    if (ms === undefined) this.fail(n, `${what} needs a duration like "20m", "2h", "45s" or "500ms" (or a number of ms), not ${shown(n)}`);
    const whole = Math.round(ms);
    if (whole < min) this.fail(n, `${what} must be ${min === 0 ? 'at least 0' : 'at least 1 ms'}, not ${shown(n)}`);
    if (whole > max) this.fail(n, `${what} must be at most ${formatMs(max)}, not ${shown(n)}`);
    return whole;
  }

  state(n: Node, what: string): Partial<SystemState> {
    const out: Partial<SystemState> = {};
    for (const [k, { key, value }] of this.props(n, what)) {
      const sk = resolveStateKey(k);
      if (!sk) this.fail(key, `unknown state key '${k}' (expected ${STATE_KEYS.join(', ')})`);
      const c = coerceStateValue(sk, value.type === 'object' || value.type === 'array' ? jsonValue(value) : value.value, true);
      if ('error' in c) this.fail(value, c.error);
      (out as Record<string, unknown>)[sk] = c.value;
    }
    return out;
  }

  limits(n: Node): Partial<HostLimits> {
    const out: Partial<HostLimits> = {};
    for (const [k, { key, value }] of this.props(n, '"limits"')) {
      if (!(LIMIT_KEYS as readonly string[]).includes(k)) this.fail(key, `unknown limit '${k}' (expected ${LIMIT_KEYS.join(', ')})`);
      if (k === 'memoryMb') {
        if (value.type !== 'number' || !Number.isInteger(value.value) || value.value < 1 || value.value > MAX_MEMORY_MB)
          this.fail(value, `memoryMb must be a whole number of MB from 1 to ${MAX_MEMORY_MB}, not ${shown(value)}`);
        out.memoryMb = value.value as number;
      } else out[k as keyof HostLimits] = this.duration(value, k, LIMITS_ZERO_OK.has(k) ? 0 : 1, MAX_TIMER_MS);
    }
    return out;
  }

  trigger(n: Node, what: string): NonNullable<BuilderSpec['trigger']> {
    if (n.type === 'string') {
      const r = parseTriggerText(n.value as string);
      if ('error' in r) this.fail(n, r.error);
      return r.trigger;
    }
    const p = this.props(n, what);
    this.unknownKeys(p, TRIGGER_OBJECT_KEYS, what);
    const type = p.get('type');
    if (!type) this.fail(n, `${what} needs a "type" (a trigger class such as TimeTrigger, or SystemTrigger)`);
    const cls = triggerClass(this.string(type.value, 'the trigger type', 200));
    if (!cls) this.fail(type.value, `unknown trigger class ${shown(type.value)}`);
    const t: NonNullable<BuilderSpec['trigger']> = { type: cls.name };
    const st = p.get('systemTriggerType');
    if (cls.name === 'SystemTrigger') {
      if (!st) this.fail(n, 'a SystemTrigger needs a "systemTriggerType" (a SystemTriggerType member such as TimeZoneChange)');
      const info = systemTriggerType(this.string(st.value, 'systemTriggerType', 200));
      if (!info) this.fail(st.value, `unknown SystemTriggerType ${shown(st.value)}`);
      t.systemTriggerType = info.name;
    } else if (st) this.fail(st.key, `"systemTriggerType" belongs to a SystemTrigger, not a ${cls.name}`);
    const fr = p.get('freshness');
    if (fr) {
      if (!cls.hasFreshness) this.fail(fr.key, `"freshness" belongs to a TimeTrigger or MaintenanceTrigger, not a ${cls.name}`);
      t.freshness = freshness(fr.value.type === 'number' ? (fr.value.value as number) : NaN) ?? this.fail(fr.value, `freshness must be a whole number of minutes (UInt32), not ${shown(fr.value)}`);
    } else if (cls.hasFreshness) this.fail(n, `a ${cls.name} needs a "freshness" in minutes`);
    const os = p.get('oneShot');
    if (os) t.oneShot = this.boolean(os.value, 'oneShot');
    else if (cls.hasFreshness || cls.name === 'SystemTrigger') t.oneShot = false;
    return t;
  }

  register(n: Node): BuilderSpec {
    const p = this.props(n, "'register'");
    this.unknownKeys(p, REGISTER_KEYS, 'register');
    const name = p.get('name');
    if (!name) this.fail(n, 'register needs a "name"');
    const spec: BuilderSpec = { name: this.string(name.value, 'the registration name', 256), conditions: [], cancelOnConditionLoss: false, isNetworkRequested: false };
    const ep = p.get('entryPoint');
    if (ep) spec.entryPoint = this.string(ep.value, 'entryPoint', 1000);
    const tr = p.get('trigger');
    if (tr) spec.trigger = this.trigger(tr.value, 'the trigger');
    const conds = p.get('conditions');
    if (conds) {
      if (conds.value.type !== 'array') this.fail(conds.value, `conditions must be an array of SystemConditionType names, not ${shown(conds.value)}`);
      for (const c of conds.value.children ?? []) {
        const info = c.type === 'string' ? systemConditionType(c.value as string) : undefined;
        if (!info) this.fail(c, `unknown condition ${c.type === 'string' ? `'${c.value}'` : shown(c)} (a SystemConditionType member such as InternetAvailable)`);
        spec.conditions.push(info.name);
      }
    }
    for (const k of ['cancelOnConditionLoss', 'isNetworkRequested'] as const) {
      const v = p.get(k);
      if (v) spec[k] = this.boolean(v.value, k);
    }
    const g = p.get('group');
    if (g) spec.group = this.string(g.value, 'group', 256);
    return spec;
  }

  expectation(n: Node, kind: string): Record<string, unknown> {
    const p = this.props(n, `'${kind}'`);
    if (!p.size) this.fail(n, `'${kind}' needs at least one field, like {"event": "completed", "task": "X"}`);
    const out: Record<string, unknown> = {};
    for (const [k, { key, value }] of p) {
      if (k === 'description') {
        this.string(value, 'description');
        continue;
      }
      const type = TRACE_FIELDS.get(k);
      if (!type) this.fail(key, `unknown trace field '${k}' in '${kind}' (expected ${[...TRACE_FIELDS.keys()].join(', ')})`);
      const ok = type === 'string[]' ? value.type === 'array' && (value.children ?? []).every((c) => c.type === 'string') : value.type === type;
      if (!ok) this.fail(value, `'${k}' must be ${type === 'string[]' ? 'an array of strings' : `a ${type}`}, not ${shown(value)}`);
      const v = jsonValue(value);
      if (k === 'event' && !EVENTS.includes(v as TraceEventName)) this.fail(value, `unknown event '${String(v)}' (expected ${EVENTS.join(', ')})`);
      if (k === 'reason' && !(CANCELLATION_REASONS as readonly string[]).includes(v as string)) this.fail(value, `unknown cancellation reason '${String(v)}' (expected ${CANCELLATION_REASONS.join(', ')})`);
      if (k === 'trigger' && !resolveTriggerName(v as string) && 'error' in parseTriggerText(v as string)) this.fail(value, `unknown trigger '${String(v)}'`);
      if (k === 'waitingFor' || k === 'conditions')
        (value.children ?? []).forEach((c) => {
          if (c.value !== 'ACPower' && !systemConditionType(c.value as string)) this.fail(c, `unknown condition '${String(c.value)}'`);
        });
      out[k] = v;
    }
    return out;
  }

  step(n: Node, index: number): Step & { line: number; index: number; column: number } {
    const { line, column } = this.lines.at(n.offset);
    const what = `step ${index + 1}`;
    if (n.type !== 'object') this.fail(n, `${what} must be an object like {"fire": "TimeZoneChange"}, not ${shown(n)}`);
    const p = this.props(n, what);
    const actions = [...p.keys()].filter((k) => STEP_KEYS.has(k));
    if (!actions.length) {
      const first = p.values().next().value;
      this.fail(first ? first.key : n, `${what} has no action${first ? ` ('${String(first.key.value)}' is not one)` : ''} (expected one of ${[...STEP_KEYS.keys()].join(', ')})`);
    }
    if (actions.length > 1) this.fail(p.get(actions[1])!.key, `${what} has two actions, '${actions[0]}' and '${actions[1]}' (one per step)`);
    const kind = actions[0];
    const extra = STEP_KEYS.get(kind)!;
    for (const [k, { key }] of p) if (k !== kind && !extra.includes(k)) this.fail(key, `unknown key '${k}' in a '${kind}' step${extra.length ? ` (expected ${extra.join(', ')})` : ''}`);
    const v = p.get(kind)!.value;
    const opt = (k: string) => p.get(k)?.value;
    let step: Step;
    switch (kind) {
      case 'launch':
        if (v.type !== 'object' || v.children?.length) this.fail(v, `'launch' takes an empty object: {"launch": {}}, not ${shown(v)}`);
        step = { kind: 'lifecycle', action: 'launch' };
        break;
      case 'lifecycle': {
        const a = this.string(v, "'lifecycle'", 50);
        if (!(LIFECYCLE_ACTIONS as readonly string[]).includes(a)) this.fail(v, `unknown lifecycle action '${a}' (expected ${LIFECYCLE_ACTIONS.join(', ')})`);
        step = { kind: 'lifecycle', action: a === 'terminate' ? 'shutdown' : (a as 'launch') };
        break;
      }
      case 'fire': {
        const t = this.string(v, "'fire'", 200);
        if (!resolveTriggerName(t)) this.fail(v, `unknown trigger '${t}' (a SystemTriggerType member such as TimeZoneChange, or a trigger class such as MaintenanceTrigger)`);
        const d = opt('details');
        step = { kind: 'fire', trigger: t, details: d ? jsonValue(d) : undefined };
        break;
      }
      case 'set':
        step = { kind: 'set', changes: this.state(v, "'set'") };
        break;
      case 'advance':
        step = { kind, ms: this.duration(v, "'advance'", 1, MAX_ADVANCE_MS) };
        break;
      case 'wait':
        step = { kind, ms: this.duration(v, "'wait'", 0, MAX_WAIT_MS) };
        break;
      case 'trigger':
        step = { kind: 'trigger', task: this.string(v, "'trigger' (a registration name)", 256) };
        break;
      case 'applicationTrigger': {
        const a = opt('arguments');
        const args: Record<string, unknown> = {};
        if (a)
          for (const [k, { value }] of this.props(a, '"arguments"')) {
            if (value.type === 'object' || value.type === 'array' || value.type === 'null') this.fail(value, `argument '${k}' must be a string, number or boolean (a ValueSet value), not ${shown(value)}`);
            Object.defineProperty(args, k, { value: value.value, enumerable: true, writable: true, configurable: true });
          }
        step = { kind: 'applicationTrigger', task: this.string(v, "'applicationTrigger' (a registration name)", 256), arguments: args };
        break;
      }
      case 'push': {
        const pl = opt('payload');
        step = { kind: 'push', task: this.string(v, "'push' (a registration name)", 256), payload: !pl ? '' : pl.type === 'string' ? (pl.value as string) : JSON.stringify(jsonValue(pl)) };
        break;
      }
      case 'unregister': {
        const c = opt('cancel');
        step = { kind: 'unregister', task: this.string(v, "'unregister' (a registration name)", 256), cancel: c ? this.boolean(c, 'cancel') : false };
        break;
      }
      case 'register':
        step = { kind: 'register', spec: this.register(v) };
        break;
      default: {
        const d = opt('description');
        if (d) this.string(d, 'description');
        step = { kind: kind as 'expect', match: this.expectation(v, kind) };
      }
    }
    return Object.assign(step, { line, index, column });
  }

  scenario(): Scenario {
    const errors: ParseError[] = [];
    // A BOM is blanked (same length) so offsets stay those of the file.
    const root = parseTree(this.text.replace(/^\uFEFF/, ' '), errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    if (errors.length) this.fail(errors[0].offset, `invalid JSON: ${PARSE_ERRORS[printParseErrorCode(errors[0].error)] ?? printParseErrorCode(errors[0].error)}`);
    if (!root) this.fail(0, 'invalid JSON: the file is empty');
    if (root.type !== 'object') this.fail(root, `a scenario is a JSON object with "steps", not ${shown(root)}`);
    const p = this.props(root, 'the scenario');
    this.unknownKeys(p, TOP_KEYS, 'the scenario');
    const sc: Scenario = { steps: [] };
    for (const k of ['$schema', 'description'] as const) {
      const v = p.get(k);
      if (v && v.value.type !== 'string') this.fail(v.value, `"${k}" must be a string, not ${shown(v.value)}`);
    }
    const profile = p.get('profile');
    if (profile) {
      if (!PROFILES.includes(profile.value.value)) this.fail(profile.value, `unknown profile ${shown(profile.value)} (expected ${PROFILES.join(', ')})`);
      sc.profile = profile.value.value as ProfileId;
    }
    const state = p.get('state');
    if (state) sc.state = this.state(state.value, '"state"');
    const limits = p.get('limits');
    if (limits) sc.limits = this.limits(limits.value);
    const ts = p.get('timeScale');
    if (ts) {
      const v = ts.value;
      if (v.type !== 'number' || !(v.value > 0) || v.value > MAX_TIME_SCALE) this.fail(v, `timeScale must be a number above 0 and at most ${MAX_TIME_SCALE}, not ${shown(v)}`);
      sc.timeScale = v.value as number;
    }
    // Real-time limits are timers of limit × timeScale ms; Node fires a timer over 2^31-1 ms after 1 ms.
    const scale = sc.timeScale ?? 1;
    for (const k of ['wallClockMs', 'applicationTriggerMs', 'deviceServicingMs', 'idleMs', 'cancelGraceMs'] as const) {
      const ms = sc.limits?.[k] ?? DEFAULT_LIMITS[k];
      if (ms * scale > MAX_TIMER_MS) this.fail(limits?.value.children?.find((c) => c.children?.[0].value === k) ?? ts!.value, `${k} × timeScale is ${formatMs(ms * scale)} of real time, more than the ${formatMs(MAX_TIMER_MS)} a timer can wait`);
    }
    const cq = p.get('cpuQuota');
    if (cq) sc.cpuQuota = this.boolean(cq.value, 'cpuQuota');
    const steps = p.get('steps');
    if (!steps) this.fail(root, 'a scenario needs "steps" (an array)');
    if (steps.value.type !== 'array') this.fail(steps.value, `"steps" must be an array, not ${shown(steps.value)}`);
    (steps.value.children ?? []).forEach((s, i) => sc.steps.push(this.step(s, i)));
    return sc;
  }
}

function formatMs(ms: number): string {
  if (ms >= 86_400_000) return `${Math.round((ms / 86_400_000) * 10) / 10} days`;
  if (ms >= 60_000) return `${Math.round((ms / 60_000) * 10) / 10} min`;
  return `${ms} ms`;
}

function freshness(n: number): number | undefined {
  return Number.isInteger(n) && n >= 0 && n <= MAX_UINT32 ? n : undefined;
}

/** Parse a scenario; throws ScenarioError (file, line, column, reason) on anything that is wrong. */
export function parseScenario(text: string, file: string): Scenario {
  return new Parser(text, file).scenario();
}

/** Validate a state object given as a value (debug launch configs, the prompt). `where` gives a line for a key. */
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

/**
 * A trigger as text, in the form `describeTrigger` prints and the prompt takes: `TimeZoneChange`,
 * `SystemTrigger(TimeZoneChange, oneShot)`, `TimeTrigger(15, oneShot)`, `MaintenanceTrigger(30)`,
 * `ApplicationTrigger`. Spaces inside the parentheses are allowed.
 */
export function parseTriggerText(text: string): { trigger: NonNullable<BuilderSpec['trigger']> } | { error: string } {
  const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(?:\(([^()]*)\))?\s*$/.exec(text);
  const usage = `'${text.length > 80 ? text.slice(0, 77) + '...' : text}' is not a trigger (expected e.g. TimeZoneChange, SystemTrigger(TimeZoneChange, oneShot), TimeTrigger(15, oneShot), MaintenanceTrigger(30), ApplicationTrigger)`;
  if (!m) return { error: usage };
  const args = m[2] === undefined ? [] : m[2].split(',').map((s) => s.trim());
  if (args.length === 1 && args[0] === '') args.length = 0;
  if (args.some((a) => a === '')) return { error: usage };
  const oneShot = (rest: string[]): boolean | string => {
    if (rest.length > 1) return `too many arguments in '${text.trim()}'`;
    if (!rest.length || rest[0] === 'false') return false;
    if (rest[0] === 'oneShot' || rest[0] === 'true') return true;
    return `'${rest[0]}' is not oneShot, true or false`;
  };
  const name = m[1];
  if (name.toLowerCase() === 'systemtrigger') {
    const st = args[0] !== undefined ? systemTriggerType(args[0]) : undefined;
    if (!st) return { error: `SystemTrigger needs a SystemTriggerType member, as in SystemTrigger(TimeZoneChange)${args[0] ? `; '${args[0]}' is not one` : ''}` };
    const os = oneShot(args.slice(1));
    return typeof os === 'string' ? { error: os } : { trigger: { type: 'SystemTrigger', systemTriggerType: st.name, oneShot: os } };
  }
  const st = systemTriggerType(name);
  if (st) {
    const os = oneShot(args);
    return typeof os === 'string' ? { error: os } : { trigger: { type: 'SystemTrigger', systemTriggerType: st.name, oneShot: os } };
  }
  const cls = triggerClass(name) ?? triggerClass(name + 'Trigger');
  if (!cls) return { error: `unknown trigger '${name}' (a SystemTriggerType member such as TimeZoneChange, or a trigger class such as TimeTrigger)` };
  if (cls.name === 'SystemTrigger') return { error: usage };
  if (cls.hasFreshness) {
    const f = args.length ? freshness(Number(args[0])) : 15;
    if (f === undefined || !/^\d+$/.test(args[0] ?? '15')) return { error: `${cls.name} needs a freshness in whole minutes, as in ${cls.name}(15); '${args[0]}' is not one` };
    const os = oneShot(args.slice(1));
    return typeof os === 'string' ? { error: os } : { trigger: { type: cls.name, freshness: f, oneShot: os } };
  }
  if (args.length) return { error: `${cls.name} takes no arguments here` };
  return { trigger: { type: cls.name } };
}

/** Does a trace event match an expectation? Strings are equal (error/why/text/result: contained), arrays contained. */
export function matches(ev: TraceEvent, m: Record<string, unknown>): boolean {
  for (const [k, want] of Object.entries(m)) {
    if (k === 'description') continue;
    const got = own(ev, k) ? ev[k] : undefined;
    if (Array.isArray(want)) {
      if (!Array.isArray(got) || !want.every((w) => got.includes(w))) return false;
    } else if (typeof want === 'string' && CONTAINS_FIELDS.has(k)) {
      if (typeof got !== 'string' || !got.includes(want)) return false;
    } else if (want && typeof want === 'object') {
      if (!got || typeof got !== 'object' || !matches(got as TraceEvent, want as Record<string, unknown>)) return false;
    } else if (typeof want === 'string' && k === 'trigger' && typeof got === 'string') {
      if (got !== want && !got.startsWith(want + '(')) return false;
    } else if (got !== want) return false;
  }
  return true;
}

/** What replay needs of a host beyond TaskHost's long-standing API (the lead adds settle/cancelAll). */
type Settling = { settle?: () => Promise<void> | void };

const turn = () => new Promise<void>((r) => setImmediate(() => setImmediate(r)));

/** Let the host finish what a step started: its own settle() when it has one, then a turn of the loop. */
export async function settleHost(host: TaskHost): Promise<void> {
  await (host as TaskHost & Settling).settle?.();
  await turn();
}

/** Run one step (not expectations). Throws Error on a step the host refuses (unknown task...). */
export async function executeStep(host: TaskHost, step: Step): Promise<void> {
  switch (step.kind) {
    case 'lifecycle': await host.lifecycle(step.action); break;
    case 'fire': await host.fire(step.trigger, step.details ?? null); break;
    case 'set': await host.setState(step.changes); break;
    case 'advance': await host.advance(step.ms); break;
    case 'trigger': await host.triggerTask(step.task); break;
    case 'applicationTrigger': await host.applicationTrigger(step.task, step.arguments); break;
    case 'push': await host.push(step.task, step.payload); break;
    case 'register': await host.register(step.spec, 'command'); break;
    case 'unregister': await host.unregister(step.task, step.cancel); break;
    case 'wait': await new Promise((r) => setTimeout(r, step.ms)); break;
    default: break;
  }
  await settleHost(host);
}

export interface ReplayResult {
  ok: boolean;
  /** Expectations that held, and how many the scenario has. */
  passed: number;
  total: number;
  failed?: { index: number; line: number; message: string };
  /** Replay stopped early because `signal` was aborted (the output went away). */
  aborted?: boolean;
}

export interface ReplayOptions {
  /** Real ms an `expect` waits for its event when the host has no settle(). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** "3 of 3 expectations passed" or "2 of 5 expectations passed; step 4 failed: ..." */
export function summary(r: ReplayResult): string {
  const head = `${r.passed} of ${r.total} expectation${r.total === 1 ? '' : 's'} passed`;
  return r.failed ? `${head}; step ${r.failed.index + 1} failed: ${r.failed.message}` : head;
}

/** Replay a scenario. Expectations look at the whole trace so far; `expect` waits for the host to go idle before failing. */
export async function replay(host: TaskHost, sc: Scenario, options: number | ReplayOptions = {}): Promise<ReplayResult> {
  const { timeoutMs = 20_000, signal } = typeof options === 'number' ? { timeoutMs: options } : options;
  const trace: TraceEvent[] = [];
  const onTrace = (ev: TraceEvent) => trace.push(ev);
  const total = sc.steps.filter((s) => s.kind === 'expect' || s.kind === 'expectNot').length;
  let passed = 0;
  host.on('trace', onTrace);
  try {
    for (const step of sc.steps) {
      if (signal?.aborted) return { ok: false, passed, total, aborted: true };
      if (step.kind === 'expect' || step.kind === 'expectNot') {
        await settleHost(host);
        const deadline = Date.now() + timeoutMs;
        let found = trace.find((ev) => matches(ev, step.match));
        while (step.kind === 'expect' && !found && Date.now() < deadline && !signal?.aborted) {
          const before = trace.length;
          await Promise.race([Promise.resolve(host.idle()).then(() => settleHost(host)), new Promise((r) => setTimeout(r, 25))]);
          found = trace.find((ev) => matches(ev, step.match));
          // Instances suspended by the CPU quota (§4) wait for virtual time: nothing more will happen by waiting.
          if (!found && !host.running().some((r) => !r.suspended) && trace.length === before) break;
        }
        if (step.kind === 'expectNot') {
          await host.idle();
          await settleHost(host);
          found = trace.find((ev) => matches(ev, step.match));
        }
        const ok = step.kind === 'expect' ? !!found : !found;
        host.emit('trace', { t: host.clock.now(), event: 'expectation', ok, step: step.index + 1, line: step.line, [step.kind]: step.match });
        if (!ok) {
          const message = step.kind === 'expect' ? `expected ${JSON.stringify(step.match)} but no such event happened` : `expected no ${JSON.stringify(step.match)} but got ${JSON.stringify(found)}`;
          return { ok: false, passed, total, failed: { index: step.index, line: step.line, message } };
        }
        passed++;
        continue;
      }
      try {
        await executeStep(host, step);
      } catch (error) {
        return { ok: false, passed, total, failed: { index: step.index, line: step.line, message: oneLine(error) } };
      }
    }
    return { ok: true, passed, total };
  } finally {
    host.off('trace', onTrace);
  }
}

/** The first line of an error's message (prompt and replay errors are one line). */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(/\r?\n/)[0] || (error instanceof Error ? error.name : 'error');
}
