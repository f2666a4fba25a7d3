// JS/TS tasks run for real in worker threads against the emulated API, the fault cases (throws,
// spins, eats memory, never closes, never completes its deferral), and the external runner protocol
// with the out-of-process JS runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { workerScript } from '../../src/host/jsRunner';
import { JS_FIXTURES, events, makeHost, spec, sys, waitFor } from './helpers';
import type { HostOptions } from '../../src/host/types';

const js = (file: string) => path.join(JS_FIXTURES, file);

async function runOne(file: string, options: HostOptions = {}, trigger: Parameters<typeof spec>[1] = sys('TimeZoneChange')) {
  const { host, trace } = makeHost(options);
  host.register(spec('J', trigger, { entryPoint: js(file) }));
  host.lifecycle('launch');
  if (trigger?.type === 'ApplicationTrigger') host.applicationTrigger('J', { k: 'v' });
  else host.fire('TimeZoneChange');
  await host.idle();
  await host.close();
  return { host, trace };
}

test('§5 a WebUI JS task runs in a worker: progress, LocalSettings, console, close() completes it', async () => {
  const { host, trace } = await runOne('closes.js', {}, { type: 'ApplicationTrigger' });
  assert.equal(events(trace, 'started', 'J')[0].runner, 'js');
  assert.equal(events(trace, 'progress', 'J')[0].progress, 50);
  assert.ok(events(trace, 'log', 'J').some((e) => e.text === 'hello from J'));
  assert.equal(events(trace, 'completed', 'J').length, 1);
  assert.equal(host.localSettings.J, 'ran with {"arguments":{"k":"v"}}');
  assert.deepEqual(events(trace, 'delivered', 'J').map((e) => e.what), ['Progress', 'Completed']);
});

test('fault: a task that throws → failed with the message, and CheckResult throws it in the app', async () => {
  const { trace } = await runOne('throws.js');
  assert.equal(events(trace, 'failed', 'J')[0].error, 'boom from the task');
  assert.equal(events(trace, 'delivered', 'J')[0].result, 'CheckResult throws: boom from the task');
});

test('§5 succeeded = false makes CheckResult throw', async () => {
  const { trace } = await runOne('fails.js');
  assert.equal(events(trace, 'completed', 'J')[0].succeeded, false);
  assert.match(String(events(trace, 'delivered', 'J')[0].result), /CheckResult throws/);
});

test('fault §4: a task that spins forever is canceled with ExecutionTimeExceeded, then its worker terminated; the host serves the next task', async () => {
  const { host, trace } = makeHost({ limits: { wallClockMs: 4_000, cancelGraceMs: 2_000 } });
  host.register(spec('Spin', sys('TimeZoneChange'), { entryPoint: js('spins.js') }));
  host.register(spec('Ok', sys('ServicingComplete'), { entryPoint: js('closes.js') }));
  host.fire('TimeZoneChange');
  await host.idle();
  assert.equal(events(trace, 'canceled', 'Spin')[0].reason, 'ExecutionTimeExceeded');
  assert.ok(events(trace, 'log', 'Spin').some((e) => /worker terminated/.test(String(e.text))));
  host.fire('ServicingComplete');
  await host.idle();
  assert.equal(events(trace, 'completed', 'Ok').length, 1);
  await host.close();
});

test('fault §4: a task that exhausts memory is terminated (worker resource limits) and reported failed', async () => {
  const { trace } = await runOne('eatsMemory.js', { limits: { memoryMb: 16 } });
  assert.match(String(events(trace, 'failed', 'J')[0].error), /out of memory/);
});

test('fault §5: a JS task that never calls close() is canceled as idle with Abort', async () => {
  const { trace } = await runOne('neverCloses.js', { limits: { idleMs: 4_000, cancelGraceMs: 4_000 } });
  const c = events(trace, 'canceled', 'J')[0];
  assert.equal(c.reason, 'Abort');
  assert.match(String(c.why), /never called close/);
});

test('§2 CancelOnConditionLoss reaches running JS code as the canceled event; the task closes', async () => {
  const { host, trace } = makeHost();
  host.register(spec('S', sys('TimeZoneChange'), { entryPoint: js('slow.js'), conditions: ['InternetAvailable'], cancelOnConditionLoss: true }));
  host.fire('TimeZoneChange');
  await waitFor(trace, (e) => e.event === 'progress');
  host.setState({ internetAvailable: false });
  await host.idle();
  assert.equal(events(trace, 'canceled', 'S')[0].reason, 'ConditionLoss');
  assert.ok(events(trace, 'log', 'S').some((e) => e.text === 'canceled: ConditionLoss'));
  assert.equal(events(trace, 'failed', 'S').length, 0);
  await host.close();
});

test('§5 a TypeScript IBackgroundTask (transpiled with esbuild) completes when its deferral completes', async () => {
  const { trace } = await runOne('deferralTask.ts');
  assert.equal(events(trace, 'progress', 'J')[0].progress, 100);
  assert.equal(events(trace, 'completed', 'J').length, 1);
});

test('fault §8 #8: a deferral never completed holds the task until the wall-clock limit', async () => {
  const { trace } = await runOne('deferralNeverCompleted.ts', { limits: { wallClockMs: 6_000 } });
  assert.equal(events(trace, 'canceled', 'J')[0].reason, 'ExecutionTimeExceeded');
});

test('external runner protocol v1: the out-of-process JS runner runs a task over JSON lines', async () => {
  const { host, trace } = makeHost({ runner: [process.execPath, workerScript(), '--stdio'] });
  host.register(spec('X', sys('TimeZoneChange'), { entryPoint: js('closes.js') }));
  host.register(spec('Y', sys('ServicingComplete'), { entryPoint: js('throws.js') }));
  host.fire('TimeZoneChange');
  host.fire('ServicingComplete');
  await host.idle();
  assert.equal(events(trace, 'started', 'X')[0].runner, 'external');
  assert.equal(events(trace, 'progress', 'X')[0].progress, 50);
  assert.equal(events(trace, 'completed', 'X').length, 1);
  assert.equal(events(trace, 'failed', 'Y')[0].error, 'boom from the task');
  assert.match(String(host.localSettings.X), /ran with/);
  await host.close();
});
