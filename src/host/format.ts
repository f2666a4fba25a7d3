// Human-readable trace lines (the CLI default and the debug adapter's output events):
// `+0:15:00.000  started     TimeTriggeredTask  trigger=TimeTrigger`.
import type { TraceEvent } from './types';

export function formatTime(ms: number): string {
  const d = Math.floor(ms / 86_400_000);
  const h = Math.floor((ms % 86_400_000) / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const r = Math.floor(ms % 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `+${d ? `${d}d ` : ''}${h}:${two(m)}:${two(s)}.${String(r).padStart(3, '0')}`;
}

const HIDDEN = new Set(['t', 'event', 'task', 'taskId', 'instanceId']);

export function formatTrace(ev: TraceEvent): string {
  const details = Object.entries(ev)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== undefined)
    .map(([k, v]) => (k === 'text' ? String(v) : `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`))
    .join('  ');
  const inst = ev.instanceId ? ` #${String(ev.instanceId).slice(-6)}` : '';
  return `${formatTime(ev.t).padEnd(14)} ${ev.event.padEnd(19)} ${ev.task ? ev.task + inst : ''}${ev.task ? '  ' : ''}${details}`.trimEnd();
}
