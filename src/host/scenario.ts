// Scenarios (`*.bgscenario.json`, DESIGN.md "Scenario"): parsing on jsonc-parser with every value checked
// by type and position (file:line:col, exit 2 in the CLI), and replay against a host with `expect` /
// `expectNot` steps. The tables here also generate schemas/bgscenario.schema.json (scenarioSchema.ts).
import { findNodeAtLocation, parseTree, printParseErrorCode, visit, type Node, type ParseOptions } from 'jsonc-parser';
import { CANCELLATION_REASONS, PROFILES, systemConditionType, systemTriggerType, triggerClass } from '../core/model/catalog';
import type { ProfileId } from '../core/facts/types';
import { MAX_TIMER_MS, parseDuration } from './duration';
import { TaskHost } from './host';
import { STATE_KEYS, coerceStateValue, resolveStateKey } from './state';
import { DEFAULT_LIMITS, type HostLimits, type SystemState, type TraceEvent, type TraceEventName } from './types';
import type { BuilderSpec } from './worker/windowsApi';

/** Control characters (a newline in a key, say) escaped as in JSON, so a message stays one line. */
export function printable(text: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export class ScenarioError extends Error {
  readonly reason: string;
  constructor(readonly file: string, readonly line: number, reason: string, readonly column = 1) {
    super(`${file}:${line}:${column}: ${printable(reason)}`);
    this.reason = printable(reason);
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
  /** `"register": "Name"`: run the app's own registration code for Name, as its button would (on demand). */
  | { kind: 'registerOnDemand'; name: string }
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
  private readonly starts: Int32Array;
  constructor(readonly text: string) {
    // Counted first, then filled: a typed array, as a growing number[] cost ~20x more on 300,000 lines.
    let n = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
    this.starts = new Int32Array(n);
    n = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts[n++] = i + 1;
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

/** A short description of a JSON value for messages: `null`, `the number 12`, `"abc"`, `an object`. */
function shown(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

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

const JSON_OPTIONS: ParseOptions = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

type Path = Array<string | number>;

/**
 * One pass of jsonc-parser's visitor over the text, holding no tree: the first syntax error, the
 * first duplicate key, and where each element of the top-level "steps" array starts. Values come
 * from JSON.parse; the position of anything else wrong is looked up only then (offsetOf). A tree of a
 * 32,000-step file cost several times the whole parse in garbage collection.
 */
function scan(text: string): { error?: { code: number; offset: number }; duplicate?: { key: string; offset: number; path: Path }; steps: number[] } {
  let error: { code: number; offset: number } | undefined;
  let duplicate: { key: string; offset: number; path: Path } | undefined;
  const keys: string[][] = [];
  let depth = 0;
  let topKey: string | undefined;
  let inSteps = false;
  let stepsSeen = false;
  const steps: number[] = [];
  const begin = (offset: number) => {
    if (inSteps && depth === 2) steps.push(offset);
    depth++;
  };
  visit(
    text,
    {
      onObjectBegin: (offset) => {
        begin(offset);
        keys.push([]);
      },
      onObjectEnd: () => {
        depth--;
        keys.pop();
      },
      onObjectProperty: (prop, offset, _l, _sl, _sc, pathSupplier) => {
        if (depth === 1) topKey = prop;
        const seen = keys[keys.length - 1];
        if (!seen) return;
        if (seen.includes(prop)) duplicate ??= { key: prop, offset, path: pathSupplier() };
        else seen.push(prop);
      },
      onArrayBegin: (offset) => {
        if (depth === 1 && topKey === 'steps' && !stepsSeen) {
          inSteps = stepsSeen = true;
          depth++;
        } else begin(offset);
      },
      onArrayEnd: () => {
        depth--;
        if (inSteps && depth === 1) inSteps = false;
      },
      onLiteralValue: (_v, offset) => {
        if (inSteps && depth === 2) steps.push(offset);
      },
      onError: (code, offset) => {
        error ??= { code, offset };
      },
    },
    JSON_OPTIONS,
  );
  return { error, duplicate, steps };
}

class Parser {
  readonly lines: LineIndex;
  /** The whole file as a tree, built only to place an error. */
  private tree?: Node | null;
  constructor(readonly text: string, readonly file: string) {
    this.lines = new LineIndex(text);
  }

  /** Where the value at `path` (or its key, `onKey`) starts; the nearest ancestor when it is not there. */
  offsetOf(path: Path, onKey = false): number {
    if (this.tree === undefined) this.tree = parseTree(this.text.replace(/^\uFEFF/, ' '), [], JSON_OPTIONS) ?? null;
    if (!this.tree) return 0;
    const node = findNodeAtLocation(this.tree, path);
    if (!node) return path.length ? this.offsetOf(path.slice(0, -1)) : 0;
    if (onKey && node.parent?.type === 'property' && node.parent.children?.[0]) return node.parent.children[0].offset;
    return node.offset;
  }

  fail(at: Path | number, reason: string, onKey = false): never {
    const { line, column } = this.lines.at(typeof at === 'number' ? at : this.offsetOf(at, onKey));
    throw new ScenarioError(this.file, line, reason, column);
  }

  /** The keys of an object value (own keys, as JSON.parse made them: "__proto__" included). */
  keys(v: unknown, at: Path, what: string): string[] {
    if (!isObject(v)) this.fail(at, `${what} must be an object, not ${shown(v)}`);
    return Object.keys(v);
  }

  unknownKeys(v: Record<string, unknown>, at: Path, allowed: readonly string[], what: string): void {
    for (const k of Object.keys(v)) if (!allowed.includes(k)) this.fail([...at, k], `unknown key '${k}' in ${what} (expected ${allowed.join(', ')})`, true);
  }

  string(v: unknown, at: Path, what: string, max = 10_000): string {
    if (typeof v !== 'string' || !v) this.fail(at, `${what} must be a non-empty string, not ${shown(v)}`);
    if (v.length > max) this.fail(at, `${what} is longer than ${max} characters`);
    return v;
  }

  boolean(v: unknown, at: Path, what: string): boolean {
    if (typeof v !== 'boolean') this.fail(at, `${what} must be true or false, not ${shown(v)}`);
    return v;
  }

  /** A duration ("20m", "1h30m", "500ms") or a number of ms, whole ms, within [min, max]. */
  duration(v: unknown, at: Path, what: string, min: number, max: number): number {
    const ms = typeof v === 'string' || typeof v === 'number' ? parseDuration(v) : undefined;
    if (ms === undefined) this.fail(at, `${what} needs a duration like "20m", "2h", "45s" or "500ms" (or a number of ms), not ${shown(v)}`);
    const whole = Math.round(ms);
    if (whole < min) this.fail(at, `${what} must be ${min === 0 ? 'at least 0' : 'at least 1 ms'}, not ${shown(v)}`);
    if (whole > max) this.fail(at, `${what} must be at most ${formatMs(max)}, not ${shown(v)}`);
    return whole;
  }

  state(v: unknown, at: Path, what: string): Partial<SystemState> {
    const out: Partial<SystemState> = {};
    for (const k of this.keys(v, at, what)) {
      const sk = resolveStateKey(k);
      if (!sk) this.fail([...at, k], `unknown state key '${k}' (expected ${STATE_KEYS.join(', ')})`, true);
      const c = coerceStateValue(sk, (v as Record<string, unknown>)[k], true);
      if ('error' in c) this.fail([...at, k], c.error);
      (out as Record<string, unknown>)[sk] = c.value;
    }
    return out;
  }

  limits(v: unknown, at: Path): Partial<HostLimits> {
    const out: Partial<HostLimits> = {};
    for (const k of this.keys(v, at, '"limits"')) {
      const value = (v as Record<string, unknown>)[k];
      if (!(LIMIT_KEYS as readonly string[]).includes(k)) this.fail([...at, k], `unknown limit '${k}' (expected ${LIMIT_KEYS.join(', ')})`, true);
      if (k === 'memoryMb') {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_MEMORY_MB)
          this.fail([...at, k], `memoryMb must be a whole number of MB from 1 to ${MAX_MEMORY_MB}, not ${shown(value)}`);
        out.memoryMb = value;
      } else out[k as keyof HostLimits] = this.duration(value, [...at, k], k, LIMITS_ZERO_OK.has(k) ? 0 : 1, MAX_TIMER_MS);
    }
    return out;
  }

  trigger(v: unknown, at: Path, what: string): NonNullable<BuilderSpec['trigger']> {
    if (typeof v === 'string') {
      const r = parseTriggerText(v);
      if ('error' in r) this.fail(at, r.error);
      return r.trigger;
    }
    this.keys(v, at, what);
    const o = v as Record<string, unknown>;
    this.unknownKeys(o, at, TRIGGER_OBJECT_KEYS, what);
    if (!own(o, 'type')) this.fail(at, `${what} needs a "type" (a trigger class such as TimeTrigger, or SystemTrigger)`);
    const cls = triggerClass(this.string(o.type, [...at, 'type'], 'the trigger type', 200));
    if (!cls) this.fail([...at, 'type'], `unknown trigger class ${shown(o.type)}`);
    const t: NonNullable<BuilderSpec['trigger']> = { type: cls.name };
    if (cls.name === 'SystemTrigger') {
      if (!own(o, 'systemTriggerType')) this.fail(at, 'a SystemTrigger needs a "systemTriggerType" (a SystemTriggerType member such as TimeZoneChange)');
      const info = systemTriggerType(this.string(o.systemTriggerType, [...at, 'systemTriggerType'], 'systemTriggerType', 200));
      if (!info) this.fail([...at, 'systemTriggerType'], `unknown SystemTriggerType ${shown(o.systemTriggerType)}`);
      t.systemTriggerType = info.name;
    } else if (own(o, 'systemTriggerType')) this.fail([...at, 'systemTriggerType'], `"systemTriggerType" belongs to a SystemTrigger, not a ${cls.name}`, true);
    if (own(o, 'freshness')) {
      if (!cls.hasFreshness) this.fail([...at, 'freshness'], `"freshness" belongs to a TimeTrigger or MaintenanceTrigger, not a ${cls.name}`, true);
      t.freshness = freshness(typeof o.freshness === 'number' ? o.freshness : NaN) ?? this.fail([...at, 'freshness'], `freshness must be a whole number of minutes (UInt32), not ${shown(o.freshness)}`);
    } else if (cls.hasFreshness) this.fail(at, `a ${cls.name} needs a "freshness" in minutes`);
    if (own(o, 'oneShot')) t.oneShot = this.boolean(o.oneShot, [...at, 'oneShot'], 'oneShot');
    else if (cls.hasFreshness || cls.name === 'SystemTrigger') t.oneShot = false;
    return t;
  }

  register(v: unknown, at: Path): BuilderSpec {
    this.keys(v, at, "'register'");
    const o = v as Record<string, unknown>;
    this.unknownKeys(o, at, REGISTER_KEYS, 'register');
    if (!own(o, 'name')) this.fail(at, 'register needs a "name"');
    const spec: BuilderSpec = { name: this.string(o.name, [...at, 'name'], 'the registration name', 256), conditions: [], cancelOnConditionLoss: false, isNetworkRequested: false };
    if (own(o, 'entryPoint')) spec.entryPoint = this.string(o.entryPoint, [...at, 'entryPoint'], 'entryPoint', 1000);
    if (own(o, 'trigger')) spec.trigger = this.trigger(o.trigger, [...at, 'trigger'], 'the trigger');
    if (own(o, 'conditions')) {
      const conds = o.conditions;
      if (!Array.isArray(conds)) this.fail([...at, 'conditions'], `conditions must be an array of SystemConditionType names, not ${shown(conds)}`);
      conds.forEach((c: unknown, i) => {
        const info = typeof c === 'string' ? systemConditionType(c) : undefined;
        if (!info) this.fail([...at, 'conditions', i], `unknown condition ${typeof c === 'string' ? `'${c}'` : shown(c)} (a SystemConditionType member such as InternetAvailable)`);
        spec.conditions.push(info.name);
      });
    }
    for (const k of ['cancelOnConditionLoss', 'isNetworkRequested'] as const) if (own(o, k)) spec[k] = this.boolean(o[k], [...at, k], k);
    if (own(o, 'group')) spec.group = this.string(o.group, [...at, 'group'], 'group', 256);
    return spec;
  }

  expectation(v: unknown, at: Path, kind: string): Record<string, unknown> {
    const keys = this.keys(v, at, `'${kind}'`);
    if (!keys.length) this.fail(at, `'${kind}' needs at least one field, like {"event": "completed", "task": "X"}`);
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const value = o[k];
      const here = [...at, k];
      if (k === 'description') {
        this.string(value, here, 'description');
        continue;
      }
      const type = TRACE_FIELDS.get(k);
      if (!type) this.fail(here, `unknown trace field '${k}' in '${kind}' (expected ${[...TRACE_FIELDS.keys()].join(', ')})`, true);
      const ok = type === 'string[]' ? Array.isArray(value) && value.every((c) => typeof c === 'string') : type === 'object' ? isObject(value) : typeof value === type;
      if (!ok) this.fail(here, `'${k}' must be ${type === 'string[]' ? 'an array of strings' : `a ${type}`}, not ${shown(value)}`);
      if (k === 'event' && !EVENTS.includes(value as TraceEventName)) this.fail(here, `unknown event '${String(value)}' (expected ${EVENTS.join(', ')})`);
      if (k === 'reason' && !(CANCELLATION_REASONS as readonly string[]).includes(value as string)) this.fail(here, `unknown cancellation reason '${String(value)}' (expected ${CANCELLATION_REASONS.join(', ')})`);
      if (k === 'trigger' && !resolveTriggerName(value as string) && 'error' in parseTriggerText(value as string)) this.fail(here, `unknown trigger '${String(value)}'`);
      if (k === 'waitingFor' || k === 'conditions')
        (value as string[]).forEach((c, i) => {
          if (c !== 'ACPower' && !systemConditionType(c)) this.fail([...here, i], `unknown condition '${c}'`);
        });
      Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  step(v: unknown, index: number, offset: number): Step & { line: number; index: number; column: number } {
    const { line, column } = this.lines.at(offset);
    const at: Path = ['steps', index];
    const what = `step ${index + 1}`;
    if (!isObject(v)) this.fail(offset, `${what} must be an object like {"fire": "TimeZoneChange"}, not ${shown(v)}`);
    const keys = Object.keys(v);
    const actions = keys.filter((k) => STEP_KEYS.has(k));
    if (!actions.length) this.fail(keys.length ? [...at, keys[0]] : offset, `${what} has no action${keys.length ? ` ('${keys[0]}' is not one)` : ''} (expected one of ${[...STEP_KEYS.keys()].join(', ')})`, true);
    if (actions.length > 1) this.fail([...at, actions[1]], `${what} has two actions, '${actions[0]}' and '${actions[1]}' (one per step)`, true);
    const kind = actions[0];
    const extra = STEP_KEYS.get(kind)!;
    for (const k of keys) if (k !== kind && !extra.includes(k)) this.fail([...at, k], `unknown key '${k}' in a '${kind}' step${extra.length ? ` (expected ${extra.join(', ')})` : ''}`, true);
    const value = v[kind];
    const here = [...at, kind];
    let step: Step;
    switch (kind) {
      case 'launch':
        if (!isObject(value) || Object.keys(value).length) this.fail(here, `'launch' takes an empty object: {"launch": {}}, not ${shown(value)}`);
        step = { kind: 'lifecycle', action: 'launch' };
        break;
      case 'lifecycle': {
        const a = this.string(value, here, "'lifecycle'", 50);
        if (!(LIFECYCLE_ACTIONS as readonly string[]).includes(a)) this.fail(here, `unknown lifecycle action '${a}' (expected ${LIFECYCLE_ACTIONS.join(', ')})`);
        step = { kind: 'lifecycle', action: a === 'terminate' ? 'shutdown' : (a as 'launch') };
        break;
      }
      case 'fire': {
        const t = this.string(value, here, "'fire'", 200);
        if (!resolveTriggerName(t)) this.fail(here, `unknown trigger '${t}' (a SystemTriggerType member such as TimeZoneChange, or a trigger class such as MaintenanceTrigger)`);
        step = { kind: 'fire', trigger: t, details: own(v, 'details') ? v.details : undefined };
        break;
      }
      case 'set':
        step = { kind: 'set', changes: this.state(value, here, "'set'") };
        break;
      case 'advance':
        step = { kind, ms: this.duration(value, here, "'advance'", 1, MAX_ADVANCE_MS) };
        break;
      case 'wait':
        step = { kind, ms: this.duration(value, here, "'wait'", 0, MAX_WAIT_MS) };
        break;
      case 'trigger':
        step = { kind: 'trigger', task: this.string(value, here, "'trigger' (a registration name)", 256) };
        break;
      case 'applicationTrigger': {
        const args: Record<string, unknown> = {};
        if (own(v, 'arguments')) {
          const a = v.arguments;
          for (const k of this.keys(a, [...at, 'arguments'], '"arguments"')) {
            const x = (a as Record<string, unknown>)[k];
            if (typeof x === 'object') this.fail([...at, 'arguments', k], `argument '${k}' must be a string, number or boolean (a ValueSet value), not ${shown(x)}`);
            Object.defineProperty(args, k, { value: x, enumerable: true, writable: true, configurable: true });
          }
        }
        step = { kind: 'applicationTrigger', task: this.string(value, here, "'applicationTrigger' (a registration name)", 256), arguments: args };
        break;
      }
      case 'push': {
        const pl = own(v, 'payload') ? v.payload : undefined;
        step = { kind: 'push', task: this.string(value, here, "'push' (a registration name)", 256), payload: pl === undefined ? '' : typeof pl === 'string' ? pl : JSON.stringify(pl) };
        break;
      }
      case 'unregister':
        step = { kind: 'unregister', task: this.string(value, here, "'unregister' (a registration name)", 256), cancel: own(v, 'cancel') ? this.boolean(v.cancel, [...at, 'cancel'], 'cancel') : false };
        break;
      case 'register':
        step = typeof value === 'string'
          ? { kind: 'registerOnDemand', name: this.string(value, here, "'register' (a registration name from the app's code, or an object)", 256) }
          : { kind: 'register', spec: this.register(value, here) };
        break;
      default:
        if (own(v, 'description')) this.string(v.description, [...at, 'description'], 'description');
        step = { kind: kind as 'expect', match: this.expectation(value, here, kind) };
    }
    return Object.assign(step, { line, index, column });
  }

  scenario(): Scenario {
    // A BOM is blanked (same length) so offsets stay those of the file.
    const text = this.text.replace(/^\uFEFF/, ' ');
    const scanned = scan(text);
    if (scanned.error) this.fail(scanned.error.offset, `invalid JSON: ${PARSE_ERRORS[printParseErrorCode(scanned.error.code)] ?? printParseErrorCode(scanned.error.code)}`);
    if (scanned.duplicate) {
      const { key, offset, path } = scanned.duplicate;
      const where = !path.length ? 'the scenario' : path.length === 2 && path[0] === 'steps' ? `step ${Number(path[1]) + 1}` : `"${path.join('/')}"`;
      this.fail(offset, `duplicate key '${key}' in ${where}`);
    }
    let root: unknown;
    try {
      root = JSON.parse(text);
    } catch (e) {
      this.fail(0, `invalid JSON: ${oneLine(e)}`);
    }
    if (!isObject(root)) this.fail([], `a scenario is a JSON object with "steps", not ${shown(root)}`);
    this.unknownKeys(root, [], TOP_KEYS, 'the scenario');
    const sc: Scenario = { steps: [] };
    for (const k of ['$schema', 'description'] as const) if (own(root, k) && typeof root[k] !== 'string') this.fail([k], `"${k}" must be a string, not ${shown(root[k])}`);
    if (own(root, 'profile')) {
      if (!PROFILES.includes(root.profile as ProfileId)) this.fail(['profile'], `unknown profile ${shown(root.profile)} (expected ${PROFILES.join(', ')})`);
      sc.profile = root.profile as ProfileId;
    }
    if (own(root, 'state')) sc.state = this.state(root.state, ['state'], '"state"');
    if (own(root, 'limits')) sc.limits = this.limits(root.limits, ['limits']);
    if (own(root, 'timeScale')) {
      const v = root.timeScale;
      if (typeof v !== 'number' || !(v > 0) || v > MAX_TIME_SCALE) this.fail(['timeScale'], `timeScale must be a number above 0 and at most ${MAX_TIME_SCALE}, not ${shown(v)}`);
      sc.timeScale = v;
    }
    // Real-time limits are timers of limit × timeScale ms; Node fires a timer over 2^31-1 ms after 1 ms.
    const scale = sc.timeScale ?? 1;
    for (const k of ['wallClockMs', 'applicationTriggerMs', 'deviceServicingMs', 'idleMs', 'cancelGraceMs'] as const) {
      const ms = sc.limits?.[k] ?? DEFAULT_LIMITS[k];
      if (ms * scale > MAX_TIMER_MS) this.fail(sc.limits?.[k] !== undefined ? ['limits', k] : ['timeScale'], `${k} × timeScale is ${formatMs(ms * scale)} of real time, more than the ${formatMs(MAX_TIMER_MS)} a timer can wait`, sc.limits?.[k] !== undefined);
    }
    if (own(root, 'cpuQuota')) sc.cpuQuota = this.boolean(root.cpuQuota, ['cpuQuota'], 'cpuQuota');
    if (!own(root, 'steps')) this.fail([], 'a scenario needs "steps" (an array)');
    const steps = root.steps;
    if (!Array.isArray(steps)) this.fail(['steps'], `"steps" must be an array, not ${shown(steps)}`);
    steps.forEach((s, i) => sc.steps.push(this.step(s, i, scanned.steps[i] ?? this.offsetOf(['steps', i]))));
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
    case 'registerOnDemand': await host.registerOnDemand(step.name); break;
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
  return printable(text.split(/\r?\n/)[0] || (error instanceof Error ? error.name : 'error'));
}
