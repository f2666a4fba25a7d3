// Running `bgtask` debug sessions as the rest of the UI sees them: each session's trace (from the
// adapter's `bgtask.trace` events) and its latest registry snapshot (`bgtask.registrations`, asked
// after trace bursts and once a second for the live clock). The tree, status bar, output channel and
// timeline listen to onDidChange / onTrace.
import * as vscode from 'vscode';
import type { TraceEvent } from '../../host/types';

export const DEBUG_TYPE = 'bgtask';
export const MAX_TRACE = 200_000;

export interface RegistrationSnapshot {
  name: string;
  taskId: string;
  entryPoint?: string;
  trigger: string;
  conditions: string[];
  spent: boolean;
  latched?: string[];
  running: string[];
  visualStudioCanFire: boolean;
  location?: { path: string; line: number };
}

export interface HostSnapshot {
  now: number;
  appState: 'notRunning' | 'running' | 'suspended';
  appFolder?: string;
  state: Record<string, unknown>;
  registrations: RegistrationSnapshot[];
  running: Array<{ instanceId: string; task: string; taskId: string; startedAt: number; suspended?: boolean }>;
  latched: Array<{ task: string; waitingFor: string[] }>;
  /** Registrations the app's code makes on demand (a button, a page), not at launch. */
  onDemand?: Array<{ name: string; entryPoint?: string; trigger: string; registeredBy: string }>;
}

export interface HostSessionView {
  session: vscode.DebugSession;
  trace: TraceEvent[];
  snapshot?: HostSnapshot;
  /** Date.now() when the snapshot arrived, to let the clock run between snapshots. */
  snapshotAt: number;
}

export class HostSessions implements vscode.Disposable {
  private readonly views = new Map<string, HostSessionView>();
  private readonly changed = new vscode.EventEmitter<HostSessionView | undefined>();
  private readonly traced = new vscode.EventEmitter<{ view: HostSessionView; ev: TraceEvent }>();
  readonly onDidChange = this.changed.event;
  readonly onTrace = this.traced.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private clock?: ReturnType<typeof setInterval>;

  constructor() {
    this.disposables.push(
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type !== DEBUG_TYPE || s.configuration.request !== 'launch') return;
        this.views.set(s.id, { session: s, trace: [], snapshotAt: Date.now() });
        this.update();
        this.refresh(s.id, 0);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (!this.views.delete(s.id)) return;
        this.update();
        this.changed.fire(undefined);
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        const view = this.views.get(e.session.id);
        if (!view) return;
        if (e.event === 'bgtask.trace') {
          const ev = e.body as TraceEvent;
          if (view.trace.length >= MAX_TRACE) view.trace.splice(0, MAX_TRACE / 10);
          view.trace.push(ev);
          this.traced.fire({ view, ev });
          this.refresh(e.session.id, 50);
        }
      }),
    );
  }

  private update(): void {
    void vscode.commands.executeCommand('setContext', 'bgtask.hostRunning', this.views.size > 0);
    if (this.views.size && !this.clock) this.clock = setInterval(() => this.views.forEach((_, id) => this.refresh(id, 0)), 1000);
    if (!this.views.size && this.clock) {
      clearInterval(this.clock);
      this.clock = undefined;
    }
  }

  /** Ask the adapter for its registry after `delayMs` (coalesced). */
  refresh(id: string, delayMs: number): void {
    if (this.pending.has(id)) return;
    this.pending.set(id, setTimeout(() => {
      this.pending.delete(id);
      const view = this.views.get(id);
      if (!view) return;
      view.session.customRequest('bgtask.registrations', {}).then((snap: HostSnapshot) => {
        view.snapshot = snap;
        view.snapshotAt = Date.now();
        this.changed.fire(view);
      }, () => undefined);
    }, delayMs));
  }

  all(): HostSessionView[] {
    return [...this.views.values()];
  }

  /** The active bgtask session, else the only/first one. */
  current(): HostSessionView | undefined {
    const active = vscode.debug.activeDebugSession;
    if (active && this.views.has(active.id)) return this.views.get(active.id);
    return this.views.values().next().value;
  }

  /** Latest snapshot now, asked for directly (for pickers that must not show stale data). */
  async snapshot(view: HostSessionView): Promise<HostSnapshot> {
    const snap = (await view.session.customRequest('bgtask.registrations', {})) as HostSnapshot;
    view.snapshot = snap;
    view.snapshotAt = Date.now();
    return snap;
  }

  dispose(): void {
    if (this.clock) clearInterval(this.clock);
    for (const t of this.pending.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
    this.traced.dispose();
  }
}
