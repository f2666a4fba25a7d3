// The Lifecycle Events list as plain data (no vscode import): Visual Studio's dropdown (Suspend,
// Resume, Suspend and shutdown, the registered tasks) and what it lacks (§6): every system event,
// ApplicationTrigger with arguments, push with a payload, SMS, media processing, conditions, time.
import { SYSTEM_TRIGGER_TYPES } from '../../core/model/catalog';
import type { HostSnapshot } from './hostSessions';

export type Section = 'App' | 'Registered tasks' | 'System events' | 'Other triggers' | 'Conditions' | 'Time';
export const SECTIONS: readonly Section[] = ['App', 'Registered tasks', 'System events', 'Other triggers', 'Conditions', 'Time'];

/** A custom request to send, or one that first needs the user's input. */
export type LifecycleAction =
  | { request: string; args: Record<string, unknown> }
  | { input: 'applicationTrigger' | 'push'; task: string }
  | { input: 'duration' }
  | { input: 'accessStatus' | 'timeZone' | 'backgroundWorkCost' };

export interface LifecycleItem {
  id: string;
  section: Section;
  label: string;
  description?: string;
  detail?: string;
  action: LifecycleAction;
}

const TICK_MS = 15 * 60_000;
const onOff = (v: unknown) => (v ? 'on' : 'off');

function stateOf(r: HostSnapshot['registrations'][number]): string {
  if (r.running.length) return `running (${r.running.length})`;
  if (r.latched?.length) return `latched, waiting for ${r.latched.join(', ')}`;
  if (r.spent) return 'spent (one-shot)';
  return 'registered';
}

export function lifecycleItems(snap: HostSnapshot): LifecycleItem[] {
  const items: LifecycleItem[] = [];
  const app = snap.appState;
  const lifecycle = (action: string, label: string, detail: string) => items.push({ id: `app:${action}`, section: 'App', label, detail, action: { request: 'bgtask.lifecycle', args: { action } } });
  lifecycle('suspend', 'Suspend', app === 'running' ? 'The app goes to the background; Completed/Progress are queued until it resumes.' : `The app is ${app === 'notRunning' ? 'not running' : app}.`);
  lifecycle('resume', 'Resume', app === 'suspended' ? 'The app returns; queued Completed/Progress events are delivered.' : `The app is ${app === 'notRunning' ? 'not running' : app}.`);
  lifecycle('shutdown', 'Suspend and shutdown', 'Terminates the app and ends the debug session, as Visual Studio does.');
  lifecycle('launch', 'Launch', app === 'notRunning' ? 'Launches the app: its registration code runs again.' : 'The app is already running.');

  for (const r of snap.registrations) {
    items.push({
      id: `task:${r.name}`,
      section: 'Registered tasks',
      label: r.name,
      description: `${r.trigger}${r.conditions.length ? ` + ${r.conditions.join(', ')}` : ''} · ${stateOf(r)}`,
      detail: `Run now${r.entryPoint ? ` (${r.entryPoint})` : ''}${r.visualStudioCanFire ? '' : ' · Visual Studio\'s Lifecycle Events could not fire this one (§6)'}`,
      action: { request: 'bgtask.trigger', args: { task: r.name } },
    });
  }

  for (const r of snap.onDemand ?? []) {
    if (snap.registrations.some((x) => x.name === r.name)) continue;
    items.push({ id: `register:${r.name}`, section: 'Registered tasks', label: `$(add) ${r.name}`, description: `${r.trigger} · not registered yet`, detail: `Register it as ${r.registeredBy} would (the code registers it on demand, not at launch)`, action: { request: 'bgtask.register', args: { name: r.name } } });
  }

  for (const t of SYSTEM_TRIGGER_TYPES) {
    const reached = snap.registrations.filter((r) => r.trigger.startsWith(`SystemTrigger(${t.name}`)).length;
    items.push({ id: `system:${t.name}`, section: 'System events', label: t.name, description: reached ? `${reached} registration(s)` : undefined, detail: t.description, action: { request: 'bgtask.fire', args: { trigger: t.name } } });
  }

  const names = (type: string) => [...new Set(snap.registrations.filter((r) => r.trigger.startsWith(type)).map((r) => r.name))];
  for (const task of names('ApplicationTrigger')) items.push({ id: `other:applicationTrigger:${task}`, section: 'Other triggers', label: `ApplicationTrigger: ${task}…`, detail: 'RequestAsync with arguments (key=value, …); Visual Studio cannot signal it.', action: { input: 'applicationTrigger', task } });
  for (const task of names('PushNotificationTrigger')) items.push({ id: `other:push:${task}`, section: 'Other triggers', label: `Push notification: ${task}…`, detail: 'A raw notification with your payload as TriggerDetails.', action: { input: 'push', task } });
  items.push({ id: 'other:SmsReceived', section: 'Other triggers', label: 'SmsReceived', detail: 'An SMS arrives (Visual Studio cannot fire it).', action: { request: 'bgtask.fire', args: { trigger: 'SmsReceived' } } });
  items.push({ id: 'other:MediaProcessing', section: 'Other triggers', label: 'MediaProcessingTrigger', detail: 'Starts media processing tasks (RequestAsync).', action: { request: 'bgtask.fire', args: { trigger: 'MediaProcessingTrigger' } } });
  const toTick = TICK_MS - (snap.now % TICK_MS);
  items.push({ id: 'other:TimeTrigger', section: 'Other triggers', label: 'TimeTrigger tick', detail: `Advance to the next 15-minute tick (${Math.round(toTick / 1000)} s of virtual time): due TimeTriggers and MaintenanceTriggers fire.`, action: { request: 'bgtask.advance', args: { duration: toTick } } });

  const s = snap.state;
  const toggle = (id: string, field: string, label: (v: unknown) => string, next: unknown, now: string) =>
    items.push({ id: `condition:${id}`, section: 'Conditions', label: label(s[field]), description: `now: ${now}`, action: { request: 'bgtask.setState', args: { [field]: next } } });
  toggle('internet', 'internetAvailable', (v) => (v ? 'Internet: go offline' : 'Internet: come back online'), !s.internetAvailable, onOff(s.internetAvailable));
  toggle('freeNetwork', 'freeNetworkAvailable', (v) => (v ? 'Network: metered' : 'Network: free (unmetered)'), !s.freeNetworkAvailable, s.freeNetworkAvailable ? 'free' : 'metered');
  toggle('user', 'userPresent', (v) => (v ? 'User: away' : 'User: present'), !s.userPresent, s.userPresent ? 'present' : 'away');
  toggle('session', 'sessionConnected', (v) => (v ? 'Session: disconnect' : 'Session: connect'), !s.sessionConnected, s.sessionConnected ? 'connected' : 'disconnected');
  toggle('power', 'power', (v) => (v === 'ac' ? 'Power: on battery (DC)' : 'Power: plugged in (AC)'), s.power === 'ac' ? 'dc' : 'ac', String(s.power).toUpperCase());
  toggle('batterySaver', 'batterySaver', (v) => (v ? 'Battery saver: off' : 'Battery saver: on'), !s.batterySaver, onOff(s.batterySaver));
  toggle('lockScreen', 'lockScreen', (v) => (v ? 'Lock screen: remove the app' : 'Lock screen: add the app'), !s.lockScreen, s.lockScreen ? 'on the lock screen' : 'not on the lock screen');
  items.push({ id: 'condition:accessStatus', section: 'Conditions', label: 'Background access…', description: `now: ${String(s.accessStatus)}`, action: { input: 'accessStatus' } });
  items.push({ id: 'condition:backgroundWorkCost', section: 'Conditions', label: 'Background work cost…', description: `now: ${String(s.backgroundWorkCost)}`, action: { input: 'backgroundWorkCost' } });
  items.push({ id: 'condition:timeZone', section: 'Conditions', label: 'Time zone…', description: `now: ${String(s.timeZone)}`, detail: 'Changing it fires TimeZoneChange.', action: { input: 'timeZone' } });

  for (const [d, label] of [['15m', '15 minutes'], ['1h', '1 hour'], ['1d', '1 day']] as const) items.push({ id: `time:${d}`, section: 'Time', label: `Advance ${label}`, action: { request: 'bgtask.advance', args: { duration: d } } });
  items.push({ id: 'time:custom', section: 'Time', label: 'Advance…', detail: 'Any duration: 20m, 2h30m, 3d.', action: { input: 'duration' } });
  return items;
}

/** "k=v, k2=v2" or a JSON object → ApplicationTrigger arguments; undefined when it is neither. */
export function parseArguments(text: string): Record<string, unknown> | undefined {
  const t = text.trim();
  if (!t) return {};
  if (t.startsWith('{')) {
    try {
      const v = JSON.parse(t);
      return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
    } catch {
      return undefined;
    }
  }
  const out: Record<string, unknown> = {};
  for (const part of t.split(/[,;]\s*|\s+(?=[^=\s]+=)/)) {
    const i = part.indexOf('=');
    if (i <= 0) return undefined;
    out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
