// Platform rules of the firing pipeline and policy (domain-facts §1–§6, §9), on modeled instances:
// one test per rule, named with its section.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TICK_MS, type AppModel } from '../../src/host/host';
import { events, makeHost, spec, sys } from './helpers';
import type { TaskClassFact } from '../../src/core/facts/types';

const span = { start: 0, end: 0 };
function cls(fullName: string, opts: { deferralCompleted?: boolean; asyncWork?: boolean; handlesCanceled?: boolean } = {}): TaskClassFact {
  return {
    language: 'csharp', name: fullName.split('.').pop()!, fullName, nameSpan: span, span, isPublic: true, isSealed: true, handlesCanceled: opts.handlesCanceled ?? true,
    run: { span, nameSpan: span, isAsync: false, deferrals: opts.deferralCompleted === undefined ? [] : [{ span, completed: opts.deferralCompleted, completedInFinally: true, afterAwait: false }], hasTryFinally: false, ...(opts.asyncWork ? { asyncWork: span } : {}) },
  };
}
function app(extra: Partial<AppModel> = {}): AppModel {
  return { folder: '/nonexistent', profile: 'win10', classes: new Map(), registrations: [], startScripts: [], hasOnBackgroundActivated: false, ...extra };
}

test('§9 a fired SystemTrigger runs the task: fired → started → completed (modeled, no code ran)', () => {
  const { host, trace } = makeHost();
  host.register(spec('A', sys('TimeZoneChange')));
  assert.equal(host.fire('TimeZoneChange'), 1);
  assert.deepEqual(trace.filter((e) => e.task === 'A').map((e) => e.event), ['registered', 'fired', 'started', 'log', 'completed']);
  assert.match(String(events(trace, 'log', 'A')[0].text), /no code ran/);
});

test('§2 one-shot triggers fire once; the second fire is skipped', () => {
  const { host, trace } = makeHost();
  host.register(spec('O', sys('TimeZoneChange', true)));
  host.fire('TimeZoneChange');
  host.fire('TimeZoneChange');
  assert.equal(events(trace, 'started', 'O').length, 1);
  assert.match(String(events(trace, 'skipped', 'O')[0].why), /one-shot/);
  assert.equal(host.describe(host.registrations()[0]).visualStudioCanFire, false, '§2/§6: VS can no longer trigger a spent one-shot');
});

test('§2 a failing condition latches the task; it runs when the condition holds again', () => {
  const { host, trace } = makeHost({ state: { internetAvailable: false } });
  host.register(spec('C', sys('TimeZoneChange'), { conditions: ['InternetAvailable'] }));
  host.fire('TimeZoneChange');
  assert.deepEqual(events(trace, 'latched', 'C')[0].waitingFor, ['InternetAvailable']);
  assert.equal(events(trace, 'started', 'C').length, 0);
  host.setState({ internetAvailable: true });
  assert.equal(events(trace, 'started', 'C').length, 1);
});

test('§2 all conditions must hold (UserPresent + InternetAvailable)', () => {
  const { host, trace } = makeHost({ state: { internetAvailable: false, userPresent: false } });
  host.register(spec('C2', sys('TimeZoneChange'), { conditions: ['UserPresent', 'InternetAvailable'] }));
  host.fire('TimeZoneChange');
  host.setState({ internetAvailable: true });
  assert.equal(events(trace, 'started', 'C2').length, 0);
  host.setState({ userPresent: true });
  assert.equal(events(trace, 'started', 'C2').length, 1);
});

test('§2 CancelOnConditionLoss cancels a running task with ConditionLoss', () => {
  const { host, trace } = makeHost({}, app({ classes: new Map([['Tasks.L', cls('Tasks.L', { deferralCompleted: false })]]) }));
  host.register(spec('L', sys('TimeZoneChange'), { conditions: ['InternetAvailable'], cancelOnConditionLoss: true }));
  host.fire('TimeZoneChange');
  assert.equal(host.running().length, 1);
  host.setState({ internetAvailable: false });
  assert.equal(events(trace, 'canceled', 'L')[0].reason, 'ConditionLoss');
  assert.equal(host.running().length, 0);
});

test('§1 state changes raise the system triggers they imply (InternetAvailable on the edge, UserPresent/UserAway, NetworkStateChange)', () => {
  const { host, trace } = makeHost();
  for (const t of ['InternetAvailable', 'UserPresent', 'UserAway', 'NetworkStateChange', 'PowerStateChange', 'TimeZoneChange']) host.register(spec(t + 'Task', sys(t)));
  host.setState({ internetAvailable: true });
  assert.equal(events(trace, 'fired', 'InternetAvailableTask').length, 0, 'no edge, no fire');
  host.setState({ internetAvailable: false });
  host.setState({ internetAvailable: true });
  assert.equal(events(trace, 'fired', 'InternetAvailableTask').length, 1);
  assert.equal(events(trace, 'fired', 'NetworkStateChangeTask').length, 2);
  host.setState({ userPresent: false });
  host.setState({ userPresent: true });
  assert.equal(events(trace, 'fired', 'UserAwayTask').length, 1);
  assert.equal(events(trace, 'fired', 'UserPresentTask').length, 1);
  host.setState({ power: 'dc' });
  assert.equal(events(trace, 'fired', 'PowerStateChangeTask').length, 1);
  host.setState({ timeZone: 'Europe/Paris' });
  assert.equal(events(trace, 'fired', 'TimeZoneChangeTask').length, 1);
});

test('§3 TimeTrigger first fire within [freshness, freshness+15min) on the 15-minute tick', async () => {
  const { host, trace } = makeHost();
  await host.advance(60_000);
  host.register(spec('T', { type: 'TimeTrigger', freshness: 15, oneShot: false }));
  await host.advance(15 * 60_000 - 1);
  assert.equal(events(trace, 'fired', 'T').length, 0, 'not before freshness');
  await host.advance(30 * 60_000);
  const first = events(trace, 'fired', 'T')[0];
  assert.ok(first.t - 60_000 >= 15 * 60_000 && first.t - 60_000 < 30 * 60_000, `fired ${first.t - 60_000} ms after registration`);
  assert.equal(first.t % TICK_MS, 0);
});

test('§3 periodic TimeTrigger keeps firing; one-shot fires once', async () => {
  const { host, trace } = makeHost();
  host.register(spec('P', { type: 'TimeTrigger', freshness: 60, oneShot: false }));
  host.register(spec('S', { type: 'TimeTrigger', freshness: 15, oneShot: true }));
  await host.advance(5 * 3_600_000);
  assert.equal(events(trace, 'fired', 'P').length, 5);
  assert.equal(events(trace, 'fired', 'S').length, 1);
});

test('§5 Register validates freshness < 15, no trigger, a second ApplicationTrigger and undeclared Task Types on win81+', () => {
  const declarations = new Map([['Tasks.Timer', ['systemEvent']]]);
  const { host, trace } = makeHost({}, app({ declarations }));
  assert.match(host.register(spec('F', { type: 'TimeTrigger', freshness: 10 })).error!, /15-minute minimum/);
  assert.match(host.register(spec('N', undefined)).error!, /no trigger/);
  assert.ok(host.register(spec('A1', { type: 'ApplicationTrigger' }, { entryPoint: undefined })).registration);
  assert.match(host.register(spec('A2', { type: 'ApplicationTrigger' }, { entryPoint: undefined })).error!, /only one ApplicationTrigger/);
  assert.match(host.register(spec('Timer', { type: 'TimeTrigger', freshness: 15 })).error!, /runtime class not registered/);
  assert.equal(events(trace, 'registration-failed').length, 4);
});

test('§5 Windows 8 does not validate at Register; the invalid task fails to start when it fires', () => {
  const { host, trace } = makeHost({ profile: 'win8' });
  assert.ok(host.register(spec('F8', { type: 'TimeTrigger', freshness: 10 })).registration);
  host.triggerTask('F8');
  assert.match(String(events(trace, 'skipped', 'F8')[0].why), /validates only when the task runs/);
});

test('§3 MaintenanceTrigger runs only on AC and is canceled with Abort when power goes to DC', async () => {
  const { host, trace } = makeHost({ state: { power: 'dc' } }, app({ classes: new Map([['Tasks.M', cls('Tasks.M', { deferralCompleted: false })]]) }));
  host.register(spec('M', { type: 'MaintenanceTrigger', freshness: 15 }));
  await host.advance(15 * 60_000);
  assert.deepEqual(events(trace, 'latched', 'M')[0].waitingFor, ['ACPower']);
  host.setState({ power: 'ac' });
  assert.equal(events(trace, 'started', 'M').length, 1);
  host.setState({ power: 'dc' });
  assert.equal(events(trace, 'canceled', 'M')[0].reason, 'Abort');
});

test('§4 wall-clock limit: 30 s then ExecutionTimeExceeded; ApplicationTrigger gets ~10 minutes', async () => {
  const classes = new Map([['Tasks.H', cls('Tasks.H', { deferralCompleted: false })]]);
  const { host, trace } = makeHost({}, app({ classes }));
  host.register(spec('H', sys('TimeZoneChange'), { entryPoint: 'Tasks.H' }));
  host.register(spec('AT', { type: 'ApplicationTrigger' }, { entryPoint: 'Tasks.H' }));
  host.lifecycle('launch');
  host.fire('TimeZoneChange');
  host.applicationTrigger('AT', {});
  await host.advance(29_999);
  assert.equal(events(trace, 'canceled').length, 0);
  await host.advance(1);
  assert.equal(events(trace, 'canceled', 'H')[0].reason, 'ExecutionTimeExceeded');
  await host.advance(10 * 60_000 - 30_000);
  assert.equal(events(trace, 'canceled', 'AT')[0].reason, 'ExecutionTimeExceeded');
  assert.equal(events(trace, 'canceled', 'AT')[0].t, 10 * 60_000);
});

test('§5 Unregister(true) cancels running instances with Abort; Unregister(false) lets them finish', () => {
  const classes = new Map([['Tasks.U', cls('Tasks.U', { deferralCompleted: false })]]);
  const { host, trace } = makeHost({}, app({ classes }));
  host.register(spec('U', sys('TimeZoneChange')));
  host.fire('TimeZoneChange');
  host.unregister('U', true);
  assert.equal(events(trace, 'canceled', 'U')[0].reason, 'Abort');
  host.register(spec('U', sys('TimeZoneChange')));
  host.fire('TimeZoneChange');
  host.unregister('U', false);
  assert.equal(events(trace, 'canceled', 'U').length, 1);
  assert.equal(host.running().length, 1);
});

test('§5 AllTasks excludes grouped tasks; names are not unique', () => {
  const { host } = makeHost();
  host.register(spec('G', sys('TimeZoneChange'), { group: 'grp' }));
  host.register(spec('X', sys('TimeZoneChange')));
  host.register(spec('X', sys('TimeZoneChange')));
  assert.deepEqual(host.allTasks().map((r) => r.name), ['X', 'X']);
  assert.equal(host.registrations().length, 3);
});

test('§8 #9 a launch that registers without an AllTasks check duplicates the registration; with the check it does not', () => {
  const registrations = [
    { spec: spec('Dup', sys('TimeZoneChange')), allTasksChecked: false, where: 'a.cs' },
    { spec: spec('Once', sys('TimeZoneChange')), allTasksChecked: true, where: 'b.cs' },
  ];
  const { host, trace } = makeHost({}, app({ registrations }));
  host.lifecycle('launch');
  host.lifecycle('shutdown');
  host.lifecycle('launch');
  assert.equal(host.registry.byName('Dup').length, 2);
  assert.equal(host.registry.byName('Once').length, 1);
  host.fire('TimeZoneChange');
  assert.equal(events(trace, 'started', 'Dup').length, 2, 'duplicates run several times per trigger');
});

test('§5 BackgroundAccessStatus denied: the task is skipped', () => {
  const { host, trace } = makeHost({ state: { accessStatus: 'DeniedByUser' } });
  host.register(spec('D', sys('TimeZoneChange')));
  host.fire('TimeZoneChange');
  assert.match(String(events(trace, 'skipped', 'D')[0].why), /DeniedByUser/);
});

test('§1 lock-screen triggers need the lock screen on 8.x, not on Windows 10', () => {
  for (const [profile, runs] of [['win81', false], ['win10', true]] as const) {
    const { host, trace } = makeHost({ profile, state: { lockScreen: false } });
    host.register(spec('UP', sys('UserPresent')));
    host.register(spec('TZ', sys('TimeZoneChange')));
    host.fire('UserPresent');
    host.fire('TimeZoneChange');
    assert.equal(events(trace, 'started', 'UP').length, runs ? 1 : 0, profile);
    assert.equal(events(trace, 'started', 'TZ').length, 1, profile);
  }
});

test('§3 TimeTrigger does not run in battery saver unless the app is exempted (win10)', async () => {
  const { host, trace } = makeHost({ state: { batterySaver: true, power: 'dc' } });
  host.register(spec('B', { type: 'TimeTrigger', freshness: 15 }));
  await host.advance(15 * 60_000);
  assert.match(String(events(trace, 'skipped', 'B')[0].why), /battery saver/);
  host.setState({ batterySaverExempt: true });
  await host.advance(15 * 60_000);
  assert.equal(events(trace, 'started', 'B').length, 1);
});

test('§5 Completed for a suspended or closed app is queued and delivered on resume or next launch', () => {
  const { host, trace } = makeHost();
  host.register(spec('Q', sys('TimeZoneChange')));
  host.fire('TimeZoneChange');
  assert.equal(events(trace, 'delivered').length, 0, 'app not running');
  host.lifecycle('launch');
  assert.equal(events(trace, 'delivered', 'Q')[0].queued, true);
  host.lifecycle('suspend');
  host.fire('TimeZoneChange');
  assert.equal(events(trace, 'delivered').length, 1);
  host.lifecycle('resume');
  assert.equal(events(trace, 'delivered').length, 2);
  host.fire('TimeZoneChange');
  assert.equal(events(trace, 'delivered').length, 3, 'running app: immediately');
  assert.equal(events(trace, 'delivered')[2].queued, undefined);
});

test('§6 trigger by name as Visual Studio does, with a note when Visual Studio could not fire it', () => {
  const { host, trace } = makeHost();
  host.register(spec('Sms', sys('SmsReceived')));
  host.register(spec('Tz', sys('TimeZoneChange')));
  host.triggerTask('Sms');
  host.triggerTask('Tz');
  assert.match(String(events(trace, 'log', 'Sms')[0].text), /could not fire/);
  assert.equal(events(trace, 'registered', 'Sms')[0].visualStudioCanFire, false);
  assert.equal(events(trace, 'registered', 'Tz')[0].visualStudioCanFire, true);
  assert.equal(events(trace, 'started').length, 2);
});

test('§3.1 ApplicationTrigger with arguments, push with a payload as TriggerDetails; CurrentlyRunning while one runs', async () => {
  const classes = new Map([['Tasks.Busy', cls('Tasks.Busy', { deferralCompleted: false })]]);
  const { host, trace } = makeHost({}, app({ classes }));
  host.register(spec('App', { type: 'ApplicationTrigger' }, { entryPoint: 'Tasks.Busy' }));
  host.register(spec('Push', { type: 'PushNotificationTrigger' }));
  host.lifecycle('launch');
  assert.equal(host.applicationTrigger('App', { k: 'v' }), 'Allowed');
  assert.equal(host.applicationTrigger('App', {}), 'CurrentlyRunning');
  host.push('Push', 'hello');
  host.fire('SmsReceived');
  host.fire('MediaProcessingTrigger');
  assert.equal(events(trace, 'started', 'Push').length, 1);
  host.lifecycle('suspend');
  await host.advance(11 * 60_000);
  assert.equal(host.applicationTrigger('App', {}), 'DisabledByPolicy');
});

test('§8 #8 modeled C# task whose deferral is never completed runs until its limit; §8 #7 async work without deferral is reported', async () => {
  const classes = new Map([['Tasks.Never', cls('Tasks.Never', { deferralCompleted: false })], ['Tasks.Async', cls('Tasks.Async', { asyncWork: true })]]);
  const { host, trace } = makeHost({}, app({ classes }));
  host.register(spec('Never', sys('TimeZoneChange')));
  host.register(spec('Async', sys('TimeZoneChange')));
  host.fire('TimeZoneChange');
  assert.equal(events(trace, 'completed', 'Async').length, 1);
  assert.ok(events(trace, 'log', 'Async').some((e) => /cut off/.test(String(e.text))));
  await host.advance(30_000);
  assert.equal(events(trace, 'canceled', 'Never')[0].reason, 'ExecutionTimeExceeded');
});

test('§3.5 an entry point with no class in the workspace fails to activate', () => {
  const classes = new Map([['Tasks.Other', cls('Tasks.Other')]]);
  const { host, trace } = makeHost({}, app({ classes }));
  host.register(spec('Missing', sys('TimeZoneChange')));
  host.fire('TimeZoneChange');
  assert.match(String(events(trace, 'failed', 'Missing')[0].error), /failed to activate/);
});

test('unknown trigger names are errors', () => {
  const { host } = makeHost();
  assert.throws(() => host.fire('NoSuchTrigger'), /unknown trigger/);
});
