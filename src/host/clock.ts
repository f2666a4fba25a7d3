// The virtual clock: timers ordered by due time (then by creation), run in order by advance(). It
// never reads the real clock, so a replay is deterministic and `advance 30d` costs only its timers.
export interface ClockTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class VirtualClock {
  private time = 0;
  private seq = 0;
  private heap: ClockTimer[] = [];

  now(): number {
    return this.time;
  }

  schedule(at: number, fn: () => void): ClockTimer {
    const timer: ClockTimer = { at: Math.max(at, this.time), seq: this.seq++, fn, cancelled: false };
    this.push(timer);
    return timer;
  }

  cancel(timer: ClockTimer | undefined): void {
    if (timer) timer.cancelled = true;
  }

  /** Move time forward by ms, running every timer due on the way, in order. */
  advance(ms: number): void {
    const end = this.time + Math.max(0, ms);
    for (;;) {
      const top = this.heap[0];
      if (!top || top.at > end) break;
      this.pop();
      if (top.cancelled) continue;
      this.time = top.at;
      top.fn();
    }
    this.time = end;
  }

  pending(): number {
    return this.heap.filter((t) => !t.cancelled).length;
  }

  private less(a: ClockTimer, b: ClockTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(t: ClockTimer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): ClockTimer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
