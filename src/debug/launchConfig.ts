// The `bgtask` launch configuration (DESIGN.md "Debug adapter"): its attributes, checked with a
// message that names the attribute, and turned into openHostSession options. The extension
// contributes the same attributes (package.json "debuggers") and resolves `${workspaceFolder}`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultStoreDir } from '../host/store';
import { PROFILES } from '../core/model/catalog';
import type { ProfileId } from '../core/facts/types';
import type { HostSessionOptions } from '../host/session';
import type { HostLimits } from '../host/types';
import { parseDuration } from '../host/duration';
import { RequestError, stateChanges } from './commands';

export interface BgtaskLaunchArguments {
  folder?: string;
  /** A manifest path, when the folder holds several apps. */
  app?: string;
  profile?: string;
  state?: Record<string, unknown>;
  /** A *.bgscenario.json replayed after launch. */
  scenario?: string;
  timeScale?: number;
  limits?: Record<string, unknown>;
  cpuQuota?: boolean;
  /** External runner command; honoured only with `trusted`. */
  runner?: string | string[];
  /** Launch the app when the session starts (default true; false when a scenario is given, which launches it itself). */
  launchApp?: boolean;
  /** Where registrations persist (default: the same per-app folder `bgtask host` uses). */
  store?: string;
  /** Run JS/TS task code under the Node inspector and attach a child js-debug session (default true). */
  debugTaskCode?: boolean;
  /** Set by the extension from vscode.workspace.isTrusted. */
  trusted?: boolean;
  noDebug?: boolean;
}

const LIMIT_KEYS: ReadonlyArray<keyof HostLimits> = ['wallClockMs', 'applicationTriggerMs', 'deviceServicingMs', 'idleMs', 'cancelGraceMs', 'memoryMb', 'cpuQuotaLockScreenMs', 'cpuQuotaLockScreenPeriodMs', 'cpuQuotaMs', 'cpuQuotaPeriodMs', 'modeledCpuMs'];

export interface ResolvedLaunch {
  options: Omit<HostSessionOptions, 'onTrace' | 'hostOptions'>;
  scenario?: string;
  launchApp: boolean;
  inspect: boolean;
  /** Things the session tells the user in the Debug Console (runner ignored, ...). */
  notes: string[];
}

/** The app's per-user store, the same one `bgtask host` uses for that app folder (one host at a time holds it). */
export function defaultStore(folderOrManifest: string): string {
  const isManifest = /\.appxmanifest$|[\\/]AppxManifest\.xml$/i.test(folderOrManifest);
  return defaultStoreDir(isManifest ? path.dirname(folderOrManifest) : folderOrManifest);
}

/** Checks the attributes; throws RequestError naming the bad one. */
export function resolveLaunch(a: BgtaskLaunchArguments): ResolvedLaunch {
  const bad = (attr: string, what: string): never => {
    throw new RequestError(`launch: '${attr}' ${what}`);
  };
  if (typeof a.folder !== 'string' || !a.folder) bad('folder', 'is required: the app folder (${workspaceFolder})');
  const folder = path.resolve(a.folder!);
  if (!fs.existsSync(folder)) bad('folder', `does not exist: ${folder}`);
  let manifest: string | undefined;
  if (a.app !== undefined) {
    if (typeof a.app !== 'string') bad('app', 'must be a manifest path');
    manifest = path.resolve(folder, a.app);
    if (!fs.existsSync(manifest)) bad('app', `does not exist: ${manifest}`);
  }
  if (a.profile !== undefined && !PROFILES.includes(a.profile as ProfileId)) bad('profile', `must be one of ${PROFILES.join(', ')}, not ${JSON.stringify(a.profile)}`);
  let state;
  if (a.state !== undefined) {
    if (!a.state || typeof a.state !== 'object' || Array.isArray(a.state)) bad('state', 'must be an object of system state fields');
    try {
      state = stateChanges(a.state, 'launch: state');
    } catch (e) {
      bad('state', (e as Error).message.replace(/^launch: state: /, ': '));
    }
  }
  let scenario: string | undefined;
  if (a.scenario !== undefined) {
    if (typeof a.scenario !== 'string') bad('scenario', 'must be a path to a *.bgscenario.json');
    scenario = path.resolve(folder, a.scenario);
    if (!fs.existsSync(scenario)) bad('scenario', `does not exist: ${scenario}`);
  }
  if (a.timeScale !== undefined && !(typeof a.timeScale === 'number' && a.timeScale > 0)) bad('timeScale', 'must be a positive number (0.01 makes the 30 s limit 300 ms)');
  let limits: Partial<HostLimits> | undefined;
  if (a.limits !== undefined) {
    if (!a.limits || typeof a.limits !== 'object') bad('limits', 'must be an object');
    limits = {};
    for (const [k, v] of Object.entries(a.limits)) {
      if (!(LIMIT_KEYS as readonly string[]).includes(k)) bad('limits', `has an unknown limit '${k}' (expected ${LIMIT_KEYS.join(', ')})`);
      const ms = typeof v === 'number' ? v : typeof v === 'string' && k !== 'memoryMb' ? parseDuration(v) : undefined;
      if (ms === undefined || ms < 0) bad('limits', `.${k} must be a number or a duration like "30s"`);
      limits[k as keyof HostLimits] = ms!;
    }
  }
  if (a.cpuQuota !== undefined && typeof a.cpuQuota !== 'boolean') bad('cpuQuota', 'must be true or false');
  if (a.launchApp !== undefined && typeof a.launchApp !== 'boolean') bad('launchApp', 'must be true or false');
  const notes: string[] = [];
  let runner: string[] | undefined;
  if (a.runner !== undefined) {
    const cmd = Array.isArray(a.runner) ? a.runner.map(String) : typeof a.runner === 'string' ? a.runner.split(' ').filter(Boolean) : bad('runner', 'must be a command line or an array of arguments');
    if (a.trusted === true) runner = cmd;
    else notes.push(`'runner' was ignored: an external runner runs workspace code and is honoured only in a trusted workspace`);
  }
  const store = a.store !== undefined ? path.resolve(folder, String(a.store)) : defaultStore(manifest ?? folder);
  return {
    options: { folder, manifest, profile: a.profile as ProfileId | undefined, state, limits, timeScale: a.timeScale, cpuQuota: a.cpuQuota, runner, storageDir: store },
    scenario,
    launchApp: a.launchApp ?? !scenario,
    inspect: a.debugTaskCode !== false && !a.noDebug,
    notes,
  };
}
