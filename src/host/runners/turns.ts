// Turns: the host talks to one runner at a time. A message to a runner starts its turn; the turn
// ends when the runner reports `quiet` (no code of its can run until the host sends more), exits,
// or a real-time bound passes. So task code runs in a deterministic order, and `settle()` resolves
// when no task code can run: the point at which virtual time may move (DESIGN.md "Time").
import type { HostToRunner } from '../protocol';

export interface TurnTarget {
  readonly exited: boolean;
  send(msg: HostToRunner): void;
}

interface Pending {
  target: TurnTarget;
  msg: HostToRunner;
  /** Real ms the turn may take before it counts as over (external runners that never say quiet). */
  boundMs?: number;
  onStart?: () => void;
  /** Called when the turn ends, with the real ms it took. */
  onEnd?: (realMs: number) => void;
}

export class Turns {
  private readonly queue: Pending[] = [];
  private busy?: { target: TurnTarget; timer?: NodeJS.Timeout; startedAt: number; onEnd?: (realMs: number) => void };
  private waiters: Array<() => void> = [];

  /** What virtual time it is, stamped on every message (the sandbox's Date and performance.now). */
  constructor(private readonly now: () => number) {}

  send(target: TurnTarget, msg: HostToRunner, opts: { boundMs?: number; onStart?: () => void; onEnd?: (realMs: number) => void } = {}): void {
    this.queue.push({ target, msg, ...opts });
    this.pump();
  }

  /** The target reported quiet (or exited): its turn is over. */
  quiet(target: TurnTarget): void {
    if (this.busy?.target !== target) return;
    this.endTurn();
  }

  /** The target is gone: drop what was waiting for it, end its turn. */
  gone(target: TurnTarget): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].target === target) this.queue.splice(i, 1);
    if (this.busy?.target === target) this.endTurn();
    else this.notify();
  }

  isBusy(target?: TurnTarget): boolean {
    return target ? this.busy?.target === target : !!this.busy;
  }

  idle(): boolean {
    return !this.busy && !this.queue.length;
  }

  /** Resolves when no runner has a turn and nothing waits to be sent. */
  settle(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private endTurn(): void {
    const b = this.busy;
    if (!b) return;
    this.busy = undefined;
    if (b.timer) clearTimeout(b.timer);
    b.onEnd?.(performance.now() - b.startedAt);
    this.pump();
  }

  private pump(): void {
    while (!this.busy && this.queue.length) {
      const next = this.queue.shift()!;
      if (next.target.exited) continue;
      next.msg.now = this.now();
      this.busy = { target: next.target, startedAt: performance.now(), onEnd: next.onEnd };
      if (next.boundMs !== undefined) {
        const target = next.target;
        this.busy.timer = setTimeout(() => this.quiet(target), next.boundMs);
      }
      next.onStart?.();
      next.target.send(next.msg);
    }
    this.notify();
  }

  private notify(): void {
    if (!this.idle() || !this.waiters.length) return;
    for (const w of this.waiters.splice(0)) w();
  }
}
