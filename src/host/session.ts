// One way to open the task host on an app folder, shared by `bgtask host`, the debug adapter and
// tests: load the app's facts, build the host with its options, attach the app's start scripts,
// open the store. The caller listens to `host.on('trace')` (attach before open via `onTrace`).
import type { ProfileId } from '../core/facts/types';
import { attachAppCode } from './appCode';
import { TaskHost, type AppModel } from './host';
import { loadApp } from './staticApp';
import type { HostLimits, HostOptions, SystemState, TraceEvent } from './types';

export interface HostSessionOptions {
  /** The app folder (or a folder holding its manifest). */
  folder: string;
  /** A manifest path, when the folder holds several apps. */
  manifest?: string;
  profile?: ProfileId;
  state?: Partial<SystemState>;
  limits?: Partial<HostLimits>;
  timeScale?: number;
  cpuQuota?: boolean;
  /** External runner command (trusted workspaces only: the caller decides). */
  runner?: string[];
  /** Where the registry persists; undefined: nothing persists. */
  storageDir?: string;
  deterministicIds?: boolean;
  /** Called with every trace event, attached before the store is opened (so restore events are seen). */
  onTrace?: (ev: TraceEvent) => void;
  /** Extra host options (clock mode, inspector, ...), merged last. */
  hostOptions?: Partial<HostOptions>;
}

export interface HostSession {
  host: TaskHost;
  app: AppModel;
  close(): Promise<void>;
}

export async function openHostSession(o: HostSessionOptions): Promise<HostSession> {
  const app = await loadApp(o.folder, o.profile, o.manifest);
  const options: HostOptions = {
    profile: o.profile ?? app.profile,
    appFolder: app.folder ?? o.folder,
    storageDir: o.storageDir,
    timeScale: o.timeScale,
    limits: o.limits,
    cpuQuota: o.cpuQuota,
    state: o.state,
    runner: o.runner,
    deterministicIds: o.deterministicIds,
    ...o.hostOptions,
  };
  const host = new TaskHost(options, app);
  attachAppCode(host, app.startScripts);
  if (o.onTrace) host.on('trace', o.onTrace);
  host.open();
  return { host, app, close: () => host.close() };
}
