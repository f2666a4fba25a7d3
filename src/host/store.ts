// The host's store of registrations and LocalSettings: one JSON file per app, under the user's data
// folder (env-paths), written atomically (write-file-atomic), locked against a second host (proper-lockfile).
// Loading validates every entry: bad ones are dropped and reported, and the file is kept aside.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import envPaths from 'env-paths';
import * as lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { systemConditionType, systemTriggerType, triggerClass } from '../core/model/catalog';
import type { Registration } from './types';

export interface InFlightRecord {
  instanceId: string;
  taskId: string;
  name: string;
  startedAt: number;
}

export interface StoreData {
  version: 1;
  registrations: Registration[];
  inFlight: InFlightRecord[];
  localSettings: Record<string, unknown>;
  /** Virtual time when the host last saved. */
  t: number;
}

export const STORE_FILE = 'host-store.json';
const LOCK_FILE = `${STORE_FILE}.lock`;
const OWNER_FILE = `${STORE_FILE}.owner`;

export interface LoadResult {
  data?: StoreData;
  /** The store was unreadable as a whole: where it was moved and why (the host starts empty). */
  corrupt?: { movedTo: string; error: string };
  /** Entries that did not validate and were dropped (`index` in `registrations`, or `inFlight[i]`). */
  rejected?: Array<{ index: number | string; error: string }>;
  /** With `rejected`: the original file, kept aside. */
  movedTo?: string;
  /** One line per problem, for the host to log at level error. */
  messages?: string[];
}

/** The default store folder of an app: per user (XDG data dir, %LOCALAPPDATA%, ~/Library), keyed by the app folder. */
export function defaultStoreDir(appFolder: string): string {
  const abs = path.resolve(appFolder);
  const hash = crypto.createHash('sha256').update(abs).digest('hex').slice(0, 12);
  const base = path.basename(abs).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40) || 'app';
  return path.join(envPaths('bgtask', { suffix: '' }).data, 'host', `${base}-${hash}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optStr = (v: unknown) => v === undefined || typeof v === 'string';
const optBool = (v: unknown) => v === undefined || typeof v === 'boolean';

/** Why a stored registration is not one, or undefined when it is. */
export function registrationError(r: unknown): string | undefined {
  if (!isObj(r)) return 'not an object';
  if (typeof r.taskId !== 'string' || !r.taskId) return 'no taskId';
  if (typeof r.name !== 'string') return 'no name';
  if (!optStr(r.entryPoint)) return 'entryPoint is not a string';
  const t = r.trigger;
  if (!isObj(t) || typeof t.type !== 'string') return 'no trigger';
  if (!triggerClass(t.type)) return `unknown trigger class ${JSON.stringify(t.type)}`;
  if (t.type === 'SystemTrigger' && (typeof t.systemTriggerType !== 'string' || !systemTriggerType(t.systemTriggerType))) return `unknown SystemTriggerType ${JSON.stringify(t.systemTriggerType)}`;
  if (t.freshness !== undefined && (!isNum(t.freshness) || t.freshness < 0)) return 'freshness is not a number of minutes';
  if (!optBool(t.oneShot)) return 'oneShot is not a boolean';
  if (!Array.isArray(r.conditions)) return 'conditions is not an array';
  for (const c of r.conditions) if (typeof c !== 'string' || !systemConditionType(c)) return `unknown condition ${JSON.stringify(c)}`;
  if (typeof r.cancelOnConditionLoss !== 'boolean' || typeof r.isNetworkRequested !== 'boolean') return 'cancelOnConditionLoss/isNetworkRequested are not booleans';
  if (!optStr(r.group)) return 'group is not a string';
  if (r.source !== 'code' && r.source !== 'app' && r.source !== 'command') return `unknown source ${JSON.stringify(r.source)}`;
  if (!isNum(r.registeredAt) || r.registeredAt < 0) return 'registeredAt is not a time';
  if (!optBool(r.spent)) return 'spent is not a boolean';
  if (r.nextFireAt !== undefined && (!isNum(r.nextFireAt) || r.nextFireAt < 0)) return 'nextFireAt is not a time';
  return undefined;
}

function inFlightError(f: unknown): string | undefined {
  if (!isObj(f)) return 'not an object';
  if (typeof f.instanceId !== 'string' || typeof f.taskId !== 'string' || typeof f.name !== 'string') return 'instanceId/taskId/name are not strings';
  if (!isNum(f.startedAt)) return 'startedAt is not a time';
  return undefined;
}

/** Move a file aside (`.corrupt-<time>` / `.rejected-<time>`); on failure, say so in the returned text. */
function moveAside(file: string, tag: string): { movedTo: string; note: string } {
  const movedTo = `${file}.${tag}-${Date.now()}`;
  try {
    fs.renameSync(file, movedTo);
    return { movedTo, note: '' };
  } catch (e) {
    return { movedTo: file, note: ` (it could not be moved aside: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
}

/** Read the store of `dir`. Never throws: a missing store is `{}`, a bad one is reported in the result. */
export function loadStore(dir: string): LoadResult {
  const file = path.join(dir, STORE_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return {};
    const error = `cannot read ${file}: ${code ?? (e as Error).message}`;
    return { corrupt: { movedTo: file, error }, messages: [`the registration store is unreadable (${error}); the host starts empty`] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
    if (!isObj(raw) || raw.version !== 1) throw new Error(`unknown store version ${JSON.stringify(isObj(raw) ? raw.version : raw) ?? 'undefined'}`);
    if (!Array.isArray(raw.registrations)) throw new Error('"registrations" is not an array');
  } catch (error) {
    const { movedTo, note } = moveAside(file, 'corrupt');
    const message = (error as Error).message.split('\n')[0];
    return { corrupt: { movedTo, error: message + note }, messages: [`the registration store was unreadable (${message}); it was kept aside as ${movedTo}${note} and the host starts empty`] };
  }
  const rejected: NonNullable<LoadResult['rejected']> = [];
  const registrations: Registration[] = [];
  const ids = new Set<string>();
  (raw.registrations as unknown[]).forEach((r, index) => {
    let error = registrationError(r);
    if (!error && ids.has((r as Registration).taskId)) error = `duplicate taskId ${(r as Registration).taskId}`;
    if (error) rejected.push({ index, error });
    else {
      ids.add((r as Registration).taskId);
      registrations.push(r as Registration);
    }
  });
  const inFlight: InFlightRecord[] = [];
  if (raw.inFlight !== undefined && !Array.isArray(raw.inFlight)) rejected.push({ index: 'inFlight', error: 'not an array' });
  else
    ((raw.inFlight as unknown[] | undefined) ?? []).forEach((f, i) => {
      const error = inFlightError(f);
      if (error) rejected.push({ index: `inFlight[${i}]`, error });
      else inFlight.push(f as InFlightRecord);
    });
  let localSettings: Record<string, unknown> = {};
  if (isObj(raw.localSettings)) localSettings = raw.localSettings;
  else if (raw.localSettings !== undefined) rejected.push({ index: 'localSettings', error: 'not an object' });
  let t = 0;
  if (isNum(raw.t) && raw.t >= 0) t = raw.t;
  else if (raw.t !== undefined) rejected.push({ index: 't', error: 'not a time' });
  const data: StoreData = { version: 1, registrations, inFlight, localSettings, t };
  if (!rejected.length) return { data };
  const { movedTo, note } = moveAside(file, 'rejected');
  const messages = rejected.map((r) => `dropped ${typeof r.index === 'number' ? `registration ${r.index + 1}` : r.index} of the registration store: ${r.error}`);
  messages.push(`the store with the dropped entries was kept aside as ${movedTo}${note}`);
  return { data, rejected, movedTo, messages };
}

/** Write the store atomically (temp file + rename, through a symlinked store file). Never throws. */
export function saveStore(dir: string, data: StoreData): { error?: string } {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileAtomic.sync(path.join(dir, STORE_FILE), JSON.stringify(data), { mode: 0o600 });
    return {};
  } catch (e) {
    return { error: `cannot write the registration store in ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

/** Can the store folder be created and written? A clear message for the CLI before a session opens. */
export function storeWritableError(dir: string): string | undefined {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    const file = path.join(dir, STORE_FILE);
    if (fs.existsSync(file)) fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    return undefined;
  } catch (e) {
    return `cannot use the registration store in ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}

export class StoreLockedError extends Error {
  constructor(readonly dir: string, readonly pid: number | undefined) {
    super(`another bgtask host is using the registrations of this app (${pid ? `pid ${pid}` : 'pid unknown'}; store ${dir})`);
  }
}

interface Held {
  count: number;
  release: () => void;
}
/** Locks held by this process, by store folder: a second lock from the same process shares the first. */
const held = new Map<string, Held>();

function readOwner(dir: string): { pid?: number; host?: string } {
  try {
    const o = JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as unknown;
    return isObj(o) ? { pid: isNum(o.pid) ? o.pid : undefined, host: typeof o.host === 'string' ? o.host : undefined } : {};
  } catch {
    return {};
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Lock the store of `dir` for this process. Throws StoreLockedError when another process holds it (a
 * lock left by a process of this machine that no longer runs is taken over); other failures (an
 * unwritable folder) throw an Error with the reason. Call release() when the host closes.
 */
export function lockStore(dir: string): { release(): void } {
  const key = path.resolve(dir);
  const mine = held.get(key);
  if (mine) {
    mine.count++;
    return once(() => unhold(key));
  }
  try {
    fs.mkdirSync(key, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new Error(`cannot use the registration store in ${key}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const file = path.join(key, STORE_FILE);
  const options = {
    realpath: false,
    lockfilePath: path.join(key, LOCK_FILE),
    stale: 10_000,
    // A lock lost while held (its folder removed, the clock jumped) must not throw from a timer.
    onCompromised: () => undefined,
  };
  let release: () => void;
  try {
    release = lockfile.lockSync(file, options);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw new Error(`cannot lock the registration store in ${key}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    const owner = readOwner(key);
    if (owner.pid && owner.host === os.hostname() && owner.pid !== process.pid && !alive(owner.pid)) {
      fs.rmSync(options.lockfilePath, { recursive: true, force: true });
      release = lockfile.lockSync(file, options);
    } else throw new StoreLockedError(key, owner.pid);
  }
  try {
    fs.writeFileSync(path.join(key, OWNER_FILE), JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }));
  } catch {
    // The owner file only improves the message; the lock holds without it.
  }
  held.set(key, {
    count: 1,
    release: () => {
      try {
        fs.rmSync(path.join(key, OWNER_FILE), { force: true });
        release();
      } catch {
        // Already gone (compromised, or removed by hand).
      }
    },
  });
  return once(() => unhold(key));
}

function unhold(key: string): void {
  const h = held.get(key);
  if (!h || --h.count > 0) return;
  held.delete(key);
  h.release();
}

function once(fn: () => void): { release(): void } {
  let done = false;
  return {
    release: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/**
 * Validate the store of `dir` before a host opens it: entries that do not validate are dropped (the
 * original kept aside) and the valid rest written back, so the host loads a clean store. Returns one
 * message per problem; never throws.
 */
export function repairStore(dir: string): string[] {
  const loaded = loadStore(dir);
  if (loaded.rejected && loaded.data) {
    const saved = saveStore(dir, loaded.data);
    if (saved.error) return [...(loaded.messages ?? []), saved.error];
  }
  return loaded.messages ?? [];
}
