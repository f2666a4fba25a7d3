// The firing pipeline (§9): a trigger occurs → spent one-shots are skipped → unmet conditions latch
// the registration, re-checked on every state change (§2) → policy (§9 step 3) → a new instance.
// TimeTrigger and MaintenanceTrigger fire on the virtual clock's 15-minute tick (§3).
import { triggerClass } from '../core/model/catalog';
import type { ClockTimer } from './clock';
import type { HostCore } from './core';
import type { Instances } from './instances';
import { lateValidationError, policyBlocks, waitingFor } from './policy';
import type { Registration } from './types';

export const TICK_MS = 15 * 60_000;

interface Latched {
  reg: Registration;
  trigger: string;
  details: unknown;
}

export class Scheduler {
  readonly latched = new Map<string, Latched>();
  private readonly timeTimers = new Map<string, ClockTimer>();

  constructor(private readonly core: HostCore, private readonly instances: Instances) {}

  /** The first 15-minute tick at or after `at` (§3 TimeTrigger). */
  nextTick(at: number): number {
    return Math.ceil(at / TICK_MS) * TICK_MS;
  }

  /** A new TimeTrigger/MaintenanceTrigger registration: first fire within [freshness, freshness + 15 min) (§3). */
  registered(reg: Registration): void {
    const t = reg.trigger;
    if (triggerClass(t.type)?.hasFreshness && t.freshness !== undefined && t.freshness >= 15) this.scheduleTime(reg, this.nextTick(reg.registeredAt + t.freshness * 60_000));
  }

  removed(reg: Registration): void {
    this.latched.delete(reg.taskId);
    this.core.clock.cancel(this.timeTimers.get(reg.taskId));
    this.timeTimers.delete(reg.taskId);
  }

  scheduleTime(reg: Registration, at: number): void {
    const core = this.core;
    reg.nextFireAt = at;
    const timer = this.timeTimers.get(reg.taskId);
    // A periodic trigger reschedules the timer that just ran (no new timer per fire).
    if (timer) {
      this.timeTimers.set(reg.taskId, core.clock.reschedule(timer, at));
      return;
    }
    const fn = () => {
      if (!core.registry.get(reg.taskId)) {
        this.timeTimers.delete(reg.taskId);
        return;
      }
      if (!reg.trigger.oneShot) this.scheduleTime(reg, this.nextTick(core.clock.now() + (reg.trigger.freshness ?? 15) * 60_000));
      else {
        this.timeTimers.delete(reg.taskId);
        reg.nextFireAt = undefined;
      }
      this.fireRegistration(reg, reg.trigger.type, null);
    };
    this.timeTimers.set(reg.taskId, core.clock.schedule(at, fn));
  }

  fireRegistration(reg: Registration, trigger: string, details: unknown, via?: string): void {
    const core = this.core;
    // §9 step 1 / §2: a spent one-shot ignores its trigger.
    if (reg.spent) {
      core.trace('skipped', reg, { trigger, why: 'one-shot trigger already fired (§2)' });
      return;
    }
    core.trace('fired', reg, via ? { trigger, via } : { trigger });
    if (reg.trigger.oneShot) {
      reg.spent = true;
      core.save(); // spent even if it only latched: a restart must not fire it again (§2)
    }
    this.evaluate(reg, trigger, details);
  }

  /** Conditions, then policy, then run (§9 steps 2–4). */
  evaluate(reg: Registration, trigger: string, details: unknown): void {
    const core = this.core;
    const waiting = waitingFor(reg, core.state);
    if (waiting.length) {
      this.latched.set(reg.taskId, { reg, trigger, details });
      core.trace('latched', reg, { trigger, waitingFor: waiting });
      return;
    }
    this.latched.delete(reg.taskId);
    const why = this.blocks(reg);
    if (why) {
      core.trace('skipped', reg, { trigger, why });
      return;
    }
    this.instances.start(reg, trigger, details);
  }

  private blocks(reg: Registration): string | undefined {
    const core = this.core;
    if (core.profile === 'win8') {
      const error = lateValidationError(reg, core.registry.all());
      if (error) return `the task failed to start: ${error} (Windows 8 validates only when the task runs, §5)`;
    }
    const why = policyBlocks(reg, core.state, core.profile);
    if (why) return why;
    // §5: a JS task must close() before the next one for the same trigger can start.
    if (this.instances.jsPath(reg) && this.instances.all().some((i) => i.reg.taskId === reg.taskId && i.kind === 'js'))
      return 'the previous instance of this JS task has not called close() (§5)';
    return undefined;
  }

  /** §2: latched registrations are re-checked on every state change. */
  recheck(): void {
    for (const l of [...this.latched.values()]) if (!waitingFor(l.reg, this.core.state).length) this.evaluate(l.reg, l.trigger, l.details);
  }

  latchedTasks(): Array<{ task: string; taskId: string; waitingFor: string[] }> {
    return [...this.latched.values()].map((l) => ({ task: l.reg.name, taskId: l.reg.taskId, waitingFor: waitingFor(l.reg, this.core.state) }));
  }
}
