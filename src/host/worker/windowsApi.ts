// The emulated `Windows` namespace that JS/TS task code and WinJS app code run against: the
// Background API (builder, registrations, triggers, conditions, access), the task instance (WebUI
// `current` and IBackgroundTaskInstance) and LocalSettings. A backend supplies the host side.
import { ACCESS_STATUSES, CANCELLATION_REASONS, SYSTEM_CONDITION_TYPES, SYSTEM_TRIGGER_TYPES } from '../../core/model/catalog';

export interface RegistrationInfo {
  taskId: string;
  name: string;
  group?: string;
}

export interface BuilderSpec {
  name: string;
  entryPoint?: string;
  trigger?: { type: string; systemTriggerType?: string; freshness?: number; oneShot?: boolean };
  conditions: string[];
  cancelOnConditionLoss: boolean;
  isNetworkRequested: boolean;
  group?: string;
}

export interface ApiBackend {
  allTasks(): RegistrationInfo[];
  /** Throws an Error carrying the platform's message when Register fails. */
  register(spec: BuilderSpec): RegistrationInfo;
  unregister(taskId: string, cancel: boolean): void;
  requestAccess(): string;
  getAccessStatus(): string;
  removeAccess(): void;
  backgroundWorkCost(): string;
  settingsGet(key: string): unknown;
  settingsSet(key: string, value: unknown): void;
  settingsDelete(key: string): void;
  settingsKeys(): string[];
  /** ApplicationTrigger.RequestAsync / MediaProcessingTrigger.RequestAsync: returns the result name. */
  requestTrigger(taskIds: string[], args: Record<string, unknown>): string;
  /** App side: listen to a registration's progress/completed events. */
  listen?(taskId: string, event: 'progress' | 'completed', fn: (args: unknown) => void): void;
  log(text: string): void;
}

export interface InstanceBackend {
  instanceId: string;
  task: RegistrationInfo;
  triggerDetails: unknown;
  suspendedCount: number;
  setProgress(value: number): void;
  deferral(id: number): void;
  deferralComplete(id: number): void;
  /** WebUI close(): the JS task is done. */
  close(succeeded: boolean): void;
}

const camel = (s: string) => s[0].toLowerCase() + s.slice(1);

function enumOf(names: readonly string[], values?: readonly number[]): Record<string, number> {
  const e: Record<string, number> = {};
  names.forEach((n, i) => {
    e[camel(n)] = values ? values[i] : i;
  });
  return e;
}

const SystemTriggerType = { invalid: 0, ...enumOf(SYSTEM_TRIGGER_TYPES.map((t) => t.name), SYSTEM_TRIGGER_TYPES.map((t) => t.value)) };
const SystemConditionType = { invalid: 0, ...enumOf(SYSTEM_CONDITION_TYPES.map((t) => t.name), SYSTEM_CONDITION_TYPES.map((t) => t.value)) };
const BackgroundAccessStatus = enumOf(ACCESS_STATUSES);
const BackgroundTaskCancellationReason = enumOf(CANCELLATION_REASONS);
const ApplicationTriggerResult = { allowed: 0, currentlyRunning: 1, disabledByPolicy: 2, unknownError: 3 };
const BackgroundWorkCostValue = { low: 0, medium: 1, high: 2 };

const triggerTypeName = (v: unknown) => SYSTEM_TRIGGER_TYPES.find((t) => t.value === v || (typeof v === 'string' && t.name.toLowerCase() === v.toLowerCase()))?.name ?? 'Invalid';
const conditionName = (v: unknown) => SYSTEM_CONDITION_TYPES.find((t) => t.value === v || (typeof v === 'string' && t.name.toLowerCase() === v.toLowerCase()))?.name ?? 'Invalid';

/** A WinRT async operation as WinJS sees it: a Promise with `.done`. */
function winrtAsync<T>(value: T): Promise<T> & { done(ok?: (v: T) => void, err?: (e: unknown) => void): void } {
  const p = Promise.resolve(value) as Promise<T> & { done(ok?: (v: T) => void, err?: (e: unknown) => void): void };
  p.done = (ok, err) => {
    p.then(ok, err);
  };
  return p;
}

/** IMapView projection: first()/hasCurrent/current/moveNext, size, lookup, hasKey, and JS iteration. */
function mapView<V>(entries: Array<[string, V]>) {
  const map = new Map(entries);
  return {
    get size() {
      return map.size;
    },
    lookup: (k: string) => map.get(k),
    hasKey: (k: string) => map.has(k),
    first() {
      let i = 0;
      const list = [...map.entries()];
      return {
        get hasCurrent() {
          return i < list.length;
        },
        get current() {
          return i < list.length ? { key: list[i][0], value: list[i][1] } : undefined;
        },
        moveNext() {
          i++;
          return i < list.length;
        },
      };
    },
    forEach(fn: (v: { key: string; value: V }) => void) {
      for (const [key, value] of map) fn({ key, value });
    },
    [Symbol.iterator]: function* () {
      for (const [key, value] of map) yield { key, value };
    },
  };
}

type Listener = (args: unknown) => void;

class EventTargetLike {
  private listeners = new Map<string, Listener[]>();
  addEventListener(type: string, fn: Listener): void {
    const list = this.listeners.get(type) ?? [];
    list.push(fn);
    this.listeners.set(type, list);
  }
  removeEventListener(type: string, fn: Listener): void {
    this.listeners.set(type, (this.listeners.get(type) ?? []).filter((f) => f !== fn));
  }
  dispatch(type: string, args: unknown): void {
    const on = (this as unknown as Record<string, unknown>)['on' + type];
    if (typeof on === 'function') on.call(this, args);
    for (const fn of this.listeners.get(type) ?? []) fn.call(this, args);
  }
}

/** Windows.Foundation.Collections.ValueSet: an IMap<string, object> with insert/lookup/hasKey/remove/size/clear. */
class ValueSet {
  [key: string]: unknown;
  insert(k: string, v: unknown): boolean {
    const had = Object.prototype.hasOwnProperty.call(this, k);
    Object.defineProperty(this, String(k), { value: v, enumerable: true, configurable: true, writable: true });
    return had;
  }
  lookup(k: string): unknown {
    return Object.prototype.hasOwnProperty.call(this, k) ? this[k] : undefined;
  }
  hasKey(k: string): boolean {
    return Object.prototype.hasOwnProperty.call(this, k);
  }
  remove(k: string): void {
    delete this[k];
  }
  clear(): void {
    for (const k of Object.keys(this)) delete this[k];
  }
  get size(): number {
    return Object.keys(this).length;
  }
}

export function createWindows(backend: ApiBackend, instance?: InstanceBackend) {
  const registrations = new Map<string, unknown>();

  class BackgroundTaskRegistration extends EventTargetLike {
    oncompleted: Listener | null = null;
    onprogress: Listener | null = null;
    constructor(readonly taskId: string, readonly name: string, readonly taskGroup: unknown = null) {
      super();
      backend.listen?.(taskId, 'completed', (a) => this.dispatch('completed', { ...(a as object), target: this }));
      backend.listen?.(taskId, 'progress', (a) => this.dispatch('progress', { ...(a as object), target: this }));
    }
    unregister(cancelTask: boolean): void {
      backend.unregister(this.taskId, !!cancelTask);
    }
    static get allTasks() {
      return mapView(backend.allTasks().filter((r) => !r.group).map((r) => [r.taskId, regObject(r)] as [string, unknown]));
    }
  }

  function regObject(r: RegistrationInfo): unknown {
    let o = registrations.get(r.taskId);
    if (!o) {
      o = new BackgroundTaskRegistration(r.taskId, r.name, r.group ? { id: r.group } : null);
      registrations.set(r.taskId, o);
    }
    return o;
  }

  class SystemTrigger {
    readonly triggerType: number;
    constructor(triggerType: number, readonly oneShot: boolean) {
      this.triggerType = triggerType;
    }
    toSpec() {
      return { type: 'SystemTrigger', systemTriggerType: triggerTypeName(this.triggerType), oneShot: !!this.oneShot };
    }
  }
  class TimeTrigger {
    constructor(readonly freshnessTime: number, readonly oneShot: boolean) {}
    toSpec() {
      return { type: 'TimeTrigger', freshness: Number(this.freshnessTime), oneShot: !!this.oneShot };
    }
  }
  class MaintenanceTrigger {
    constructor(readonly freshnessTime: number, readonly oneShot: boolean) {}
    toSpec() {
      return { type: 'MaintenanceTrigger', freshness: Number(this.freshnessTime), oneShot: !!this.oneShot };
    }
  }
  const requestable = (type: string) =>
    class {
      taskIds: string[] = [];
      toSpec() {
        return { type };
      }
      requestAsync(args?: Record<string, unknown>) {
        const values: Record<string, unknown> = {};
        if (args && typeof args === 'object') for (const k of Object.keys(args)) values[k] = (args as Record<string, unknown>)[k];
        const result = backend.requestTrigger(this.taskIds, values);
        return winrtAsync((ApplicationTriggerResult as Record<string, number>)[camel(result)] ?? 3);
      }
    };
  const ApplicationTrigger = requestable('ApplicationTrigger');
  const MediaProcessingTrigger = requestable('MediaProcessingTrigger');
  class PushNotificationTrigger {
    constructor(readonly applicationId?: string) {}
    toSpec() {
      return { type: 'PushNotificationTrigger' };
    }
  }
  class SystemCondition {
    constructor(readonly conditionType: number) {}
  }

  class BackgroundTaskBuilder {
    name = '';
    taskEntryPoint: string | undefined = undefined;
    cancelOnConditionLoss = false;
    isNetworkRequested = false;
    taskGroup: { id: string } | null = null;
    private trigger: { toSpec(): BuilderSpec['trigger']; taskIds?: string[] } | undefined;
    private conditions: string[] = [];
    setTrigger(trigger: { toSpec(): BuilderSpec['trigger'] }): void {
      this.trigger = trigger;
    }
    addCondition(condition: SystemCondition): void {
      this.conditions.push(conditionName(condition?.conditionType));
    }
    register() {
      const info = backend.register({
        name: String(this.name ?? ''),
        entryPoint: this.taskEntryPoint ?? undefined,
        trigger: this.trigger?.toSpec?.(),
        conditions: [...this.conditions],
        cancelOnConditionLoss: !!this.cancelOnConditionLoss,
        isNetworkRequested: !!this.isNetworkRequested,
        group: this.taskGroup?.id,
      });
      this.trigger?.taskIds?.push(info.taskId);
      return regObject(info);
    }
  }

  const BackgroundExecutionManager = {
    requestAccessAsync: () => winrtAsync(BackgroundAccessStatus[camel(backend.requestAccess())]),
    getAccessStatus: () => BackgroundAccessStatus[camel(backend.getAccessStatus())],
    removeAccess: () => backend.removeAccess(),
  };

  const values = new Proxy({} as Record<string, unknown>, {
    get(_t, key) {
      if (typeof key !== 'string') return undefined;
      switch (key) {
        case 'insert': return (k: string, v: unknown) => backend.settingsSet(k, v);
        case 'lookup': return (k: string) => backend.settingsGet(k);
        case 'hasKey': return (k: string) => backend.settingsGet(k) !== undefined;
        case 'remove': return (k: string) => backend.settingsDelete(k);
        case 'clear': return () => backend.settingsKeys().forEach((k) => backend.settingsDelete(k));
        case 'size': return backend.settingsKeys().length;
        default: return backend.settingsGet(key);
      }
    },
    set(_t, key, value) {
      if (typeof key === 'string') backend.settingsSet(key, value);
      return true;
    },
    deleteProperty(_t, key) {
      if (typeof key === 'string') backend.settingsDelete(key);
      return true;
    },
    has: (_t, key) => typeof key === 'string' && backend.settingsGet(key) !== undefined,
    ownKeys: () => backend.settingsKeys(),
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === 'string' && backend.settingsGet(key) !== undefined ? { value: backend.settingsGet(key), enumerable: true, configurable: true, writable: true } : undefined,
  });

  let current: unknown = null;
  if (instance) {
    const ib = instance;
    let deferrals = 0;
    let progress = 0;
    const inst = new (class extends EventTargetLike {
      oncanceled: Listener | null = null;
      succeeded = true;
      readonly instanceId = ib.instanceId;
      readonly task = regObject(ib.task);
      readonly triggerDetails = ib.triggerDetails;
      get suspendedCount() {
        return ib.suspendedCount;
      }
      get progress() {
        return progress;
      }
      set progress(v: number) {
        progress = Number(v) >>> 0;
        ib.setProgress(progress);
      }
      getDeferral() {
        const id = ++deferrals;
        let done = false;
        ib.deferral(id);
        return {
          complete: () => {
            if (done) return;
            done = true;
            ib.deferralComplete(id);
          },
        };
      }
      // IBackgroundTaskInstance2.GetThrottleCount (§4): the host throttles only CPU (the 8.x quota), by suspension.
      getThrottleCount(counter: number) {
        return counter === 2 ? 0 : ib.suspendedCount;
      }
    })();
    current = inst;
  }

  const Windows = {
    ApplicationModel: {
      Background: {
        BackgroundTaskBuilder,
        BackgroundTaskRegistration,
        BackgroundExecutionManager,
        SystemTrigger,
        SystemTriggerType,
        TimeTrigger,
        MaintenanceTrigger,
        ApplicationTrigger,
        MediaProcessingTrigger,
        PushNotificationTrigger,
        SystemCondition,
        SystemConditionType,
        BackgroundAccessStatus,
        BackgroundTaskCancellationReason,
        ApplicationTriggerResult,
        BackgroundWorkCostValue,
        BackgroundTaskThrottleCounter: { all: 0, cpu: 1, network: 2 },
        BackgroundWorkCost: {
          get currentBackgroundWorkCost() {
            return (BackgroundWorkCostValue as Record<string, number>)[camel(backend.backgroundWorkCost())];
          },
        },
      },
    },
    UI: { WebUI: { WebUIBackgroundTaskInstance: { current } } },
    Storage: { ApplicationData: { current: { localSettings: { values, containers: mapView([]) } } } },
    Foundation: { Collections: { ValueSet } },
  };
  return { Windows, instance: current as (EventTargetLike & { succeeded: boolean; dispatch(t: string, a: unknown): void }) | null };
}

export const CANCELLATION_REASON_VALUES = BackgroundTaskCancellationReason;
