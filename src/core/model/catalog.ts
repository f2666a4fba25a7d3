// The platform model: every SystemTriggerType, SystemConditionType, trigger class, manifest Task Type,
// cancellation reason and access status, with the domain-facts.md section each fact comes from.
// Rules, hover text, completion and the task host all read this one table; nothing else hard-codes them.
import type { ProfileId } from '../facts/types';

export const PROFILES: readonly ProfileId[] = ['win8', 'win81', 'phone81', 'win10', 'appsdk'];

export interface SystemTriggerInfo {
  name: string;
  value: number;
  description: string;
  /** Needs the lock screen (and RequestAccessAsync) on win8/win81/phone81. §1 */
  lockScreenOn8x: boolean;
  /** OneShot = true is not supported. §1 */
  oneShotUnsupported?: boolean;
  /** First platform that has it. §1 */
  since: 'win8' | 'win81' | 'win10';
  /** Visual Studio's Lifecycle Events can fire it (SmsReceived cannot). §6 */
  visualStudioCanFire: boolean;
  source: string;
}

// §1 SystemTriggerType (API:systemtriggertype)
export const SYSTEM_TRIGGER_TYPES: readonly SystemTriggerInfo[] = [
  { name: 'SmsReceived', value: 1, description: 'An installed mobile-broadband device receives a new SMS.', lockScreenOn8x: false, since: 'win8', visualStudioCanFire: false, source: '§1, §6' },
  { name: 'UserPresent', value: 2, description: 'The user becomes present.', lockScreenOn8x: true, since: 'win8', visualStudioCanFire: true, source: '§1' },
  { name: 'UserAway', value: 3, description: 'The user becomes absent.', lockScreenOn8x: true, since: 'win8', visualStudioCanFire: true, source: '§1' },
  { name: 'NetworkStateChange', value: 4, description: 'A network change occurs, for example in cost or connectivity.', lockScreenOn8x: false, since: 'win8', visualStudioCanFire: true, source: '§1' },
  { name: 'ControlChannelReset', value: 5, description: 'A control channel is reset. OneShot is not supported; it must be false.', lockScreenOn8x: true, oneShotUnsupported: true, since: 'win8', visualStudioCanFire: true, source: '§1' },
  { name: 'InternetAvailable', value: 6, description: 'The Internet becomes available (edge-triggered: fires again only after connectivity is lost and regained).', lockScreenOn8x: false, since: 'win8', visualStudioCanFire: true, source: '§1' },
  { name: 'SessionConnected', value: 7, description: 'The session is connected.', lockScreenOn8x: true, since: 'win8', visualStudioCanFire: true, source: '§1' },
  { name: 'ServicingComplete', value: 8, description: 'The system has finished updating the app.', lockScreenOn8x: false, since: 'win8', visualStudioCanFire: true, source: '§1' },
  { name: 'LockScreenApplicationAdded', value: 9, description: 'A tile is added to the lock screen.', lockScreenOn8x: false, since: 'win8', visualStudioCanFire: true, source: '§1' },
  { name: 'LockScreenApplicationRemoved', value: 10, description: 'A tile is removed from the lock screen.', lockScreenOn8x: false, since: 'win8', visualStudioCanFire: true, source: '§1' },
  { name: 'TimeZoneChange', value: 11, description: 'The time zone changes, including a DST clock adjustment that changes the system time.', lockScreenOn8x: false, since: 'win8', visualStudioCanFire: true, source: '§1' },
  { name: 'OnlineIdConnectedStateChange', value: 12, description: 'The Microsoft account connected to the account changes.', lockScreenOn8x: false, since: 'win8', visualStudioCanFire: true, source: '§1' },
  { name: 'BackgroundWorkCostChange', value: 13, description: 'The cost of background work changes.', lockScreenOn8x: true, since: 'win81', visualStudioCanFire: true, source: '§1 (version UNVERIFIED)' },
  { name: 'PowerStateChange', value: 14, description: 'PowerManager.BatteryStatus changes.', lockScreenOn8x: false, since: 'win10', visualStudioCanFire: true, source: '§1' },
  { name: 'DefaultSignInAccountChange', value: 15, description: 'The default sign-in account changes.', lockScreenOn8x: false, since: 'win10', visualStudioCanFire: true, source: '§1' },
];

export interface SystemConditionInfo {
  name: string;
  value: number;
  description: string;
  /** The condition that can never hold together with this one. §2 */
  conflictsWith?: string;
  source: string;
}

// §2 SystemConditionType (API:systemconditiontype)
export const SYSTEM_CONDITION_TYPES: readonly SystemConditionInfo[] = [
  { name: 'UserPresent', value: 1, description: 'The user is present; if triggered while away, the task waits until the user returns.', conflictsWith: 'UserNotPresent', source: '§2' },
  { name: 'UserNotPresent', value: 2, description: 'The user is not present; the task waits until the user becomes inactive.', conflictsWith: 'UserPresent', source: '§2' },
  { name: 'InternetAvailable', value: 3, description: 'The Internet is available; the task waits until it returns. Pair with IsNetworkRequested in Connected Standby.', conflictsWith: 'InternetNotAvailable', source: '§2' },
  { name: 'InternetNotAvailable', value: 4, description: 'The Internet is not available.', conflictsWith: 'InternetAvailable', source: '§2' },
  { name: 'SessionConnected', value: 5, description: 'The user session is connected; if not logged in, the task runs at log-in.', conflictsWith: 'SessionDisconnected', source: '§2' },
  { name: 'SessionDisconnected', value: 6, description: 'The session is disconnected (remote desktop or fast user switching).', conflictsWith: 'SessionConnected', source: '§2' },
  { name: 'FreeNetworkAvailable', value: 7, description: 'A free (non-metered) network is available.', source: '§2 (version UNVERIFIED)' },
  { name: 'BackgroundWorkCostNotHigh', value: 8, description: 'The cost of background work is not high.', source: '§2 (version UNVERIFIED)' },
];

export interface TriggerClassInfo {
  name: string;
  /** Task Types that accept this trigger, per schema family. §3.1 */
  taskTypes: { win8: string[]; win10: string[]; phone81?: string[] };
  description: string;
  /** Needs the lock screen on win8/win81. §1, §3 */
  lockScreenOn8x: boolean;
  /** Only one registration per app. §3.1 */
  singleInstance?: boolean;
  /** Visual Studio's Lifecycle Events cannot fire it. §6 */
  visualStudioCanFire: boolean;
  /** Takes a freshness time in minutes (≥ 15). §3 */
  hasFreshness?: boolean;
  /** Only on Windows 10+. */
  win10Only?: boolean;
  source: string;
}

// §3.1 Trigger → manifest <Task Type>
export const TRIGGER_CLASSES: readonly TriggerClassInfo[] = [
  { name: 'SystemTrigger', taskTypes: { win8: ['systemEvent'], win10: ['systemEvent'] }, description: 'Fires on a system event (SystemTriggerType).', lockScreenOn8x: false, visualStudioCanFire: true, source: '§3.1' },
  { name: 'TimeTrigger', taskTypes: { win8: ['timer'], win10: ['timer'] }, description: 'Fires on a 15-minute system tick once freshnessTime minutes have passed (first fire within freshness…freshness+15 min).', lockScreenOn8x: true, visualStudioCanFire: true, hasFreshness: true, source: '§3.1, §3' },
  // MaintenanceTrigger on Win 8.0: systemEvent is likely but UNVERIFIED (§3.1), so both timer-free types are accepted there.
  { name: 'MaintenanceTrigger', taskTypes: { win8: ['systemEvent', 'timer'], win10: ['general', 'systemEvent', 'timer'] }, description: 'Like TimeTrigger, but runs only on AC power; canceled with Abort when power goes to DC.', lockScreenOn8x: false, visualStudioCanFire: true, hasFreshness: true, source: '§3.1, §3' },
  { name: 'ApplicationTrigger', taskTypes: { win8: [], win10: ['general', 'systemEvent'] }, description: 'Signalled by the app with RequestAsync(); about 10 minutes of run time.', lockScreenOn8x: false, singleInstance: true, visualStudioCanFire: false, win10Only: true, source: '§3.1, §6' },
  { name: 'PushNotificationTrigger', taskTypes: { win8: ['pushNotification'], win10: ['pushNotification'] }, description: 'A raw push notification arrives; TriggerDetails is the RawNotification.', lockScreenOn8x: true, visualStudioCanFire: false, source: '§3.1, §6' },
  { name: 'ControlChannelTrigger', taskTypes: { win8: ['controlChannel'], win10: ['controlChannel'] }, description: 'Real-time communication over a control channel (not on Windows Phone).', lockScreenOn8x: true, visualStudioCanFire: false, source: '§3.1, §6' },
  { name: 'LocationTrigger', taskTypes: { win8: ['location'], win10: ['location'] }, description: 'A geofence state changes.', lockScreenOn8x: false, visualStudioCanFire: true, source: '§3.1' },
  { name: 'GeovisitTrigger', taskTypes: { win8: [], win10: ['location'] }, description: 'A visit is detected.', lockScreenOn8x: false, visualStudioCanFire: true, win10Only: true, source: '§3.1' },
  { name: 'DeviceUseTrigger', taskTypes: { win8: ['deviceUse'], win10: ['deviceUse'] }, description: 'Long-running device work started from the foreground; no conditions allowed.', lockScreenOn8x: false, singleInstance: true, visualStudioCanFire: true, source: '§3.1' },
  { name: 'DeviceServicingTrigger', taskTypes: { win8: ['deviceServicing'], win10: ['deviceServicing'] }, description: 'Device servicing (firmware update) with user consent; up to 30 minutes.', lockScreenOn8x: false, visualStudioCanFire: true, source: '§3.1' },
  { name: 'DeviceConnectionChangeTrigger', taskTypes: { win8: [], win10: ['deviceConnectionChange'] }, description: 'A device connects or disconnects.', lockScreenOn8x: false, visualStudioCanFire: true, win10Only: true, source: '§3.1' },
  { name: 'GattCharacteristicNotificationTrigger', taskTypes: { win8: [], win10: ['bluetooth'], phone81: ['gattCharacteristicNotification'] }, description: 'A Bluetooth LE GATT characteristic changes.', lockScreenOn8x: false, visualStudioCanFire: true, source: '§3.1' },
  { name: 'RfcommConnectionTrigger', taskTypes: { win8: [], win10: ['bluetooth'], phone81: ['rfcommConnection'] }, description: 'An RFCOMM connection arrives.', lockScreenOn8x: false, visualStudioCanFire: true, source: '§3.1' },
  { name: 'BluetoothLEAdvertisementWatcherTrigger', taskTypes: { win8: [], win10: ['bluetooth'] }, description: 'A Bluetooth LE advertisement is seen.', lockScreenOn8x: false, visualStudioCanFire: true, win10Only: true, source: '§3.1' },
  { name: 'BluetoothLEAdvertisementPublisherTrigger', taskTypes: { win8: [], win10: ['bluetooth'] }, description: 'A Bluetooth LE advertisement publisher changes state.', lockScreenOn8x: false, visualStudioCanFire: true, win10Only: true, source: '§3.1' },
  { name: 'ChatMessageNotificationTrigger', taskTypes: { win8: [], win10: ['chatMessageNotification'] }, description: 'A chat message arrives (declare as uap:Task).', lockScreenOn8x: false, visualStudioCanFire: true, win10Only: true, source: '§3.1' },
  { name: 'MediaProcessingTrigger', taskTypes: { win8: [], win10: ['mediaProcessing'] }, description: 'Media processing signalled by the app with RequestAsync().', lockScreenOn8x: false, singleInstance: true, visualStudioCanFire: false, win10Only: true, source: '§3.1, §6' },
  { name: 'PhoneTrigger', taskTypes: { win8: [], win10: ['phoneCall'] }, description: 'A phone line event.', lockScreenOn8x: false, visualStudioCanFire: true, win10Only: true, source: '§3.1' },
  { name: 'SocketActivityTrigger', taskTypes: { win8: [], win10: ['systemEvent'] }, description: 'Socket activity for a socket brokered to the system.', lockScreenOn8x: false, visualStudioCanFire: true, win10Only: true, source: '§3.1' },
  { name: 'ToastNotificationActionTrigger', taskTypes: { win8: [], win10: ['systemEvent'] }, description: 'The user acts on a toast.', lockScreenOn8x: false, visualStudioCanFire: true, win10Only: true, source: '§3.1' },
  { name: 'ToastNotificationHistoryChangedTrigger', taskTypes: { win8: [], win10: ['systemEvent'] }, description: 'The toast history changes.', lockScreenOn8x: false, visualStudioCanFire: true, win10Only: true, source: '§3.1' },
  { name: 'DeviceWatcherTrigger', taskTypes: { win8: [], win10: ['systemEvent'] }, description: 'A device watcher reports changes.', lockScreenOn8x: false, visualStudioCanFire: true, win10Only: true, source: '§3.1' },
  { name: 'SmsMessageReceivedTrigger', taskTypes: { win8: [], win10: ['general'] }, description: 'An SMS message is received (Windows 10).', lockScreenOn8x: false, visualStudioCanFire: false, win10Only: true, source: '§3.1' },
  { name: 'ActivitySensorTrigger', taskTypes: { win8: [], win10: ['general'] }, description: 'The activity sensor reports a change.', lockScreenOn8x: false, visualStudioCanFire: true, win10Only: true, source: '§3.1' },
  { name: 'SensorDataThresholdTrigger', taskTypes: { win8: [], win10: ['general'] }, description: 'A sensor crosses a threshold.', lockScreenOn8x: false, visualStudioCanFire: true, win10Only: true, source: '§3.1' },
];

/** Windows App SDK UniversalBGTask entry point (any trigger, Task Type general). §3.1, §5 App SDK */
export const APPSDK_ENTRY_POINT = 'Microsoft.Windows.ApplicationModel.Background.UniversalBGTask.Task';

export const NS = {
  appx2010: 'http://schemas.microsoft.com/appx/2010/manifest',
  appx2013: 'http://schemas.microsoft.com/appx/2013/manifest',
  appx2014: 'http://schemas.microsoft.com/appx/2014/manifest',
  phone2014: 'http://schemas.microsoft.com/appx/2014/phone/manifest',
  foundation10: 'http://schemas.microsoft.com/appx/manifest/foundation/windows10',
  uap10: 'http://schemas.microsoft.com/appx/manifest/uap/windows10',
} as const;

export interface TaskTypeInfo {
  name: string;
  description: string;
}

/** §3.2: Task Type values each namespace allows, and the max number of Task elements. */
export const TASK_TYPES_BY_NAMESPACE: Readonly<Record<string, readonly string[]>> = {
  [NS.appx2010]: ['audio', 'controlChannel', 'systemEvent', 'timer', 'pushNotification'],
  [NS.appx2013]: ['location', 'deviceUse', 'deviceServicing'],
  // §3.2: at least these; the full Phone 8.1 list is UNVERIFIED, so rules do not flag other m3 types.
  [NS.appx2014]: ['gattCharacteristicNotification', 'rfcommConnection'],
  [NS.foundation10]: ['general', 'audio', 'controlChannel', 'systemEvent', 'timer', 'pushNotification', 'location', 'deviceUse', 'deviceServicing', 'deviceConnectionChange', 'bluetooth'],
  [NS.uap10]: ['chatMessageNotification', 'vpnClient', 'phoneCall', 'mediaProcessing'],
};

/** Namespaces whose Task Type list is known to be complete (rules may flag other values). */
export const COMPLETE_TASK_TYPE_NAMESPACES: readonly string[] = [NS.appx2010, NS.appx2013, NS.foundation10, NS.uap10];

/** §3.2 maximum Task elements per <BackgroundTasks>. */
export const MAX_TASKS: Readonly<Record<ProfileId, number>> = { win8: 5, win81: 8, phone81: 8, win10: 17, appsdk: 17 };

export const TASK_TYPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  general: 'General-purpose task (ApplicationTrigger, MaintenanceTrigger, sensors, App SDK COM tasks).',
  audio: 'Background audio (pre-1607 model).',
  controlChannel: 'Real-time communication over a ControlChannelTrigger.',
  systemEvent: 'SystemTrigger and other system events (sockets, toasts, device watchers).',
  timer: 'TimeTrigger (and MaintenanceTrigger on Windows 8).',
  pushNotification: 'PushNotificationTrigger (raw push).',
  location: 'LocationTrigger / GeovisitTrigger.',
  deviceUse: 'DeviceUseTrigger.',
  deviceServicing: 'DeviceServicingTrigger.',
  deviceConnectionChange: 'DeviceConnectionChangeTrigger.',
  bluetooth: 'Bluetooth LE and RFCOMM triggers.',
  chatMessageNotification: 'ChatMessageNotificationTrigger (uap:Task only).',
  vpnClient: 'VPN plug-in.',
  phoneCall: 'PhoneTrigger.',
  mediaProcessing: 'MediaProcessingTrigger.',
  gattCharacteristicNotification: 'Phone 8.1 GattCharacteristicNotificationTrigger (Windows 10: bluetooth).',
  rfcommConnection: 'Phone 8.1 RfcommConnectionTrigger (Windows 10: bluetooth).',
};

/** §3.4: Task Types that need <LockScreen> on win8/win81 (APPX1675). */
export const LOCK_SCREEN_TASK_TYPES: readonly string[] = ['timer', 'pushNotification', 'controlChannel', 'location'];

/** §3.5: Task Types for which an Executable attribute is allowed. */
export const EXECUTABLE_TASK_TYPES: readonly string[] = ['pushNotification', 'controlChannel'];

// §5 BackgroundTaskCancellationReason
export const CANCELLATION_REASONS = [
  'Abort', 'Terminating', 'LoggingOff', 'ServicingUpdate', 'IdleTask', 'Uninstall', 'ConditionLoss',
  'SystemPolicy', 'QuietHoursEntered', 'ExecutionTimeExceeded', 'ResourceRevocation', 'EnergySaver',
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

// §5 BackgroundAccessStatus
export const ACCESS_STATUSES = [
  'Unspecified', 'AllowedWithAlwaysOnRealTimeConnectivity', 'AllowedMayUseActiveRealTimeConnectivity', 'Denied',
  'AlwaysAllowed', 'AllowedSubjectToSystemPolicy', 'DeniedBySystemPolicy', 'DeniedByUser',
] as const;
export type AccessStatus = (typeof ACCESS_STATUSES)[number];

/** What RequestAccessAsync returns by default in the simulator, per profile (§5 BackgroundAccessStatus). */
export const DEFAULT_ACCESS_STATUS: Readonly<Record<ProfileId, AccessStatus>> = {
  win8: 'AllowedMayUseActiveRealTimeConnectivity',
  win81: 'AllowedMayUseActiveRealTimeConnectivity',
  phone81: 'AllowedMayUseActiveRealTimeConnectivity',
  win10: 'AllowedSubjectToSystemPolicy',
  appsdk: 'AllowedSubjectToSystemPolicy',
};

/** Access statuses that allow tasks to run. */
export function accessAllows(status: AccessStatus): boolean {
  return status !== 'Unspecified' && status !== 'Denied' && status !== 'DeniedBySystemPolicy' && status !== 'DeniedByUser';
}

const byName = <T extends { name: string }>(items: readonly T[]): ReadonlyMap<string, T> =>
  new Map(items.map((i) => [i.name.toLowerCase(), i]));
const triggerTypeIndex = byName(SYSTEM_TRIGGER_TYPES);
const conditionIndex = byName(SYSTEM_CONDITION_TYPES);
const triggerClassIndex = byName(TRIGGER_CLASSES);

/** Case-insensitive lookups: JS writes camelCase members (`timeZoneChange`), C# PascalCase. */
export function systemTriggerType(name: string): SystemTriggerInfo | undefined {
  return triggerTypeIndex.get(name.toLowerCase());
}
export function systemConditionType(name: string): SystemConditionInfo | undefined {
  return conditionIndex.get(name.toLowerCase());
}
export function triggerClass(name: string): TriggerClassInfo | undefined {
  return triggerClassIndex.get(name.toLowerCase());
}

/** Task Types that accept a trigger on a profile. */
export function taskTypesForTrigger(className: string, profile: ProfileId): string[] {
  const info = triggerClass(className);
  if (!info) return [];
  if (profile === 'phone81' && info.taskTypes.phone81) return [...info.taskTypes.phone81];
  return profile === 'win10' || profile === 'appsdk' ? [...info.taskTypes.win10] : [...info.taskTypes.win8];
}

/**
 * Does this registration need the lock screen / RequestAccessAsync on the profile? §1, §8 #11.
 * win10 and phone81: every registration. win8/win81: the lock-screen triggers only.
 */
export function needsRequestAccess(profile: ProfileId, className: string, systemTriggerTypeName?: string): boolean {
  if (profile === 'win10' || profile === 'phone81' || profile === 'appsdk') return true;
  if (className === 'SystemTrigger') return !!systemTriggerTypeName && !!systemTriggerType(systemTriggerTypeName)?.lockScreenOn8x;
  return !!triggerClass(className)?.lockScreenOn8x;
}

/** Can Visual Studio's Lifecycle Events fire this registration? §6 */
export function visualStudioCanFire(className: string, systemTriggerTypeName?: string): boolean {
  if (className === 'SystemTrigger' && systemTriggerTypeName) return systemTriggerType(systemTriggerTypeName)?.visualStudioCanFire ?? true;
  return triggerClass(className)?.visualStudioCanFire ?? true;
}

/** PascalCase a JS member name: timeZoneChange → TimeZoneChange. */
export function pascalCase(name: string): string {
  return name.length ? name[0].toUpperCase() + name.slice(1) : name;
}
