// The timeline as plain data (no vscode import, unit-tested and benchmarked): trace events → one lane
// per registration with fire marks, latched waits, run bars (progress, how they ended) and app
// lifecycle bands on the virtual time axis; and the same picture as a standalone SVG (Export SVG).
import type { TraceEvent } from '../../host/types';

export type Outcome = 'running' | 'completed' | 'failed' | 'canceled';
export type MarkKind = 'registered' | 'unregistered' | 'registration-failed' | 'fired' | 'skipped' | 'delivered' | 'state' | 'expectation';

export interface Lane {
  name: string;
  taskId?: string;
}

export interface Bar {
  lane: number;
  instanceId: string;
  from: number;
  /** Undefined while the instance runs. */
  to?: number;
  progress: number;
  outcome: Outcome;
  /** Cancellation reason or error. */
  why?: string;
  trigger?: string;
  suspended?: boolean;
}

export interface Wait {
  lane: number;
  from: number;
  to?: number;
  waitingFor: string[];
}

export interface Mark {
  /** -1: the app lane (state changes, fires that reached nothing). */
  lane: number;
  t: number;
  kind: MarkKind;
  text: string;
}

export interface Band {
  from: number;
  to?: number;
  state: string;
}

export interface TimelineLayout {
  start: number;
  end: number;
  events: number;
  lanes: Lane[];
  bars: Bar[];
  waits: Wait[];
  marks: Mark[];
  bands: Band[];
}

/** Builds the layout incrementally: O(1) per event. */
export class TimelineBuilder {
  private readonly laneOf = new Map<string, number>();
  private readonly openBars = new Map<string, Bar>();
  private readonly openWaits = new Map<number, Wait>();
  readonly layout: TimelineLayout = { start: 0, end: 0, events: 0, lanes: [], bars: [], waits: [], marks: [], bands: [] };

  private lane(ev: TraceEvent): number {
    const key = ev.task ?? '';
    let i = this.laneOf.get(key);
    if (i === undefined) {
      i = this.layout.lanes.length;
      this.laneOf.set(key, i);
      this.layout.lanes.push({ name: key, taskId: ev.taskId });
    }
    return i;
  }

  private mark(lane: number, ev: TraceEvent, kind: MarkKind, text: string): void {
    this.layout.marks.push({ lane, t: ev.t, kind, text });
  }

  add(ev: TraceEvent): void {
    const L = this.layout;
    if (L.events === 0) L.start = ev.t;
    L.events++;
    if (ev.t > L.end) L.end = ev.t;
    if (ev.event === 'lifecycle') {
      const open = L.bands[L.bands.length - 1];
      if (open && open.to === undefined) open.to = ev.t;
      L.bands.push({ from: ev.t, state: String(ev.state) });
      return;
    }
    if (!ev.task) {
      if (ev.event === 'state') this.mark(-1, ev, 'state', `state ${JSON.stringify(ev.changes)}`);
      else if (ev.event === 'fired') this.mark(-1, ev, 'fired', `${String(ev.trigger)} fired (no registration)`);
      else if (ev.event === 'expectation') this.mark(-1, ev, 'expectation', `expectation ${ev.ok ? 'held' : 'FAILED'}`);
      return;
    }
    const lane = this.lane(ev);
    const closeWait = () => {
      const w = this.openWaits.get(lane);
      if (w) {
        w.to = ev.t;
        this.openWaits.delete(lane);
      }
    };
    switch (ev.event) {
      case 'registered':
      case 'unregistered':
      case 'registration-failed':
        this.mark(lane, ev, ev.event, ev.event === 'registration-failed' ? `registration failed: ${String(ev.error)}` : `${ev.event} ${String(ev.trigger ?? '')}`.trim());
        if (ev.event === 'unregistered') closeWait();
        return;
      case 'fired':
        this.mark(lane, ev, 'fired', `${String(ev.trigger)} fired`);
        return;
      case 'skipped':
        this.mark(lane, ev, 'skipped', `skipped: ${String(ev.why ?? '')}`);
        return;
      case 'delivered':
        this.mark(lane, ev, 'delivered', `${String(ev.what)} delivered${ev.queued ? ' (queued)' : ''}`);
        return;
      case 'latched': {
        if (this.openWaits.has(lane)) return;
        const w: Wait = { lane, from: ev.t, waitingFor: (ev.waitingFor as string[] | undefined) ?? [] };
        this.openWaits.set(lane, w);
        L.waits.push(w);
        return;
      }
      case 'started': {
        closeWait();
        const bar: Bar = { lane, instanceId: String(ev.instanceId), from: ev.t, progress: 0, outcome: 'running', trigger: ev.trigger as string | undefined };
        this.openBars.set(bar.instanceId, bar);
        L.bars.push(bar);
        return;
      }
      case 'progress': {
        const bar = this.openBars.get(String(ev.instanceId));
        if (bar && typeof ev.progress === 'number') bar.progress = ev.progress;
        return;
      }
      case 'suspended':
      case 'resumed': {
        const bar = this.openBars.get(String(ev.instanceId));
        if (bar) bar.suspended = ev.event === 'suspended';
        return;
      }
      case 'completed':
      case 'failed':
      case 'canceled': {
        const bar = this.openBars.get(String(ev.instanceId));
        if (!bar) return;
        bar.to = ev.t;
        bar.outcome = ev.event;
        if (ev.event === 'completed') bar.progress = Math.max(bar.progress, 100);
        else bar.why = String(ev.event === 'failed' ? ev.error ?? '' : ev.reason ?? '');
        this.openBars.delete(bar.instanceId);
        return;
      }
      default:
        return;
    }
  }

  addAll(events: readonly TraceEvent[]): this {
    for (const ev of events) this.add(ev);
    return this;
  }
}

/** `bgtask host --json` output: one trace object per line; other lines (a prompt, a summary) are skipped. */
export function parseTraceLines(text: string): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      const ev = JSON.parse(t);
      if (ev && typeof ev.t === 'number' && typeof ev.event === 'string') out.push(ev);
    } catch {
      // not a trace line
    }
  }
  return out;
}

export function layoutTimeline(events: readonly TraceEvent[]): TimelineLayout {
  return new TimelineBuilder().addAll(events).layout;
}

// ---- geometry shared by the webview's canvas and the SVG export -------------------------------

export const GEOMETRY = { laneHeight: 22, labelWidth: 180, axisHeight: 24, barHeight: 12, minBarWidth: 3 };

export interface Viewport {
  width: number;
  /** Virtual ms at the left edge, and ms per pixel. */
  from: number;
  msPerPx: number;
}

export function fitViewport(layout: TimelineLayout, width: number): Viewport {
  const span = Math.max(layout.end - layout.start, 1000);
  return { width, from: layout.start, msPerPx: span / Math.max(width - GEOMETRY.labelWidth - 20, 50) };
}

export function xOf(t: number, v: Viewport): number {
  return GEOMETRY.labelWidth + (t - v.from) / v.msPerPx;
}

/** Time axis ticks: a round step giving about one label per 100 px. */
export function ticks(v: Viewport): number[] {
  const want = v.msPerPx * 100;
  const steps = [1, 10, 100, 1000, 5000, 15_000, 60_000, 300_000, 900_000, 3_600_000, 4 * 3_600_000, 86_400_000, 7 * 86_400_000];
  const step = steps.find((s) => s >= want) ?? steps[steps.length - 1];
  const out: number[] = [];
  const end = v.from + (v.width - GEOMETRY.labelWidth) * v.msPerPx;
  for (let t = Math.ceil(v.from / step) * step; t <= end && out.length < 200; t += step) out.push(t);
  return out;
}

export function timeLabel(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h}:${String(m).padStart(2, '0')}:${s < 10 ? '0' : ''}${s.toFixed(ms % 1000 ? 1 : 0)}`;
}

const COLORS = { running: '#3794ff', completed: '#388a34', failed: '#e51400', canceled: '#bf8803', wait: '#8c8c8c', fired: '#652d90', band: { running: 'rgba(56,138,52,0.08)', suspended: 'rgba(191,136,3,0.12)', notRunning: 'rgba(128,128,128,0.10)' } as Record<string, string>, text: '#333333', grid: '#d0d0d0' };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The layout as a standalone SVG (fixed colours: the file leaves the theme). Off-screen items are culled. */
export function timelineSvg(L: TimelineLayout, v: Viewport): string {
  const G = GEOMETRY;
  const height = G.axisHeight + (L.lanes.length + 1) * G.laneHeight;
  const right = v.width;
  const endT = v.from + (right - G.labelWidth) * v.msPerPx;
  const visible = (from: number, to: number | undefined) => (to ?? L.end) >= v.from && from <= endT;
  const laneY = (lane: number) => G.axisHeight + (lane + 1) * G.laneHeight;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${right}" height="${height}" font-family="sans-serif" font-size="11">`];
  for (const b of L.bands) {
    if (!visible(b.from, b.to)) continue;
    const x1 = Math.max(G.labelWidth, xOf(b.from, v));
    const x2 = Math.min(right, xOf(b.to ?? L.end, v) + G.minBarWidth);
    parts.push(`<rect x="${x1.toFixed(1)}" y="${G.axisHeight}" width="${Math.max(x2 - x1, 1).toFixed(1)}" height="${height - G.axisHeight}" fill="${COLORS.band[b.state] ?? COLORS.band.notRunning}"><title>app ${esc(b.state)}</title></rect>`);
  }
  for (const t of ticks(v)) {
    const x = xOf(t, v).toFixed(1);
    parts.push(`<line x1="${x}" y1="${G.axisHeight - 4}" x2="${x}" y2="${height}" stroke="${COLORS.grid}"/><text x="${x}" y="${G.axisHeight - 8}" fill="${COLORS.text}">${timeLabel(t)}</text>`);
  }
  parts.push(`<text x="4" y="${laneY(-1) + 15}" fill="${COLORS.text}" font-weight="bold">app</text>`);
  L.lanes.forEach((lane, i) => parts.push(`<text x="4" y="${laneY(i) + 15}" fill="${COLORS.text}">${esc(lane.name)}</text>`));
  for (const w of L.waits) {
    if (!visible(w.from, w.to)) continue;
    const x1 = xOf(w.from, v);
    const x2 = xOf(w.to ?? L.end, v);
    const y = laneY(w.lane) + G.laneHeight / 2;
    parts.push(`<line x1="${x1.toFixed(1)}" y1="${y}" x2="${Math.max(x2, x1 + G.minBarWidth).toFixed(1)}" y2="${y}" stroke="${COLORS.wait}" stroke-dasharray="4 3" stroke-width="2"><title>latched, waiting for ${esc(w.waitingFor.join(', '))}</title></line>`);
  }
  for (const b of L.bars) {
    if (!visible(b.from, b.to)) continue;
    const x1 = xOf(b.from, v);
    const w = Math.max(xOf(b.to ?? L.end, v) - x1, G.minBarWidth);
    const y = laneY(b.lane) + (G.laneHeight - G.barHeight) / 2;
    const title = `${L.lanes[b.lane]?.name} ${b.outcome}${b.why ? ` (${b.why})` : ''} · ${Math.round(b.progress)}%`;
    parts.push(`<rect x="${x1.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${G.barHeight}" fill="${COLORS[b.outcome]}" fill-opacity="0.35"><title>${esc(title)}</title></rect>`);
    parts.push(`<rect x="${x1.toFixed(1)}" y="${y}" width="${((w * Math.min(b.progress, 100)) / 100).toFixed(1)}" height="${G.barHeight}" fill="${COLORS[b.outcome]}"/>`);
  }
  for (const m of L.marks) {
    if (m.t < v.from || m.t > endT) continue;
    const x = xOf(m.t, v).toFixed(1);
    const y = laneY(m.lane);
    parts.push(`<path d="M${x} ${y + 3} l4 4 l-4 4 l-4 -4 z" fill="${m.kind === 'registration-failed' || (m.kind === 'expectation' && m.text.includes('FAILED')) ? COLORS.failed : COLORS.fired}"><title>${esc(m.text)}</title></path>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
