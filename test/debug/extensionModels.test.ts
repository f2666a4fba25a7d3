// The extension's debug views as plain data: the Lifecycle Events list (sections, what Visual Studio
// could not fire, conditions as toggles of the current state), ApplicationTrigger arguments, the
// tree's live states from a registry snapshot and trace, and the timeline layout and SVG.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostSnapshot } from '../../src/extension/debug/hostSessions';
import { SECTIONS, lifecycleItems, parseArguments } from '../../src/extension/debug/lifecycleItems';
import { liveRegistrations } from '../../src/extension/debug/liveState';
import { statusText } from '../../src/extension/debug/statusText';
import { fitViewport, layoutTimeline, parseTraceLines, timelineSvg } from '../../src/extension/debug/timelineLayout';
import type { TraceEvent } from '../../src/host/types';

const reg = (name: string, trigger: string, extra: Partial<HostSnapshot['registrations'][number]> = {}): HostSnapshot['registrations'][number] => ({ name, taskId: `id-${name}`, trigger, conditions: [], spent: false, running: [], visualStudioCanFire: true, entryPoint: `Tasks.${name}`, ...extra });

const snap: HostSnapshot = {
  now: 31 * 60_000,
  appState: 'suspended',
  state: { internetAvailable: true, freeNetworkAvailable: true, userPresent: true, sessionConnected: true, power: 'ac', batterySaver: false, lockScreen: true, accessStatus: 'AlwaysAllowed', backgroundWorkCost: 'Low', timeZone: 'UTC' },
  registrations: [
    reg('TimeZoneTask', 'SystemTrigger(TimeZoneChange)', { running: ['i1'] }),
    reg('AppTask', 'ApplicationTrigger', { visualStudioCanFire: false }),
    reg('PushTask', 'PushNotificationTrigger', { visualStudioCanFire: false }),
    reg('Waiting', 'SystemTrigger(TimeZoneChange)', { latched: ['InternetAvailable'], conditions: ['InternetAvailable'] }),
  ],
  running: [{ instanceId: 'i1', task: 'TimeZoneTask', taskId: 'id-TimeZoneTask', startedAt: 0 }],
  latched: [{ task: 'Waiting', waitingFor: ['InternetAvailable'] }],
};

test('Lifecycle Events: the six sections in order, VS limits noted, conditions toggle the current state', () => {
  const items = lifecycleItems(snap);
  assert.deepEqual([...new Set(items.map((i) => i.section))], [...SECTIONS]);
  assert.deepEqual(items.filter((i) => i.section === 'App').map((i) => i.label), ['Suspend', 'Resume', 'Suspend and shutdown', 'Launch']);
  const tz = items.find((i) => i.id === 'task:TimeZoneTask')!;
  assert.match(tz.description!, /SystemTrigger\(TimeZoneChange\) · running \(1\)/);
  assert.deepEqual(tz.action, { request: 'bgtask.trigger', args: { task: 'TimeZoneTask' } });
  assert.match(items.find((i) => i.id === 'task:AppTask')!.detail!, /Visual Studio's Lifecycle Events could not fire this one/);
  assert.match(items.find((i) => i.id === 'task:Waiting')!.description!, /latched, waiting for InternetAvailable/);
  assert.equal(items.find((i) => i.id === 'system:TimeZoneChange')!.description, '2 registration(s)');
  assert.ok(items.some((i) => i.id === 'system:SmsReceived'));
  assert.deepEqual(items.find((i) => i.id === 'other:applicationTrigger:AppTask')!.action, { input: 'applicationTrigger', task: 'AppTask' });
  assert.deepEqual(items.find((i) => i.id === 'other:push:PushTask')!.action, { input: 'push', task: 'PushTask' });
  // 31 minutes: the next 15-minute tick is 14 minutes away.
  assert.deepEqual(items.find((i) => i.id === 'other:TimeTrigger')!.action, { request: 'bgtask.advance', args: { duration: 14 * 60_000 } });
  const internet = items.find((i) => i.id === 'condition:internet')!;
  assert.equal(internet.label, 'Internet: go offline');
  assert.deepEqual(internet.action, { request: 'bgtask.setState', args: { internetAvailable: false } });
  assert.deepEqual(items.find((i) => i.id === 'condition:power')!.action, { request: 'bgtask.setState', args: { power: 'dc' } });
  assert.deepEqual(items.filter((i) => i.section === 'Time').map((i) => i.id), ['time:15m', 'time:1h', 'time:1d', 'time:custom']);
  // A registration the code makes on demand is offered for registering, once; a registered one is not.
  const withOnDemand = lifecycleItems({ ...snap, onDemand: [{ name: 'Later', trigger: 'TimeTrigger(15)', registeredBy: 'Scenario4.Register_Click' }, { name: 'AppTask', trigger: 'ApplicationTrigger', registeredBy: 'x' }] });
  assert.deepEqual(withOnDemand.filter((i) => i.id.startsWith('register:')).map((i) => [i.section, i.action]), [['Registered tasks', { request: 'bgtask.register', args: { name: 'Later' } }]]);
});

test('ApplicationTrigger arguments: key=value pairs or JSON; anything else is refused', () => {
  assert.deepEqual(parseArguments('k=v, n=2'), { k: 'v', n: '2' });
  assert.deepEqual(parseArguments('{"a": 1}'), { a: 1 });
  assert.deepEqual(parseArguments(''), {});
  assert.equal(parseArguments('just words'), undefined);
  assert.equal(parseArguments('[1,2]'), undefined);
});

test('live tree states: running with progress, latched, and how the last run ended', () => {
  const trace: TraceEvent[] = [
    { t: 0, event: 'started', task: 'TimeZoneTask', taskId: 'id-TimeZoneTask', instanceId: 'i1' },
    { t: 1, event: 'progress', task: 'TimeZoneTask', taskId: 'id-TimeZoneTask', instanceId: 'i1', progress: 40 },
    { t: 2, event: 'started', task: 'AppTask', taskId: 'id-AppTask', instanceId: 'i2' },
    { t: 3, event: 'canceled', task: 'AppTask', taskId: 'id-AppTask', instanceId: 'i2', reason: 'Abort' },
    { t: 4, event: 'started', task: 'PushTask', taskId: 'id-PushTask', instanceId: 'i3' },
    { t: 5, event: 'failed', task: 'PushTask', taskId: 'id-PushTask', instanceId: 'i3', error: 'boom' },
  ];
  const live = Object.fromEntries(liveRegistrations(snap, trace).map((r) => [r.name, r]));
  assert.deepEqual([live.TimeZoneTask.state, live.TimeZoneTask.progress], ['running', 40]);
  assert.deepEqual([live.AppTask.state, live.AppTask.reason], ['canceled', 'Abort']);
  assert.deepEqual([live.PushTask.state, live.PushTask.error], ['failed', 'boom']);
  assert.deepEqual([live.Waiting.state, live.Waiting.waitingFor], ['latched', ['InternetAvailable']]);
});

test('status bar text: state, virtual clock and running count', () => {
  assert.equal(statusText(snap), '$(debug-pause) Suspended · 00:31:00 · 1 running');
});

test('timeline layout: lanes per registration, fire marks, latched waits closed by the start, run bars with progress and outcome, lifecycle bands', () => {
  const trace: TraceEvent[] = [
    { t: 0, event: 'lifecycle', state: 'running' },
    { t: 0, event: 'registered', task: 'A', taskId: 'a', trigger: 'SystemTrigger(TimeZoneChange)' },
    { t: 10, event: 'fired', task: 'A', taskId: 'a', trigger: 'TimeZoneChange' },
    { t: 10, event: 'latched', task: 'A', taskId: 'a', waitingFor: ['InternetAvailable'] },
    { t: 50, event: 'started', task: 'A', taskId: 'a', instanceId: 'i1', trigger: 'TimeZoneChange' },
    { t: 60, event: 'progress', task: 'A', taskId: 'a', instanceId: 'i1', progress: 40 },
    { t: 70, event: 'lifecycle', state: 'suspended' },
    { t: 80, event: 'canceled', task: 'A', taskId: 'a', instanceId: 'i1', reason: 'ConditionLoss' },
    { t: 90, event: 'started', task: 'B', taskId: 'b', instanceId: 'i2' },
    { t: 95, event: 'state', changes: { internetAvailable: false } },
  ];
  const L = layoutTimeline(trace);
  assert.deepEqual(L.lanes.map((l) => l.name), ['A', 'B']);
  assert.deepEqual(L.waits, [{ lane: 0, from: 10, to: 50, waitingFor: ['InternetAvailable'] }]);
  assert.deepEqual(L.bars[0], { lane: 0, instanceId: 'i1', from: 50, to: 80, progress: 40, outcome: 'canceled', why: 'ConditionLoss', trigger: 'TimeZoneChange' });
  assert.equal(L.bars[1].outcome, 'running');
  assert.equal(L.bars[1].to, undefined);
  assert.deepEqual(L.bands, [{ from: 0, to: 70, state: 'running' }, { from: 70, state: 'suspended' }]);
  assert.deepEqual(L.marks.map((m) => [m.lane, m.kind]), [[0, 'registered'], [0, 'fired'], [-1, 'state']]);
  assert.equal(L.end, 95);
  const svg = timelineSvg(L, fitViewport(L, 800));
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<title>A canceled \(ConditionLoss\) · 40%<\/title>/);
  assert.match(svg, /latched, waiting for InternetAvailable/);
  assert.ok(svg.endsWith('</svg>'));
});

test('a trace file (bgtask host --json) reads one event per line and skips the rest', () => {
  const text = 'bgtask host: 2 registration(s)\n{"t":0,"event":"lifecycle","state":"running"}\r\n{"t":5,"event":"fired","task":"A","trigger":"TimeZoneChange"}\nnot json {\n{"no":"event"}\n5 of 5 expectations passed\n';
  assert.deepEqual(parseTraceLines(text).map((e) => e.event), ['lifecycle', 'fired']);
});
