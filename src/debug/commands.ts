// The `bgtask.*` custom requests of the debug adapter (DESIGN.md "Debug adapter"): argument checks
// that name what is wrong, then one host command each. No DAP types here: session.ts maps a thrown
// RequestError to an error response and a returned object to the response body.
import { CANCELLATION_REASONS, SYSTEM_CONDITION_TYPES, systemConditionType, triggerClass, type CancellationReason } from '../core/model/catalog';
import { parseDuration } from '../host/duration';
import { TaskHost } from '../host/host';
import { parseTriggerText } from '../host/scenario';
import { STATE_KEYS, coerceStateValue, resolveStateKey } from '../host/state';
import type { SystemState } from '../host/types';
import type { BuilderSpec } from '../host/worker/windowsApi';

export class RequestError extends Error {}

export const CUSTOM_REQUESTS = [
  'bgtask.fire', 'bgtask.lifecycle', 'bgtask.setState', 'bgtask.advance', 'bgtask.trigger', 'bgtask.applicationTrigger',
  'bgtask.push', 'bgtask.register', 'bgtask.unregister', 'bgtask.registrations', 'bgtask.cancel',
] as const;
export type CustomRequest = (typeof CUSTOM_REQUESTS)[number];

export const LIFECYCLE_ACTIONS = ['launch', 'suspend', 'resume', 'shutdown'] as const;

type Args = Record<string, unknown>;

function str(args: Args, key: string, command: string): string {
  const v = args[key];
  if (typeof v !== 'string' || !v.trim()) throw new RequestError(`${command}: '${key}' must be a non-empty string${v === undefined ? ' (missing)' : `, not ${JSON.stringify(v)}`}`);
  return v.trim();
}

function onlyKeys(args: Args, allowed: readonly string[], command: string): void {
  for (const k of Object.keys(args)) if (!allowed.includes(k)) throw new RequestError(`${command}: unknown argument '${k}' (expected ${allowed.join(', ') || 'none'})`);
}

/** Known registration names, for "no task named X" messages. */
function taskNames(host: TaskHost): string {
  const names = [...new Set(host.registrations().map((r) => r.name))];
  return names.length ? names.join(', ') : 'none registered: launch the app or register one';
}

function requireTask(host: TaskHost, name: string, command: string): void {
  if (!host.registrations().some((r) => r.name === name)) throw new RequestError(`${command}: no registration named '${name}' (registered: ${taskNames(host)})`);
}

/** `{...SystemState fields}` (names or aliases as in a scenario) → validated changes. */
export function stateChanges(args: Args, command = 'bgtask.setState'): Partial<SystemState> {
  const out: Record<string, unknown> = {};
  if (!Object.keys(args).length) throw new RequestError(`${command}: no state field given (expected ${STATE_KEYS.join(', ')})`);
  for (const [k, v] of Object.entries(args)) {
    const key = resolveStateKey(k);
    if (!key) throw new RequestError(`${command}: unknown state field '${k}' (expected ${STATE_KEYS.join(', ')})`);
    const c = coerceStateValue(key, v);
    if ('error' in c) throw new RequestError(`${command}: ${c.error}`);
    out[key] = c.value;
  }
  return out as Partial<SystemState>;
}

export function registerSpec(args: Args, command = 'bgtask.register'): BuilderSpec {
  const allowed = ['name', 'entryPoint', 'trigger', 'conditions', 'cancelOnConditionLoss', 'isNetworkRequested', 'group'];
  onlyKeys(args, allowed, command);
  const name = str(args, 'name', command);
  let trigger: BuilderSpec['trigger'];
  if (typeof args.trigger === 'string') {
    // parseTriggerText returns the trigger, or (after the host rework) {trigger} | {error}.
    const parsed = parseTriggerText(args.trigger) as unknown as BuilderSpec['trigger'] | { trigger: BuilderSpec['trigger'] } | { error: string } | undefined;
    if (parsed && 'error' in parsed) throw new RequestError(`${command}: ${parsed.error}`);
    trigger = parsed && 'trigger' in parsed ? parsed.trigger : (parsed as BuilderSpec['trigger']);
  } else if (args.trigger && typeof args.trigger === 'object') trigger = args.trigger as BuilderSpec['trigger'];
  if (!trigger || (trigger.type !== 'SystemTrigger' && !triggerClass(trigger.type))) {
    throw new RequestError(`${command}: unknown or missing trigger ${JSON.stringify(args.trigger)} (e.g. "TimeZoneChange", "TimeTrigger(15)", "ApplicationTrigger")`);
  }
  if (args.conditions !== undefined && !Array.isArray(args.conditions)) throw new RequestError(`${command}: 'conditions' must be an array of SystemConditionType names`);
  const conditions = ((args.conditions as unknown[] | undefined) ?? []).map((c) => {
    const info = systemConditionType(String(c));
    if (!info) throw new RequestError(`${command}: unknown condition '${String(c)}' (expected ${SYSTEM_CONDITION_TYPES.map((x) => x.name).join(', ')})`);
    return info.name;
  });
  for (const k of ['cancelOnConditionLoss', 'isNetworkRequested'] as const) {
    if (args[k] !== undefined && typeof args[k] !== 'boolean') throw new RequestError(`${command}: '${k}' must be true or false`);
  }
  if (args.entryPoint !== undefined && typeof args.entryPoint !== 'string') throw new RequestError(`${command}: 'entryPoint' must be a string`);
  if (args.group !== undefined && typeof args.group !== 'string') throw new RequestError(`${command}: 'group' must be a string`);
  return {
    name,
    entryPoint: args.entryPoint as string | undefined,
    trigger,
    conditions,
    cancelOnConditionLoss: args.cancelOnConditionLoss === true,
    isNetworkRequested: args.isNetworkRequested === true,
    ...(args.group ? { group: args.group as string } : {}),
  };
}

/** The live registry with state: what `bgtask.registrations` returns. */
export function registrySnapshot(host: TaskHost): Record<string, unknown> {
  return {
    now: host.clock.now(),
    appState: host.appState,
    state: { ...host.state },
    registrations: host.registrations().map((r) => ({ ...host.describe(r), source: r.source })),
    running: host.running(),
    latched: host.latchedTasks(),
    onDemand: (host as unknown as { onDemand?(): unknown[] }).onDemand?.() ?? [],
  };
}

/** Runs one custom request against the host; throws RequestError for a bad one. */
export async function runCustomRequest(host: TaskHost, command: string, raw: unknown): Promise<Record<string, unknown>> {
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) throw new RequestError(`${command}: arguments must be an object`);
  const args = (raw ?? {}) as Args;
  const wrap = async <T>(fn: () => T | Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw new RequestError(`${command}: ${(error as Error).message}`);
    }
  };
  switch (command) {
    case 'bgtask.fire': {
      onlyKeys(args, ['trigger', 'details'], command);
      const trigger = str(args, 'trigger', command);
      if (!TaskHost.resolveTrigger(trigger)) throw new RequestError(`${command}: unknown trigger '${trigger}' (a SystemTriggerType member such as TimeZoneChange, or a trigger class such as MaintenanceTrigger)`);
      return { reached: await wrap(() => host.fire(trigger, args.details ?? null)) };
    }
    case 'bgtask.lifecycle': {
      onlyKeys(args, ['action'], command);
      const action = str(args, 'action', command);
      const a = action === 'terminate' ? 'shutdown' : action;
      if (!(LIFECYCLE_ACTIONS as readonly string[]).includes(a)) throw new RequestError(`${command}: unknown action '${action}' (expected ${LIFECYCLE_ACTIONS.join(', ')})`);
      await wrap(() => host.lifecycle(a as (typeof LIFECYCLE_ACTIONS)[number]));
      return { appState: host.appState };
    }
    case 'bgtask.setState': {
      const changes = stateChanges(args, command);
      await wrap(() => host.setState(changes));
      return { state: { ...host.state } };
    }
    case 'bgtask.advance': {
      onlyKeys(args, ['duration'], command);
      const d = args.duration;
      const ms = typeof d === 'number' || typeof d === 'string' ? parseDuration(d) : undefined;
      if (ms === undefined) throw new RequestError(`${command}: 'duration' must be a duration like "20m", "2h", "1d" or a number of ms, not ${JSON.stringify(d)}`);
      await wrap(() => host.advance(ms));
      return { now: host.clock.now() };
    }
    case 'bgtask.trigger': {
      onlyKeys(args, ['task'], command);
      const task = str(args, 'task', command);
      requireTask(host, task, command);
      return { reached: await wrap(() => host.triggerTask(task)) };
    }
    case 'bgtask.applicationTrigger': {
      onlyKeys(args, ['task', 'arguments'], command);
      const task = str(args, 'task', command);
      const a = args.arguments ?? {};
      if (typeof a !== 'object' || Array.isArray(a) || a === null) throw new RequestError(`${command}: 'arguments' must be an object of key/value pairs (ValueSet)`);
      requireTask(host, task, command);
      return { result: await wrap(() => host.applicationTrigger(task, a as Record<string, unknown>)) };
    }
    case 'bgtask.push': {
      onlyKeys(args, ['task', 'payload'], command);
      const task = str(args, 'task', command);
      if (args.payload !== undefined && typeof args.payload !== 'string') throw new RequestError(`${command}: 'payload' must be a string (the raw notification content)`);
      requireTask(host, task, command);
      return { reached: await wrap(() => host.push(task, (args.payload as string | undefined) ?? '')) };
    }
    case 'bgtask.register': {
      // `{name}` alone: a registration the code makes on demand (not at launch), registered as its code would.
      const onDemand = (host as unknown as { onDemand?(): Array<{ name: string }>; registerOnDemand?(name: string): unknown });
      if (Object.keys(args).length === 1 && typeof args.name === 'string' && onDemand.onDemand && onDemand.registerOnDemand) {
        const name = args.name;
        if (!onDemand.onDemand().some((r) => r.name === name)) throw new RequestError(`${command}: '${name}' is not an on-demand registration in the app's code (on demand: ${onDemand.onDemand().map((r) => r.name).join(', ') || 'none'}); give name, entryPoint and trigger to register a new one`);
        await wrap(() => onDemand.registerOnDemand!(name));
        return { registration: host.registrations().find((r) => r.name === name) };
      }
      const spec = registerSpec(args, command);
      const r = await wrap(() => host.register(spec, 'command'));
      if (r.error) throw new RequestError(`${command}: ${r.error}`);
      return { registration: r.registration };
    }
    case 'bgtask.unregister': {
      onlyKeys(args, ['task', 'cancel'], command);
      const task = str(args, 'task', command);
      if (args.cancel !== undefined && typeof args.cancel !== 'boolean') throw new RequestError(`${command}: 'cancel' must be true or false`);
      if (!host.registrations().some((r) => r.name === task || r.taskId === task)) throw new RequestError(`${command}: no registration named '${task}' (registered: ${taskNames(host)})`);
      return { count: await wrap(() => host.unregister(task, args.cancel === true)) };
    }
    case 'bgtask.cancel': {
      onlyKeys(args, ['task', 'instanceId', 'reason'], command);
      const target = args.instanceId !== undefined ? str(args, 'instanceId', command) : str(args, 'task', command);
      const reason = args.reason === undefined ? 'Abort' : str(args, 'reason', command);
      if (!(CANCELLATION_REASONS as readonly string[]).includes(reason)) throw new RequestError(`${command}: unknown reason '${reason}' (a BackgroundTaskCancellationReason: ${CANCELLATION_REASONS.join(', ')})`);
      return { canceled: await wrap(() => host.cancelInstance(target, reason as CancellationReason, 'canceled from the debugger')) };
    }
    case 'bgtask.registrations':
      onlyKeys(args, [], command);
      return registrySnapshot(host);
    default:
      throw new RequestError(`unknown request '${command}' (expected ${CUSTOM_REQUESTS.join(', ')})`);
  }
}
