// The Windows 8/8.1 CPU quota (§4, §9), an option (HostOptions.cpuQuota) on the win8 and win81
// profiles. The app's tasks share one CPU budget per period: limits.cpuQuotaLockScreenMs per
// cpuQuotaLockScreenPeriodMs on the lock screen, cpuQuotaMs per cpuQuotaPeriodMs otherwise. Periods
// run on the virtual clock from t = 0 (the facts do not say where a period starts). Modeled runs are
// charged limits.modeledCpuMs; JS runs their measured CPU at the end of each turn, divided by the
// time scale. When the budget is used up every running instance is suspended (its messages held,
// SuspendedCount + 1); at the refresh they resume in the order they started while the budget lasts.
// PushNotificationTrigger/ControlChannelTrigger tasks have guaranteed quotas of their own (§4).
import type { ClockTimer } from './clock';
import type { HostCore } from './core';
import type { Instance, Instances } from './instances';

export class CpuQuota {
  private period?: { usedMs: number; refreshAt: number };
  private refreshTimer?: ClockTimer;

  constructor(private readonly core: HostCore, private readonly instances: Instances) {}

  applies(inst: Instance): boolean {
    const { options, profile } = this.core;
    if (!options.cpuQuota || (profile !== 'win8' && profile !== 'win81')) return false;
    const t = inst.reg.trigger.type;
    return t !== 'PushNotificationTrigger' && t !== 'ControlChannelTrigger';
  }

  private quota(): { quotaMs: number; periodMs: number } {
    const l = this.core.limits;
    return this.core.state.lockScreen ? { quotaMs: l.cpuQuotaLockScreenMs, periodMs: l.cpuQuotaLockScreenPeriodMs } : { quotaMs: l.cpuQuotaMs, periodMs: l.cpuQuotaPeriodMs };
  }

  private current(): { usedMs: number; refreshAt: number } {
    const now = this.core.clock.now();
    if (!this.period || now >= this.period.refreshAt) {
      const { periodMs } = this.quota();
      this.period = { usedMs: 0, refreshAt: (Math.floor(now / periodMs) + 1) * periodMs };
    }
    return this.period;
  }

  /** CPU ms left in the current period. */
  remaining(): number {
    return Math.max(0, this.quota().quotaMs - this.current().usedMs);
  }

  /** Charge CPU to the app; when the budget is used up, suspend every running instance it applies to. */
  charge(ms: number): void {
    const period = this.current();
    const { quotaMs } = this.quota();
    period.usedMs = Math.min(quotaMs, period.usedMs + ms);
    if (period.usedMs < quotaMs) return;
    for (const inst of this.instances.all()) if (!inst.suspended && this.applies(inst)) this.suspend(inst);
  }

  /** A modeled instance's Run "ran": charge its CPU (suspending when the budget runs out), then `then`. */
  modeledRan(inst: Instance, then: () => void): void {
    if (!this.applies(inst)) return then();
    inst.cpuOwedMs = this.core.limits.modeledCpuMs;
    inst.afterCpu = then;
    this.chargeModeled(inst);
  }

  private chargeModeled(inst: Instance): void {
    const take = Math.min(this.remaining(), inst.cpuOwedMs ?? 0);
    inst.cpuOwedMs = (inst.cpuOwedMs ?? 0) - take;
    if (inst.cpuOwedMs > 0) {
      // The budget is gone with Run unfinished: this instance and every other running one are suspended.
      this.charge(take);
      if (!inst.suspended) this.suspend(inst);
      return;
    }
    const then = inst.afterCpu;
    inst.afterCpu = undefined;
    inst.cpuOwedMs = undefined;
    // The run's own CPU may use the budget up exactly: it finishes first, then the others are suspended.
    this.current().usedMs += take;
    then?.();
    if (take > 0) this.charge(0);
  }

  suspend(inst: Instance): void {
    const core = this.core;
    if (inst.suspended || this.instances.live.get(inst.instanceId) !== inst) return;
    inst.suspended = true;
    inst.suspendedCount++;
    if (inst.virtualDeadline && !inst.virtualDeadline.cancelled) {
      inst.leftVirtual = Math.max(0, inst.virtualDeadline.at - core.clock.now());
      core.clock.cancel(inst.virtualDeadline);
      inst.virtualDeadline = undefined;
    }
    inst.handle?.suspend();
    const period = this.current();
    const { quotaMs, periodMs } = this.quota();
    core.trace('suspended', inst.reg, {
      instanceId: inst.instanceId,
      suspendedCount: inst.suspendedCount,
      cpuUsedMs: Math.round(period.usedMs),
      quotaMs,
      periodMs,
      resumeAt: period.refreshAt,
      why: `the app's CPU quota (${quotaMs} ms per ${periodMs / 60_000} min${core.state.lockScreen ? ', lock screen' : ''}) is used up; suspended until the next refresh (§4)`,
    });
    this.refreshTimer ??= core.clock.schedule(period.refreshAt, () => this.refresh());
  }

  /** The quota refreshes: suspended instances resume, in order, while the new budget lasts. */
  private refresh(): void {
    this.refreshTimer = undefined;
    if (!this.instances.all().some((i) => i.suspended)) return;
    const { quotaMs, periodMs } = this.quota();
    this.core.log(`CPU quota refreshed: ${quotaMs} ms for the next ${periodMs / 60_000} min (§4)`);
    this.resumeSuspended();
  }

  /** Resume suspended instances in order while the budget lasts; the rest wait for the next refresh. */
  resumeSuspended(): void {
    for (const inst of this.instances.all().filter((i) => i.suspended)) {
      if (!inst.suspended || this.instances.live.get(inst.instanceId) !== inst) continue;
      if (this.remaining() <= 0) break;
      this.resume(inst, true);
    }
    if (this.instances.all().some((i) => i.suspended)) this.refreshTimer ??= this.core.clock.schedule(this.current().refreshAt, () => this.refresh());
  }

  /** Resume a suspended instance: at a refresh (traced), or quietly before a cancellation reaches it. */
  resume(inst: Instance, traced: boolean): void {
    const core = this.core;
    inst.suspended = false;
    if (traced) {
      const { quotaMs, periodMs } = this.quota();
      core.trace('resumed', inst.reg, { instanceId: inst.instanceId, suspendedCount: inst.suspendedCount, quotaMs, periodMs });
    }
    if (inst.pendingRun) {
      inst.pendingRun();
      return;
    }
    if (inst.leftVirtual !== undefined) {
      const left = inst.leftVirtual;
      inst.leftVirtual = undefined;
      inst.virtualDeadline = core.clock.schedule(core.clock.now() + left, () => this.instances.cancel(inst, 'ExecutionTimeExceeded'));
    }
    inst.handle?.resume(inst.suspendedCount);
    if (traced && inst.cpuOwedMs !== undefined) this.chargeModeled(inst);
  }

  /** The lock screen changed: the budget follows at once (§4). */
  lockScreenChanged(): void {
    if (!this.period) return;
    if (this.instances.all().some((i) => i.suspended)) this.resumeSuspended();
    if (this.remaining() <= 0) this.charge(0);
  }
}
