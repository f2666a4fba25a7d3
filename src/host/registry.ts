// The registry of registrations, indexed by trigger key so a fire touches only its own registrations,
// and its store: one JSON file per app folder, written atomically (temp file + rename); a corrupt file
// is moved aside and reported, never silently dropped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Registration, TriggerSpec } from './types';

/** The key a trigger is indexed and fired by: `SystemTrigger/TimeZoneChange`, `TimeTrigger`, ... */
export function triggerKey(t: TriggerSpec): string {
  return t.type === 'SystemTrigger' ? `SystemTrigger/${t.systemTriggerType ?? 'Invalid'}` : t.type;
}

export class Registry {
  private readonly byId = new Map<string, Registration>();
  private readonly byKey = new Map<string, Registration[]>();

  get size(): number {
    return this.byId.size;
  }

  add(reg: Registration): void {
    this.byId.set(reg.taskId, reg);
    const key = triggerKey(reg.trigger);
    const list = this.byKey.get(key);
    if (list) list.push(reg);
    else this.byKey.set(key, [reg]);
  }

  remove(taskId: string): Registration | undefined {
    const reg = this.byId.get(taskId);
    if (!reg) return undefined;
    this.byId.delete(taskId);
    const key = triggerKey(reg.trigger);
    const list = this.byKey.get(key)!.filter((r) => r !== reg);
    if (list.length) this.byKey.set(key, list);
    else this.byKey.delete(key);
    return reg;
  }

  get(taskId: string): Registration | undefined {
    return this.byId.get(taskId);
  }

  /** Registrations with this name (names are not unique, §5). */
  byName(name: string): Registration[] {
    return this.all().filter((r) => r.name === name);
  }

  forKey(key: string): readonly Registration[] {
    return this.byKey.get(key) ?? [];
  }

  all(): Registration[] {
    return [...this.byId.values()];
  }

  /** BackgroundTaskRegistration.AllTasks: ungrouped registrations only (§5). */
  allTasks(): Registration[] {
    return this.all().filter((r) => !r.group);
  }

  clear(): void {
    this.byId.clear();
    this.byKey.clear();
  }
}

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

export interface LoadResult {
  data?: StoreData;
  /** The store was unreadable: where it was moved and why. */
  corrupt?: { movedTo: string; error: string };
}

export function loadStore(dir: string): LoadResult {
  const file = path.join(dir, STORE_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const data = JSON.parse(text) as StoreData;
    if (data?.version !== 1 || !Array.isArray(data.registrations)) throw new Error(`unknown store version ${JSON.stringify(data?.version)}`);
    data.inFlight ??= [];
    data.localSettings ??= {};
    return { data };
  } catch (error) {
    const movedTo = `${file}.corrupt-${Date.now()}`;
    fs.renameSync(file, movedTo);
    return { corrupt: { movedTo, error: (error as Error).message } };
  }
}

export function saveStore(dir: string, data: StoreData): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, STORE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data));
  fs.renameSync(tmp, file);
}
