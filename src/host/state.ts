// System state: defaults per profile, condition evaluation (§2) and the system triggers a state change
// implies (§1): InternetAvailable on the edge back to connected, UserPresent/UserAway, NetworkStateChange, ...
import { DEFAULT_ACCESS_STATUS, type AccessStatus, ACCESS_STATUSES } from '../core/model/catalog';
import type { ProfileId } from '../core/facts/types';
import type { SystemState } from './types';

export function defaultState(profile: ProfileId): SystemState {
  return {
    userPresent: true,
    internetAvailable: true,
    freeNetworkAvailable: true,
    sessionConnected: true,
    backgroundWorkCost: 'Low',
    power: 'ac',
    batterySaver: false,
    batterySaverExempt: false,
    lockScreen: true,
    accessStatus: DEFAULT_ACCESS_STATUS[profile],
    timeZone: 'UTC',
  };
}

/** Does a SystemConditionType hold in this state? §2. Unknown names never hold. */
export function conditionHolds(name: string, s: SystemState): boolean {
  switch (name) {
    case 'UserPresent': return s.userPresent;
    case 'UserNotPresent': return !s.userPresent;
    case 'InternetAvailable': return s.internetAvailable;
    case 'InternetNotAvailable': return !s.internetAvailable;
    case 'SessionConnected': return s.sessionConnected;
    case 'SessionDisconnected': return !s.sessionConnected;
    case 'FreeNetworkAvailable': return s.internetAvailable && s.freeNetworkAvailable;
    case 'BackgroundWorkCostNotHigh': return s.backgroundWorkCost !== 'High';
    default: return false;
  }
}

/** The SystemTriggerType events a change from `before` to `after` raises (§1). */
export function impliedTriggers(before: SystemState, after: SystemState): string[] {
  const out: string[] = [];
  if (before.userPresent !== after.userPresent) out.push(after.userPresent ? 'UserPresent' : 'UserAway');
  if (before.internetAvailable !== after.internetAvailable || before.freeNetworkAvailable !== after.freeNetworkAvailable) out.push('NetworkStateChange');
  // §1: edge-triggered; fires when connectivity comes back, not while it stays.
  if (!before.internetAvailable && after.internetAvailable) out.push('InternetAvailable');
  if (!before.sessionConnected && after.sessionConnected) out.push('SessionConnected');
  if (before.backgroundWorkCost !== after.backgroundWorkCost) out.push('BackgroundWorkCostChange');
  // §1: PowerStateChange follows PowerManager.BatteryStatus, which changes with AC/DC.
  if (before.power !== after.power) out.push('PowerStateChange');
  if (before.timeZone !== after.timeZone) out.push('TimeZoneChange');
  if (before.lockScreen !== after.lockScreen) out.push(after.lockScreen ? 'LockScreenApplicationAdded' : 'LockScreenApplicationRemoved');
  return out;
}

/** Friendly names accepted by `set` at the prompt and in scenarios, mapped to state fields. */
export const STATE_ALIASES: Readonly<Record<string, keyof SystemState>> = {
  user: 'userPresent', userpresent: 'userPresent',
  internet: 'internetAvailable', internetavailable: 'internetAvailable',
  freenetwork: 'freeNetworkAvailable', freenetworkavailable: 'freeNetworkAvailable',
  session: 'sessionConnected', sessionconnected: 'sessionConnected',
  cost: 'backgroundWorkCost', backgroundworkcost: 'backgroundWorkCost',
  power: 'power',
  batterysaver: 'batterySaver', saver: 'batterySaver',
  batterysaverexempt: 'batterySaverExempt',
  lockscreen: 'lockScreen',
  access: 'accessStatus', accessstatus: 'accessStatus',
  timezone: 'timeZone', tz: 'timeZone',
};

export const STATE_KEYS: ReadonlyArray<keyof SystemState> = [
  'userPresent', 'internetAvailable', 'freeNetworkAvailable', 'sessionConnected', 'backgroundWorkCost', 'power',
  'batterySaver', 'batterySaverExempt', 'lockScreen', 'accessStatus', 'timeZone',
];

const BOOL_WORDS: ReadonlyMap<string, boolean> = new Map(Object.entries({ on: true, true: true, yes: true, present: true, connected: true, off: false, false: false, no: false, away: false, absent: false, disconnected: false }));

/**
 * Validate and normalise one state value; returns an error message for a bad one. `strict` (scenarios,
 * typed JSON): booleans must be JSON booleans and names strings; the prompt passes words (on/off, ac).
 */
export function coerceStateValue(key: keyof SystemState, value: unknown, strict = false): { value: SystemState[keyof SystemState] } | { error: string } {
  if (strict && key !== 'timeZone' && !BOOLEAN_KEYS.has(key) && typeof value !== 'string') return { error: `${key} must be a string, not ${JSON.stringify(value) ?? String(value)}` };
  if (strict && BOOLEAN_KEYS.has(key) && typeof value !== 'boolean') return { error: `${key} must be true or false, not ${JSON.stringify(value) ?? String(value)}` };
  if (typeof value === 'object' && value !== null) return { error: `${key} must be a single value, not ${Array.isArray(value) ? 'an array' : 'an object'}` };
  switch (key) {
    case 'backgroundWorkCost': {
      const v = String(value).toLowerCase();
      const m = (['Low', 'Medium', 'High'] as const).find((x) => x.toLowerCase() === v);
      return m ? { value: m } : { error: `backgroundWorkCost must be Low, Medium or High, not ${JSON.stringify(value)}` };
    }
    case 'power': {
      const v = String(value).toLowerCase();
      return v === 'ac' || v === 'dc' ? { value: v } : { error: `power must be "ac" or "dc", not ${JSON.stringify(value)}` };
    }
    case 'accessStatus': {
      const m = ACCESS_STATUSES.find((a) => a.toLowerCase() === String(value).toLowerCase());
      return m ? { value: m as AccessStatus } : { error: `accessStatus must be one of ${ACCESS_STATUSES.join(', ')}` };
    }
    case 'timeZone':
      return typeof value === 'string' && value && value.length <= 100 ? { value } : { error: `timeZone must be a non-empty string (at most 100 characters), not ${JSON.stringify(value) ?? String(value)}` };
    default: {
      if (typeof value === 'boolean') return { value };
      const b = BOOL_WORDS.get(String(value).toLowerCase());
      return b === undefined ? { error: `${key} must be true or false (on/off), not ${JSON.stringify(value)}` } : { value: b };
    }
  }
}

const BOOLEAN_KEYS: ReadonlySet<keyof SystemState> = new Set(['userPresent', 'internetAvailable', 'freeNetworkAvailable', 'sessionConnected', 'batterySaver', 'batterySaverExempt', 'lockScreen']);

/** A state key or alias; prototype keys ("constructor", "__proto__") are never keys. */
export function resolveStateKey(name: string): keyof SystemState | undefined {
  if (typeof name !== 'string') return undefined;
  if ((STATE_KEYS as readonly string[]).includes(name)) return name as keyof SystemState;
  const alias = name.toLowerCase().replace(/[-_\s]/g, '');
  return Object.prototype.hasOwnProperty.call(STATE_ALIASES, alias) ? STATE_ALIASES[alias] : undefined;
}
