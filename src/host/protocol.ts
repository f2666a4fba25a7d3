// The runner protocol shared by the host, its sandboxed JS runner and external runners (DESIGN.md
// "External runner protocol"): JSON lines, versioned. Protocol 2 starts with a handshake (`hello`
// both ways, before any run), moves timers onto the host's virtual clock (`set-timer`/`timer`) and
// ends every turn with `quiet`; an external runner may omit `quiet` (the host then waits a bounded
// real time) and need not implement timers.
import type { BuilderSpec, RegistrationInfo } from './worker/windowsApi';

export const PROTOCOL_VERSION = 2;

/** host → runner. `task`, `code`, `settings`, `allTasks`, ... are extensions a runner may ignore. */
export interface RunMessage {
  op: 'run';
  protocol?: number;
  instanceId: string;
  entryPoint: string;
  trigger: string;
  triggerDetails?: unknown;
  task?: RegistrationInfo;
  code?: string;
  settings?: Record<string, unknown>;
  allTasks?: RegistrationInfo[];
  backgroundWorkCost?: string;
  suspendedCount?: number;
  /** Virtual time (ms since the host's start) when the message is sent. */
  now?: number;
}

export type HostToRunner = { now?: number } & (
  | { op: 'hello'; protocol: number; appFolder?: string; memoryMb?: number; epoch?: number }
  | RunMessage
  | { op: 'cancel'; instanceId: string; reason?: string }
  | { op: 'timer'; instanceId: string; id: number }
  | { op: 'resume'; instanceId: string; suspendedCount?: number }
  | { op: 'app-start'; scripts: Array<{ file: string; code?: string }> }
  | { op: 'app-event'; taskId: string; event: 'completed' | 'progress'; args?: Record<string, unknown> }
  | { op: 'reply'; seq: number; value?: unknown; error?: string }
);

/** The app's synchronous calls into the host (the emulated API's ApiBackend, for app code). */
export type AppCall =
  | { method: 'allTasks'; args: [] }
  | { method: 'register'; args: [BuilderSpec] }
  | { method: string; args: unknown[] };
