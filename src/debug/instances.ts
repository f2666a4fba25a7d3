// What the Call Stack and Variables show, kept from the trace: one entry per running task instance
// (thread id, run number, trigger, progress, CPU-quota suspension, cancel reason) and where its code
// is (a JS file, or the Run method of a modeled C#/C++ class, found from the engine's facts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppModel } from '../host/host';
import type { TraceEvent } from '../host/types';

export interface LiveInstance {
  threadId: number;
  instanceId: string;
  task: string;
  taskId?: string;
  /** The nth run of this registration name in this session. */
  run: number;
  trigger?: string;
  runner?: string;
  startedAt: number;
  progress?: number;
  suspended?: boolean;
  suspendedCount: number;
  cancelReason?: string;
  triggerDetails?: unknown;
}

export const APP_THREAD_ID = 1;

export class InstanceTracker {
  readonly byId = new Map<string, LiveInstance>();
  private nextThread = APP_THREAD_ID + 1;
  private readonly runs = new Map<string, number>();
  /** Details of the last fire per trigger name, for the Instance scope (the trace does not carry them). */
  private readonly pendingDetails = new Map<string, unknown>();

  noteDetails(trigger: string, details: unknown): void {
    if (details !== undefined && details !== null) this.pendingDetails.set(trigger, details);
  }

  /** Updates from one trace event; returns the thread that started or ended, if any. */
  onTrace(ev: TraceEvent): { started?: LiveInstance; ended?: LiveInstance } {
    const id = ev.instanceId;
    switch (ev.event) {
      case 'started': {
        if (!id || !ev.task) return {};
        const run = (this.runs.get(ev.task) ?? 0) + 1;
        this.runs.set(ev.task, run);
        const trigger = typeof ev.trigger === 'string' ? ev.trigger : undefined;
        const inst: LiveInstance = { threadId: this.nextThread++, instanceId: id, task: ev.task, taskId: ev.taskId, run, trigger, runner: ev.runner as string | undefined, startedAt: ev.t, suspendedCount: 0 };
        const details = trigger ? this.pendingDetails.get(trigger) ?? this.pendingDetails.get(trigger.replace(/^SystemTrigger\((\w+).*$/, '$1')) : undefined;
        if (details !== undefined) inst.triggerDetails = details;
        this.byId.set(id, inst);
        return { started: inst };
      }
      case 'progress': {
        const inst = id ? this.byId.get(id) : undefined;
        if (inst && typeof ev.progress === 'number') inst.progress = ev.progress;
        return {};
      }
      case 'suspended':
      case 'resumed': {
        const inst = id ? this.byId.get(id) : undefined;
        if (inst) {
          inst.suspended = ev.event === 'suspended';
          if (typeof ev.suspendedCount === 'number') inst.suspendedCount = ev.suspendedCount;
        }
        return {};
      }
      case 'completed':
      case 'failed':
      case 'canceled': {
        const inst = id ? this.byId.get(id) : undefined;
        if (!inst) return {};
        if (ev.event === 'canceled') inst.cancelReason = String(ev.reason ?? '');
        this.byId.delete(inst.instanceId);
        return { ended: inst };
      }
      default:
        return {};
    }
  }

  byThread(threadId: number): LiveInstance | undefined {
    for (const i of this.byId.values()) if (i.threadId === threadId) return i;
    return undefined;
  }

  all(): LiveInstance[] {
    return [...this.byId.values()];
  }
}

export function threadName(i: LiveInstance): string {
  const state = i.suspended ? `suspended by the CPU quota (${i.suspendedCount}×)` : i.cancelReason ? `canceling (${i.cancelReason})` : `running${i.progress !== undefined ? ` ${Math.round(i.progress)}%` : ''}`;
  return `${i.task} #${i.run} · ${state}`;
}

export interface CodeLocation {
  path: string;
  /** 1-based. */
  line: number;
  column: number;
  name: string;
}

const EXTS: Record<string, RegExp> = {
  csharp: /\.cs$/i,
  cppcx: /\.(cpp|cxx|cc|h|hpp|hxx)$/i,
  cppwinrt: /\.(cpp|cxx|cc|h|hpp|hxx)$/i,
  typescript: /\.tsx?$/i,
  javascript: /\.jsx?$/i,
};
const SKIP = new Set(['node_modules', 'bin', 'obj', '.git', '.vs', 'dist', 'out']);

function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

/**
 * Finds the code a registration runs. The engine's class facts carry spans but not their file
 * (AppModel.classes), so the file is the one under `root` whose text has the class name at the
 * fact's name span; the frame points at Run (or the class when Run is missing).
 */
export class SourceLocator {
  private readonly cache = new Map<string, CodeLocation | null>();

  constructor(private readonly root: string, private readonly app: AppModel) {}

  locate(entryPoint: string | undefined): CodeLocation | undefined {
    if (!entryPoint) return undefined;
    if (this.cache.has(entryPoint)) return this.cache.get(entryPoint) ?? undefined;
    const found = this.find(entryPoint);
    this.cache.set(entryPoint, found ?? null);
    return found;
  }

  private find(ep: string): CodeLocation | undefined {
    if (/\.(c|m)?(j|t)sx?$/i.test(ep)) {
      const p = path.isAbsolute(ep) ? ep : path.resolve(this.app.folder, ep.replace(/\\/g, '/'));
      return fs.existsSync(p) ? { path: p, line: 1, column: 1, name: path.basename(p) } : undefined;
    }
    const cls = this.app.classes.get(ep);
    if (!cls) return undefined;
    const ext = EXTS[cls.language];
    const bodyFirst = (cls.language === 'cppcx' || cls.language === 'cppwinrt') && cls.run?.bodySpan;
    const candidates: string[] = [];
    const walk = (dir: string, depth: number) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.isDirectory()) {
          if (depth > 0 && !SKIP.has(e.name) && !e.name.startsWith('.')) walk(path.join(dir, e.name), depth - 1);
        } else if (ext?.test(e.name)) candidates.push(path.join(dir, e.name));
      }
    };
    walk(this.root, 6);
    // A C++ class's Run body is in the .cpp: try those first when the fact has a body.
    if (bodyFirst) candidates.sort((a, b) => Number(/\.h/i.test(a)) - Number(/\.h/i.test(b)));
    for (const file of candidates.slice(0, 2000)) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      if (text.slice(cls.nameSpan.start, cls.nameSpan.end) !== cls.name) continue;
      const at = cls.run ? cls.run.nameSpan.start : cls.nameSpan.start;
      const { line, column } = lineCol(text, at);
      return { path: file, line, column, name: `${cls.fullName}.${cls.run ? 'Run' : cls.name}` };
    }
    return undefined;
  }
}
