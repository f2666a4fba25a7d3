// A running session's registrations as the tree shows them (no vscode import): the registry
// snapshot (running, latched, spent) plus the trace (progress, and how each task's last run ended).
import { pathToFileURL } from 'node:url';
import type { TraceEvent } from '../../host/types';
import type { LiveRegistration } from '../treeView/model';
import type { HostSnapshot } from './hostSessions';

export function liveRegistrations(snap: HostSnapshot, trace: readonly TraceEvent[]): LiveRegistration[] {
  const progress = new Map<string, number>();
  const last = new Map<string, TraceEvent>();
  for (const ev of trace) {
    if (ev.event === 'progress' && ev.instanceId && typeof ev.progress === 'number') progress.set(ev.instanceId, ev.progress);
    if (ev.taskId && (ev.event === 'completed' || ev.event === 'failed' || ev.event === 'canceled' || ev.event === 'started')) last.set(ev.taskId, ev);
  }
  return snap.registrations.map((r) => {
    const out: LiveRegistration = { name: r.name, entryPoint: r.entryPoint, trigger: r.trigger, state: 'idle' };
    if (r.location) out.location = { uri: pathToFileURL(r.location.path).href, path: r.location.path, range: { start: { line: r.location.line - 1, character: 0 }, end: { line: r.location.line - 1, character: 0 } } };
    const running = snap.running.filter((i) => i.taskId === r.taskId);
    if (running.length) {
      out.state = running.every((i) => i.suspended) ? 'suspended' : 'running';
      const p = running.map((i) => progress.get(i.instanceId)).find((x) => x !== undefined);
      if (p !== undefined) out.progress = p;
      return out;
    }
    if (r.latched?.length) {
      out.state = 'latched';
      out.waitingFor = r.latched;
      return out;
    }
    const end = last.get(r.taskId);
    if (end?.event === 'completed') out.state = 'completed';
    else if (end?.event === 'failed') {
      out.state = 'failed';
      out.error = String(end.error ?? '');
    } else if (end?.event === 'canceled') {
      out.state = 'canceled';
      out.reason = String(end.reason ?? '');
    }
    return out;
  });
}
