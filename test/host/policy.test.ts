// The host's parts on their own: the policy's pure rules (validation §5, conditions §2, access and
// lock screen §1/§9, battery saver §3/§4, limits §4) and Turns (one runner at a time, settle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batterySaverActive, lateValidationError, limitFor, policyBlocks, validateRegistration, waitingFor } from '../../src/host/policy';
import { Turns, type TurnTarget } from '../../src/host/runners/turns';
import { defaultState } from '../../src/host/state';
import { DEFAULT_LIMITS, type Registration } from '../../src/host/types';
import type { HostToRunner } from '../../src/host/protocol';

const reg = (over: Partial<Registration> = {}): Registration => ({
  taskId: 't1', name: 'T', entryPoint: 'Tasks.T', trigger: { type: 'SystemTrigger', systemTriggerType: 'TimeZoneChange' }, conditions: [], cancelOnConditionLoss: false, isNetworkRequested: false, source: 'command', registeredAt: 0, ...over,
});

test('§5 validation: no trigger, freshness under 15 minutes, a second single-instance trigger, an undeclared Task Type', () => {
  const base = { profile: 'win10' as const, existing: [] as Registration[] };
  assert.match(String(validateRegistration({ name: 'X', conditions: [], cancelOnConditionLoss: false, isNetworkRequested: false }, base)), /no trigger/);
  assert.match(String(validateRegistration({ name: 'X', trigger: { type: 'TimeTrigger', freshness: 14 }, conditions: [], cancelOnConditionLoss: false, isNetworkRequested: false }, base)), /below the 15-minute minimum/);
  assert.match(String(validateRegistration({ name: 'X', trigger: { type: 'ApplicationTrigger' }, conditions: [], cancelOnConditionLoss: false, isNetworkRequested: false }, { ...base, existing: [reg({ trigger: { type: 'ApplicationTrigger' } })] })), /only one ApplicationTrigger/);
  const declarations = new Map([['Tasks.T', ['systemEvent']]]);
  assert.match(String(validateRegistration({ name: 'X', entryPoint: 'Tasks.T', trigger: { type: 'TimeTrigger', freshness: 15 }, conditions: [], cancelOnConditionLoss: false, isNetworkRequested: false }, { ...base, declarations })), /REGDB_E_CLASSNOTREG/);
  assert.equal(validateRegistration({ name: 'X', entryPoint: 'Tasks.T', trigger: { type: 'SystemTrigger', systemTriggerType: 'TimeZoneChange' }, conditions: [], cancelOnConditionLoss: false, isNetworkRequested: false }, { ...base, declarations }), undefined);
  assert.match(String(lateValidationError(reg({ trigger: { type: 'TimeTrigger', freshness: 5 } }), [])), /below 15 minutes/);
});

test('§2 conditions a fire waits for, and §3 MaintenanceTrigger waits for AC power', () => {
  const s = { ...defaultState('win10'), internetAvailable: false, power: 'dc' as const };
  assert.deepEqual(waitingFor(reg({ conditions: ['InternetAvailable', 'UserPresent'] }), s), ['InternetAvailable']);
  assert.deepEqual(waitingFor(reg({ trigger: { type: 'MaintenanceTrigger', freshness: 15 } }), s), ['ACPower']);
});

test('§9 policy: access denied blocks; 8.x lock screen blocks lock-screen triggers only; §3 battery saver only on battery and unless exempt', () => {
  assert.match(String(policyBlocks(reg(), { ...defaultState('win10'), accessStatus: 'DeniedByUser' }, 'win10')), /background access is DeniedByUser/);
  const offLock = { ...defaultState('win81'), lockScreen: false };
  assert.match(String(policyBlocks(reg({ trigger: { type: 'TimeTrigger', freshness: 15 } }), offLock, 'win81')), /lock screen/);
  assert.equal(policyBlocks(reg(), offLock, 'win81'), undefined, 'TimeZoneChange needs no lock screen (§1)');
  const saver = { ...defaultState('win10'), batterySaver: true };
  assert.equal(batterySaverActive({ ...saver, power: 'ac' }), false);
  assert.equal(policyBlocks(reg(), { ...saver, power: 'ac' }, 'win10'), undefined);
  assert.match(String(policyBlocks(reg(), { ...saver, power: 'dc' }, 'win10')), /battery saver/);
  assert.equal(policyBlocks(reg(), { ...saver, power: 'dc', batterySaverExempt: true }, 'win10'), undefined);
});

test('§4 wall-clock limits: 30 s, ApplicationTrigger about 10 minutes, DeviceServicingTrigger 30 minutes', () => {
  assert.equal(limitFor(reg(), DEFAULT_LIMITS), 30_000);
  assert.equal(limitFor(reg({ trigger: { type: 'ApplicationTrigger' } }), DEFAULT_LIMITS), 600_000);
  assert.equal(limitFor(reg({ trigger: { type: 'DeviceServicingTrigger' } }), DEFAULT_LIMITS), 1_800_000);
});

test('Turns: one target at a time, in order; settle resolves when all are quiet; a gone target drops its queue', async () => {
  const sent: string[] = [];
  const target = (name: string): TurnTarget & { name: string } => ({ name, exited: false, send: (m: HostToRunner) => void sent.push(`${name}:${m.op}@${m.now}`) });
  let now = 5;
  const turns = new Turns(() => now);
  const a = target('a');
  const b = target('b');
  turns.send(a, { op: 'timer', instanceId: 'i', id: 1 });
  turns.send(b, { op: 'timer', instanceId: 'j', id: 2 });
  turns.send(a, { op: 'cancel', instanceId: 'i' });
  assert.deepEqual(sent, ['a:timer@5'], 'b waits for a to be quiet');
  let settled = false;
  void turns.settle().then(() => (settled = true));
  now = 7;
  turns.quiet(b);
  assert.deepEqual(sent, ['a:timer@5'], 'quiet from a target without the turn changes nothing');
  turns.quiet(a);
  assert.deepEqual(sent, ['a:timer@5', 'b:timer@7']);
  turns.gone(a);
  turns.quiet(b);
  assert.deepEqual(sent, ['a:timer@5', 'b:timer@7'], 'a is gone: its cancel is dropped');
  await Promise.resolve();
  assert.equal(settled, true);
  assert.equal(turns.idle(), true);
});
