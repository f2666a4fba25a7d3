// The Windows 8/8.1 CPU quota model (domain-facts §4 "Windows 8 / 8.1 (PC)", §9 Cancellation): off by
// default; lock-screen apps get 2 CPU-s per 15 min, other apps 1 CPU-s per 2 h, shared by all the
// app's tasks; used up, the running tasks are suspended until the next refresh, then resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { AppModel } from '../../src/host/host';
import { parseScenario, replay } from '../../src/host/scenario';
import type { TaskClassFact } from '../../src/core/facts/types';
import { JS_FIXTURES, events, makeHost, spec, sys } from './helpers';

const MIN = 60_000;
const span = { start: 0, end: 0 };
/** A modeled C# task whose deferral is never completed: it stays running (and can be suspended). */
const holder: TaskClassFact = {
  language: 'csharp', name: 'Hold', fullName: 'Tasks.Hold', nameSpan: span, span, isPublic: true, isSealed: true, handlesCanceled: true,
  run: { span, nameSpan: span, isAsync: false, deferrals: [{ span, completed: false, completedInFinally: false, afterAwait: false }], hasTryFinally: false },
};
/** A modeled C# task whose Run returns with no deferral: it completes once its CPU is charged. */
const busy: TaskClassFact = { ...holder, name: 'Busy', fullName: 'Tasks.Busy', run: { ...holder.run!, deferrals: [] } };
const app = (): AppModel => ({ folder: '/nonexistent', profile: 'win8', classes: new Map([['Tasks.Hold', holder], ['Tasks.Busy', busy]]), registrations: [], startScripts: [], hasOnBackgroundActivated: false });

test('§4 the CPU quota is off by default: on win8 a hundred modeled runs complete, none is suspended', () => {
  const { host, trace } = makeHost({ profile: 'win8', state: { lockScreen: true } });
  host.register(spec('Busy', sys('TimeZoneChange')));
  for (let i = 0; i < 100; i++) host.fire('TimeZoneChange');
  assert.equal(events(trace, 'completed', 'Busy').length, 100);
  assert.equal(events(trace, 'suspended').length, 0);
});

test('§4 quota exhaustion suspends the running tasks: SuspendedCount + 1 and a suspended trace event; shared by all the app\'s tasks', () => {
  const { host, trace } = makeHost({ profile: 'win8', cpuQuota: true, state: { lockScreen: true }, limits: { modeledCpuMs: 600 } }, app());
  host.register(spec('Hold', sys('TimeZoneChange'), { entryPoint: 'Tasks.Hold' }));
  host.register(spec('Busy', sys('ServicingComplete')));
  host.fire('TimeZoneChange'); // Hold: 600 ms, then holds its deferral
  host.fire('ServicingComplete'); // 1200
  host.fire('ServicingComplete'); // 1800
  assert.equal(events(trace, 'suspended').length, 0);
  host.fire('ServicingComplete'); // needs 600, 200 left: the budget is used up mid-Run
  const suspended = events(trace, 'suspended');
  assert.deepEqual(suspended.map((e) => e.task).sort(), ['Busy', 'Hold'], 'every running task of the app is suspended, not only the one that used the last of it');
  const busy = suspended.find((e) => e.task === 'Busy')!;
  assert.equal(busy.suspendedCount, 1);
  assert.equal(busy.quotaMs, 2000);
  assert.equal(busy.cpuUsedMs, 2000);
  assert.equal(busy.resumeAt, 15 * MIN);
  assert.match(String(busy.why), /CPU quota.*used up/);
  assert.equal(events(trace, 'completed', 'Busy').length, 2);
  assert.equal(events(trace, 'canceled').length, 0, 'suspended, not canceled (§9)');
  assert.ok(host.running().every((r) => r.suspended && r.suspendedCount === 1));
  // A task fired while the quota is used up starts suspended.
  host.fire('ServicingComplete');
  assert.equal(events(trace, 'suspended', 'Busy').length, 2);
  assert.equal(events(trace, 'completed', 'Busy').length, 2);
});

test('§4 the quota refreshes on the virtual clock and the suspended tasks resume and finish', async () => {
  const { host, trace } = makeHost({ profile: 'win81', cpuQuota: true, state: { lockScreen: true }, limits: { modeledCpuMs: 600 } });
  host.register(spec('Busy', sys('TimeZoneChange')));
  for (let i = 0; i < 4; i++) host.fire('TimeZoneChange');
  assert.equal(events(trace, 'completed', 'Busy').length, 3);
  assert.equal(events(trace, 'suspended', 'Busy').length, 1);
  await host.idle(); // a suspended instance waits for virtual time: the host counts as idle
  await host.advance(15 * MIN - 1);
  assert.equal(events(trace, 'resumed').length, 0, 'no refresh before the period ends');
  await host.advance(1);
  const resumed = events(trace, 'resumed', 'Busy');
  assert.equal(resumed.length, 1);
  assert.equal(resumed[0].t, 15 * MIN);
  assert.equal(resumed[0].suspendedCount, 1);
  assert.ok(events(trace, 'log').some((e) => /CPU quota refreshed: 2000 ms/.test(String(e.text))));
  assert.equal(events(trace, 'completed', 'Busy').length, 4);
  assert.equal(host.running().length, 0);
  // The new period has 2000 - 400 ms left: two more runs fit, the third is suspended again.
  for (let i = 0; i < 2; i++) host.fire('TimeZoneChange');
  assert.equal(events(trace, 'suspended', 'Busy').length, 1);
  host.fire('TimeZoneChange');
  assert.equal(events(trace, 'suspended', 'Busy').length, 2);
  assert.equal(events(trace, 'suspended', 'Busy')[1].resumeAt, 30 * MIN);
});

test('§4 lock-screen apps get 2 CPU-seconds every 15 minutes, other apps 1 CPU-second every 2 hours', async () => {
  const run = (lockScreen: boolean) => {
    const { host, trace } = makeHost({ profile: 'win8', cpuQuota: true, state: { lockScreen, power: 'dc' }, limits: { modeledCpuMs: 250 } });
    host.register(spec('Busy', sys('TimeZoneChange')));
    let fired = 0;
    while (!events(trace, 'suspended').length && fired < 100) {
      host.fire('TimeZoneChange');
      fired++;
    }
    return { host, trace, fired };
  };
  const lock = run(true);
  assert.equal(lock.fired, 9, '8 runs of 250 ms fit in 2 s; the 9th is suspended');
  assert.equal(events(lock.trace, 'suspended')[0].resumeAt, 15 * MIN);
  const other = run(false);
  assert.equal(other.fired, 5, '4 runs of 250 ms fit in 1 s; the 5th is suspended');
  const s = events(other.trace, 'suspended')[0];
  assert.deepEqual([s.quotaMs, s.periodMs, s.resumeAt], [1000, 120 * MIN, 120 * MIN]);
  await other.host.advance(15 * MIN);
  assert.equal(events(other.trace, 'resumed').length, 0, 'no 15-minute refresh off the lock screen');
  await other.host.advance(105 * MIN);
  assert.equal(events(other.trace, 'resumed').length, 1);
  assert.equal(events(other.trace, 'completed').length, 5);
});

test('§4 the CPU quota is a Windows 8/8.1 model: not applied on win10 (nor phone81) even when on', () => {
  for (const profile of ['win10', 'phone81'] as const) {
    const { host, trace } = makeHost({ profile, cpuQuota: true, state: { lockScreen: true, accessStatus: 'AlwaysAllowed' }, limits: { modeledCpuMs: 1000 } });
    host.register(spec('Busy', sys('TimeZoneChange')));
    for (let i = 0; i < 10; i++) host.fire('TimeZoneChange');
    assert.equal(events(trace, 'completed', 'Busy').length, 10, profile);
    assert.equal(events(trace, 'suspended').length, 0, profile);
  }
});

test('§4 PushNotificationTrigger tasks have their own guaranteed quota: not charged, not suspended', () => {
  const { host, trace } = makeHost({ profile: 'win8', cpuQuota: true, state: { lockScreen: true }, limits: { modeledCpuMs: 1000 } });
  host.register(spec('Push', { type: 'PushNotificationTrigger' }));
  host.register(spec('Busy', sys('TimeZoneChange')));
  host.fire('TimeZoneChange');
  host.fire('TimeZoneChange');
  for (let i = 0; i < 3; i++) host.push('Push', 'p');
  assert.equal(events(trace, 'completed', 'Push').length, 3);
  assert.equal(events(trace, 'suspended', 'Push').length, 0);
});

test('§4 a suspended task canceled (Unregister(true)) gets Canceled without waiting for the refresh', async () => {
  const { host, trace } = makeHost({ profile: 'win8', cpuQuota: true, state: { lockScreen: true }, limits: { modeledCpuMs: 3000 } });
  host.register(spec('Busy', sys('TimeZoneChange')));
  host.fire('TimeZoneChange');
  assert.equal(events(trace, 'suspended', 'Busy').length, 1);
  host.unregister('Busy', true);
  assert.equal(events(trace, 'canceled', 'Busy')[0].reason, 'Abort');
  assert.equal(host.running().length, 0);
  await host.advance(15 * MIN);
  assert.equal(events(trace, 'resumed').length, 0);
});

test('§4 a JS task is charged its measured CPU: suspended between its slices (its progress held), resumed at each refresh, SuspendedCount seen by the code', async () => {
  // timeScale 0.05: the 2000 ms lock-screen quota is 100 ms of real CPU per 15 virtual minutes; the
  // task burns 30 slices of fixed work, so it needs one or more refreshes depending on the machine.
  // The wall-clock limit is raised so that its real-time budget (busy time, inflated on a loaded machine) is not what ends it.
  const { host, trace } = makeHost({ profile: 'win8', cpuQuota: true, state: { lockScreen: true }, limits: { wallClockMs: 600_000 } });
  host.register(spec('Burn', sys('TimeZoneChange'), { entryPoint: path.join(JS_FIXTURES, 'burnsCpu.js') }));
  try {
    await host.warmUp();
    host.fire('TimeZoneChange');
    await host.settle();
    const suspended = events(trace, 'suspended', 'Burn');
    assert.equal(suspended.length, 1);
    assert.equal(suspended[0].suspendedCount, 1);
    const progressAtSuspension = events(trace, 'progress', 'Burn').length;
    assert.ok(progressAtSuspension > 0 && progressAtSuspension < 30, `some slices ran before the suspension (${progressAtSuspension})`);
    await host.settle();
    assert.equal(events(trace, 'progress', 'Burn').length, progressAtSuspension, 'nothing from the task runs while it is suspended');
    assert.equal(events(trace, 'canceled').length, 0, 'the wall-clock limit is paused while suspended');
    for (let period = 0; period < 40 && !events(trace, 'completed', 'Burn').length; period++) await host.advance(15 * MIN);
    const resumed = events(trace, 'resumed', 'Burn');
    assert.ok(resumed.length >= 1);
    assert.equal(resumed[0].t, 15 * MIN, 'the first resume is at the first refresh');
    assert.equal(events(trace, 'completed', 'Burn').length, 1);
    const count = events(trace, 'suspended', 'Burn').length;
    const report = events(trace, 'log', 'Burn').find((e) => /suspendedCount=/.test(String(e.text)));
    assert.equal(report?.text, `suspendedCount=${count} throttleCpu=${count}`);
    assert.equal(events(trace, 'progress', 'Burn').length, 30);
  } finally {
    await host.close();
  }
});

test('§4 a scenario turns the quota on with "cpuQuota": true and sets its figures in "limits"; expect matches suspended/resumed', async () => {
  const sc = parseScenario(JSON.stringify({
    profile: 'win8',
    cpuQuota: true,
    state: { lockScreen: false },
    limits: { modeledCpuMs: '400ms', cpuQuotaMs: '1s', cpuQuotaPeriodMs: '1h' },
    steps: [
      { register: { name: 'T', entryPoint: 'Tasks.T', trigger: 'TimeZoneChange' } },
      { fire: 'TimeZoneChange' }, { fire: 'TimeZoneChange' }, { fire: 'TimeZoneChange' },
      { expect: { event: 'suspended', task: 'T', suspendedCount: 1, resumeAt: 3_600_000 } },
      { advance: '1h' },
      { expect: { event: 'resumed', task: 'T' } },
    ],
  }), 'quota.bgscenario.json');
  assert.equal(sc.cpuQuota, true);
  const { host } = makeHost({ profile: sc.profile, cpuQuota: sc.cpuQuota, limits: { ...sc.limits }, state: sc.state });
  const result = await replay(host, sc, 2000);
  assert.equal(result.ok, true);
  assert.throws(() => parseScenario('{"cpuQuota": "yes", "steps": []}', 'x.json'), /cpuQuota must be true or false/);
});
