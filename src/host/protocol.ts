// The runner protocol shared by the host, its worker threads and external runners (DESIGN.md
// "External runner protocol"): JSON messages, versioned from day one.
import type { RegistrationInfo } from './worker/windowsApi';

export const PROTOCOL_VERSION = 1;

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
  /** Report `idle` after this many ms with nothing to do and no close() (WebUI tasks only). */
  idleMs?: number;
}
