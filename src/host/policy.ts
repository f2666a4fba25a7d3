// The platform's rules as pure functions of a registration, the system state and the profile:
// Register-time validation (§5), the conditions a fire waits for (§2), the policy that blocks a run
// (§9 step 3: access, lock screen, battery saver), and the wall-clock limit of a trigger (§4).
import { accessAllows, needsRequestAccess, taskTypesForTrigger, triggerClass } from '../core/model/catalog';
import type { ProfileId } from '../core/facts/types';
import { conditionHolds } from './state';
import type { HostLimits, Registration, SystemState, TriggerSpec } from './types';
import type { BuilderSpec } from './worker/windowsApi';

const EIGHT_X: ReadonlySet<ProfileId> = new Set(['win8', 'win81', 'phone81']);

export function isEightX(profile: ProfileId): boolean {
  return EIGHT_X.has(profile);
}

export function describeTrigger(t: TriggerSpec): string {
  if (t.type === 'SystemTrigger') return `SystemTrigger(${t.systemTriggerType}${t.oneShot ? ', oneShot' : ''})`;
  if (t.freshness !== undefined) return `${t.type}(${t.freshness}${t.oneShot ? ', oneShot' : ''})`;
  return t.type;
}

/** Register-time validation (§5 BackgroundTaskBuilder "Parameter validation"); the caller decides when it applies. */
export function validateRegistration(
  spec: BuilderSpec,
  ctx: { profile: ProfileId; existing: readonly Registration[]; declarations?: Map<string, string[]> },
): string | undefined {
  const t = spec.trigger;
  if (!t) return 'Register failed: no trigger was set (§5: Register requires a trigger)';
  const cls = triggerClass(t.type);
  // §3.1: ApplicationTrigger, GeovisitTrigger, ... are Windows 10 classes; an 8.x app has no such type.
  if (cls?.win10Only && isEightX(ctx.profile)) return `Register failed: ${cls.name} does not exist on ${ctx.profile} (a Windows 10 trigger, §3.1)`;
  if (cls?.hasFreshness && (t.freshness === undefined || !Number.isFinite(t.freshness) || t.freshness < 15))
    return `Register failed: ${t.type} freshnessTime ${t.freshness} is below the 15-minute minimum (§3, §5)`;
  if (cls?.singleInstance && ctx.existing.some((r) => r.trigger.type === cls.name))
    return `Register failed: an app may register only one ${cls.name} (§3.1)`;
  if (ctx.declarations && spec.entryPoint) {
    const declared = ctx.declarations.get(spec.entryPoint);
    const accepted = taskTypesForTrigger(t.type, ctx.profile);
    if (accepted.length && !(declared ?? []).some((d) => accepted.includes(d)))
      return `Register failed: runtime class not registered (REGDB_E_CLASSNOTREG): ${spec.entryPoint} is not declared in the manifest with Task Type ${accepted.join(' or ')} for ${t.type} (§3.5, §5)`;
  }
  return undefined;
}

/** Windows 8 validates only when the task runs (§5): what would have failed at Register. */
export function lateValidationError(reg: Registration, others: readonly Registration[]): string | undefined {
  const t = reg.trigger;
  const cls = triggerClass(t.type);
  if (t.type === 'Invalid') return 'no trigger was set';
  if (cls?.hasFreshness && (t.freshness === undefined || t.freshness < 15)) return `freshnessTime ${t.freshness} is below 15 minutes`;
  if (cls?.singleInstance && others.some((r) => r !== reg && r.trigger.type === t.type && r.registeredAt < reg.registeredAt)) return `a second ${t.type}`;
  return undefined;
}

/** The conditions (and AC power for maintenance, §3) a fired registration still waits for (§2). */
export function waitingFor(reg: Registration, s: SystemState): string[] {
  const out: string[] = [];
  for (const c of reg.conditions) if (!conditionHolds(c, s)) out.push(c);
  if (reg.trigger.type === 'MaintenanceTrigger' && s.power !== 'ac') out.push('ACPower');
  return out;
}

/** Battery saver holds only on battery: Windows turns it off when the device is plugged in (§3 TimeTrigger, §4). */
export function batterySaverActive(s: SystemState): boolean {
  return s.batterySaver && s.power === 'dc';
}

/** §9 step 3: access status, the 8.x lock screen, battery saver on Windows 10. */
export function policyBlocks(reg: Registration, s: SystemState, profile: ProfileId): string | undefined {
  if (!accessAllows(s.accessStatus)) return `background access is ${s.accessStatus} (§5 BackgroundAccessStatus)`;
  if (isEightX(profile) && !s.lockScreen && needsRequestAccess('win81', reg.trigger.type, reg.trigger.systemTriggerType))
    return `${describeTrigger(reg.trigger)} needs the app on the lock screen on ${profile} (§1)`;
  if ((profile === 'win10' || profile === 'appsdk') && batterySaverActive(s) && !s.batterySaverExempt)
    return 'battery saver is on (on battery power) and the app is not exempted (§3 TimeTrigger, §4)';
  return undefined;
}

/** The wall-clock limit of a run (§4): ApplicationTrigger ~10 min, DeviceServicingTrigger 30 min, else 30 s. */
export function limitFor(reg: Registration, limits: HostLimits): number {
  if (reg.trigger.type === 'ApplicationTrigger') return limits.applicationTriggerMs;
  if (reg.trigger.type === 'DeviceServicingTrigger') return limits.deviceServicingMs;
  return limits.wallClockMs;
}
