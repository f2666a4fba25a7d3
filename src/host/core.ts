// What the host's parts share: the clock, the registry, the state, the options and the trace. The
// TaskHost facade implements it; the scheduler, instances, CPU quota and app lifecycle take it.
import type { ProfileId, TaskClassFact } from '../core/facts/types';
import type { VirtualClock } from './clock';
import type { Registry } from './registry';
import type { HostLimits, HostOptions, Registration, SystemState, TraceEvent, TraceEventName } from './types';
import type { BuilderSpec } from './worker/windowsApi';

/** What the host knows of the app's code (built from the engine's facts, see staticApp.ts). */
export interface AppModel {
  folder: string;
  profile: ProfileId;
  /** Manifest: entry point (or StartPage) → declared Task Types; undefined when no manifest facts. */
  declarations?: Map<string, string[]>;
  /** Task classes by full name (C#/C++), for modeled instances. */
  classes: Map<string, TaskClassFact>;
  /**
   * Registrations found in the app's code. `onLaunch` ones (reachable from app start) are replayed
   * on each launch; the others are registered on demand (`registerOnDemand`), as a button click would.
   */
  registrations: Array<{ spec: BuilderSpec; allTasksChecked: boolean; where: string; onLaunch?: boolean; registeredBy?: string }>;
  /** WinJS start page scripts, run on launch against the emulated API. */
  startScripts: string[];
  hasOnBackgroundActivated: boolean;
  /** The manifest's JS StartPage entry points that name no file (activation fails on Windows). */
  missingStartPages?: string[];
}

export interface HostCore {
  readonly clock: VirtualClock;
  readonly registry: Registry;
  readonly profile: ProfileId;
  readonly limits: HostLimits;
  readonly timeScale: number;
  readonly options: HostOptions;
  readonly app?: AppModel;
  state: SystemState;
  localSettings: Record<string, unknown>;
  trace(event: TraceEventName, reg?: Pick<Registration, 'name' | 'taskId'>, extra?: Record<string, unknown>): TraceEvent;
  log(text: string, reg?: Pick<Registration, 'name' | 'taskId'>, extra?: Record<string, unknown>): void;
  newId(): string;
  /** Mark the store dirty (written on the next turn of the event loop). */
  save(): void;
  emit(event: string | symbol, ...args: unknown[]): boolean;
}
