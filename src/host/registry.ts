// The registry of registrations, indexed by trigger key so a fire touches only its own registrations.
// Its persistence (per-user store, atomic writes, lock, validation on load) is store.ts.
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

// The store moved to store.ts; re-exported for the host's existing imports.
export { STORE_FILE, loadStore, saveStore, lockStore, StoreLockedError, type InFlightRecord, type LoadResult, type StoreData } from './store';
