// The task host's data model: registrations, system state, trace events and options. Shared by the
// host, its runners, the scenario player and the CLI; nothing here knows about vscode, LSP or DAP.
import type { AccessStatus, CancellationReason } from '../core/model/catalog';
import type { ProfileId } from '../core/facts/types';

export interface TriggerSpec {
  /** Trigger class name: SystemTrigger, TimeTrigger, MaintenanceTrigger, ApplicationTrigger, PushNotificationTrigger, ... */
  type: string;
  /** SystemTrigger: the SystemTriggerType member (PascalCase). */
  systemTriggerType?: string;
  /** TimeTrigger / MaintenanceTrigger: minutes. */
  freshness?: number;
  oneShot?: boolean;
}

/** How the host runs a registration's code. */
export type RunnerKind = 'js' | 'modeled' | 'external' | 'none';

export interface Registration {
  taskId: string;
  name: string;
  /** Class name (namespace.class), JS start page, CLSID, or undefined for in-process tasks. */
  entryPoint?: string;
  trigger: TriggerSpec;
  conditions: string[];
  cancelOnConditionLoss: boolean;
  isNetworkRequested: boolean;
  /** TaskGroup id; grouped tasks are not in AllTasks (§5). */
  group?: string;
  /** Where it came from: app code found by the engine, app JS run against the emulated API, or a command. */
  source: 'code' | 'app' | 'command';
  /** Virtual ms at registration. */
  registeredAt: number;
  /** A one-shot trigger that has already fired (§2). */
  spent?: boolean;
  /** TimeTrigger/MaintenanceTrigger: the virtual time the next fire is due (aligned to the 15-minute tick). */
  nextFireAt?: number;
}

export interface SystemState {
  userPresent: boolean;
  internetAvailable: boolean;
  /** A free (non-metered) network is available. */
  freeNetworkAvailable: boolean;
  sessionConnected: boolean;
  backgroundWorkCost: 'Low' | 'Medium' | 'High';
  power: 'ac' | 'dc';
  batterySaver: boolean;
  /** The user exempted the app from battery saver (§3 TimeTrigger, §4). */
  batterySaverExempt: boolean;
  /** Windows 8.x: the app is on the lock screen (§1, §3.4). */
  lockScreen: boolean;
  /** What RequestAccessAsync returns (§5 BackgroundAccessStatus). */
  accessStatus: AccessStatus;
  timeZone: string;
}

export type AppState = 'notRunning' | 'running' | 'suspended';

export type TraceEventName =
  | 'registered' | 'unregistered' | 'registration-failed' | 'fired' | 'latched' | 'skipped' | 'started'
  | 'progress' | 'completed' | 'failed' | 'canceled' | 'delivered' | 'lifecycle' | 'state' | 'log' | 'expectation'
  // Windows 8/8.1 CPU quota (§4, HostOptions.cpuQuota): an instance suspended because the app's CPU
  // quota is used up (with `suspendedCount`, `cpuUsedMs`, `quotaMs`, `periodMs`, `resumeAt`), and
  // resumed at the quota's next refresh (with `suspendedCount`, `quotaMs`, `periodMs`).
  | 'suspended' | 'resumed';

/** One trace event (DESIGN.md "Trace"). `task` is absent for app-level events. */
export interface TraceEvent {
  t: number;
  event: TraceEventName;
  task?: string;
  taskId?: string;
  instanceId?: string;
  [key: string]: unknown;
}

export interface HostLimits {
  /** Win10 wall-clock limit for most triggers (§4): 30 s. */
  wallClockMs: number;
  /** ApplicationTrigger (§4): about 10 minutes. */
  applicationTriggerMs: number;
  /** DeviceServicingTrigger (§3.1, §4): 30 minutes. */
  deviceServicingMs: number;
  /** A JS task with nothing left to do that has not called close() is canceled as idle after this (§5; the delay is not documented). */
  idleMs: number;
  /** After a cancellation, how long the code may take to finish before its worker is terminated (UNVERIFIED for WinRT, §4: default 5 s). */
  cancelGraceMs: number;
  /** Worker heap limit (§4: per-device memory caps are UNVERIFIED; this is the host's own safety limit). */
  memoryMb: number;
  /**
   * Windows 8/8.1 CPU quota (§4), applied only with HostOptions.cpuQuota on a win8/win81 profile:
   * CPU ms an app on the lock screen may use per period (§4: 2 CPU-seconds every 15 minutes; the
   * figures come from secondary sources quoting the whitepaper, §10 #5, hence settings).
   */
  cpuQuotaLockScreenMs: number;
  cpuQuotaLockScreenPeriodMs: number;
  /** The same for an app not on the lock screen (§4: 1 CPU-second every 2 hours). */
  cpuQuotaMs: number;
  cpuQuotaPeriodMs: number;
  /**
   * CPU ms charged to the quota for one run of a modeled (C#/C++) instance, which runs no code;
   * external runners, which report no CPU, are charged the same per run. JS tasks are measured.
   * Default 50 ms: a small Run, 40 runs per lock-screen period and 20 per 2-hour period.
   */
  modeledCpuMs: number;
  /** Real ms the app's code (a WinJS start script, a handler) may run without returning before its process is killed. */
  appScriptMs: number;
  /** Real ms the host waits for an external runner that does not report `quiet` before virtual time moves on. */
  externalRunnerWaitMs: number;
}

export const DEFAULT_LIMITS: HostLimits = {
  wallClockMs: 30_000,
  applicationTriggerMs: 10 * 60_000,
  deviceServicingMs: 30 * 60_000,
  idleMs: 5_000,
  cancelGraceMs: 5_000,
  memoryMb: 64,
  cpuQuotaLockScreenMs: 2_000,
  cpuQuotaLockScreenPeriodMs: 15 * 60_000,
  cpuQuotaMs: 1_000,
  cpuQuotaPeriodMs: 2 * 3_600_000,
  modeledCpuMs: 50,
  appScriptMs: 10_000,
  externalRunnerWaitMs: 2_000,
};

export interface HostOptions {
  profile?: ProfileId;
  /** Folder where the host keeps registrations and LocalSettings (one file per app folder). */
  storageDir?: string;
  /** App folder (for static replay and to name the store). */
  appFolder?: string;
  limits?: Partial<HostLimits>;
  /**
   * Real milliseconds per platform millisecond: 0.01 makes the real-time budget of code that does
   * not yield (30 s) 300 ms, and with the live clock one real second is 100 virtual seconds.
   * Virtual time in a scenario (`advance`) is not scaled.
   */
  timeScale?: number;
  /**
   * `virtual` (scenarios, tests): time moves only by `advance`, and only when no code can run.
   * `live` (the prompt, debug sessions): virtual time follows the wall clock (÷ timeScale);
   * `advance` jumps ahead under the same rule.
   */
  clock?: 'virtual' | 'live';
  /** Run JS task code under the Node inspector on 127.0.0.1 (debug sessions); emits `inspector` events. */
  inspect?: boolean;
  /** Wall-clock ms of virtual time 0 for the sandbox's Date (default: a fixed date, or now with the live clock). */
  epoch?: number;
  /** Initial system state (merged over the defaults). */
  state?: Partial<SystemState>;
  /** External runner command for tasks that have no JS code (DESIGN.md external runner protocol). */
  runner?: string[];
  /**
   * The Windows 8/8.1 CPU quota model (§4, §9), off by default and used only on the win8 and win81
   * profiles: the app's tasks share a CPU budget per period (limits.cpuQuota*); when it is used up
   * the running instances are suspended (SuspendedCount + 1, a `suspended` trace event) until the
   * next refresh on the virtual clock, then resumed. Suspension pauses the wall-clock limits.
   */
  cpuQuota?: boolean;
  /** Generate ids deterministically (tests, scenario replay). */
  deterministicIds?: boolean;
}

export interface CancelInfo {
  reason: CancellationReason;
}
