// JS/TS task code and WinJS start scripts run in sandboxed runner processes: real runs against the
// emulated API, every escape the issue lists shown to fail with the host alive, the fault cases
// (throws, spins, eats memory, never closes, never completes its deferral), and the external runner
// protocol (version 2, with its handshake) spoken by the same runner script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sandboxScript } from '../../src/host/runners/runnerProcess';
import { JS_FIXTURES, REPO, events, makeHost, spec, sys } from './helpers';
import type { HostOptions } from '../../src/host/types';

const js = (file: string) => path.join(JS_FIXTURES, file);
const APP_FIXTURES = path.join(REPO, 'test/host/fixtures/app');

type Made = ReturnType<typeof makeHost>;

async function runOne(file: string, options: HostOptions = {}, trigger: Parameters<typeof spec>[1] = sys('TimeZoneChange'), then?: (host: Made['host'], trace: Made['trace']) => Promise<void>) {
  const { host, trace } = makeHost({ appFolder: JS_FIXTURES, ...options });
  try {
    host.register(spec('J', trigger, { entryPoint: js(file) }));
    host.lifecycle('launch');
    if (trigger?.type === 'ApplicationTrigger') host.applicationTrigger('J', { k: 'v' });
    else host.fire('TimeZoneChange');
    await host.settle();
    await then?.(host, trace);
  } finally {
    await host.close();
  }
  return { host, trace };
}

const logs = (trace: ReturnType<typeof makeHost>['trace'], task = 'J') => events(trace, 'log', task).map((e) => String(e.text));

test('§5 a WebUI JS task runs sandboxed: progress, LocalSettings, console, close() completes it', async () => {
  const { host, trace } = await runOne('closes.js', {}, { type: 'ApplicationTrigger' });
  assert.equal(events(trace, 'started', 'J')[0].runner, 'js');
  assert.equal(events(trace, 'progress', 'J')[0].progress, 50);
  assert.ok(logs(trace).includes('hello from J'));
  assert.equal(events(trace, 'completed', 'J').length, 1);
  assert.equal(host.localSettings.J, 'ran with {"arguments":{"k":"v"}}');
  assert.deepEqual(events(trace, 'delivered', 'J').map((e) => e.what), ['Progress', 'Completed']);
});

test('sandbox: no require of built-ins, no process, and a way out into the runner realm finds no powers (no files, programs, env, signals); the host lives on', async () => {
  const written = path.join(JS_FIXTURES, 'written-by-task.txt');
  fs.rmSync(written, { force: true });
  const { trace } = await runOne('escapes.js');
  const out = logs(trace).filter((l) => /: (blocked|ESCAPED)/.test(l));
  assert.equal(out.length, 10, out.join('\n'));
  for (const line of out) assert.match(line, /: blocked/, line);
  assert.ok(out.some((l) => /realm read outside: blocked \(ERR_ACCESS_DENIED\)/.test(l)), 'Node\'s permission model denies reading outside the app');
  assert.ok(out.some((l) => /realm spawn: blocked \(ERR_ACCESS_DENIED\)/.test(l)), 'and starting programs');
  assert.ok(out.some((l) => /realm write: blocked \(ERR_ACCESS_DENIED\)/.test(l)), 'and writing files');
  assert.equal(fs.existsSync(written), false);
  assert.equal(events(trace, 'completed', 'J').length, 1, 'the task still completes; the host is alive');
});

test('sandbox: the app\'s own relative modules and JSON load; a module outside the app folder does not', async () => {
  const { trace } = await runOne('usesHelper.js');
  assert.deepEqual(logs(trace), ['hello helper', 'outside: blocked']);
});

test('fault: a task that throws → failed with the message, and CheckResult throws it in the app', async () => {
  const { trace } = await runOne('throws.js');
  assert.equal(events(trace, 'failed', 'J')[0].error, 'boom from the task');
  assert.equal(events(trace, 'delivered', 'J')[0].result, 'CheckResult throws: boom from the task');
});

test('§5 an async run that throws before its first await fails; it does not complete', async () => {
  const { trace } = await runOne('asyncThrows.js');
  assert.equal(events(trace, 'completed', 'J').length, 0);
  assert.equal(events(trace, 'failed', 'J')[0].error, 'thrown before the first await');
});

test('§5 succeeded = false makes CheckResult throw', async () => {
  const { trace } = await runOne('fails.js');
  assert.equal(events(trace, 'completed', 'J')[0].succeeded, false);
  assert.match(String(events(trace, 'delivered', 'J')[0].result), /CheckResult throws/);
});

test('§5 a canceled JS task that sets succeeded = false: CheckResult throws (not result=ok)', async () => {
  const { trace } = await runOne('canceledFails.js', {}, sys('TimeZoneChange'), async (host) => {
    await host.advance(120);
    host.unregister('J', true);
    await host.settle();
  });
  assert.equal(events(trace, 'canceled', 'J')[0].reason, 'Abort');
  assert.match(String(events(trace, 'delivered', 'J').find((e) => e.what === 'Completed')?.result), /^CheckResult throws: .*succeeded = false/);
});

test('fault §4: a task that spins is canceled with ExecutionTimeExceeded after its real-time budget, then terminated; the host serves the next task', async () => {
  const { host, trace } = makeHost({ appFolder: JS_FIXTURES, limits: { wallClockMs: 4_000, cancelGraceMs: 2_000 } });
  try {
    host.register(spec('Spin', sys('TimeZoneChange'), { entryPoint: js('spins.js') }));
    host.register(spec('Ok', sys('ServicingComplete'), { entryPoint: js('closes.js') }));
    host.fire('TimeZoneChange');
    await host.settle();
    assert.equal(events(trace, 'canceled', 'Spin')[0].reason, 'ExecutionTimeExceeded');
    assert.ok(logs(trace, 'Spin').some((t) => /terminated/.test(t)));
    host.fire('ServicingComplete');
    await host.settle();
    assert.equal(events(trace, 'completed', 'Ok').length, 1);
  } finally {
    await host.close();
  }
});

test('fault §4: a task that exhausts the heap is terminated and reported failed; the host lives on', async () => {
  const { trace } = await runOne('eatsMemory.js', { limits: { memoryMb: 16 } });
  assert.match(String(events(trace, 'failed', 'J')[0].error), /out of memory|heap|terminated|exited/);
});

test('fault: memory outside the V8 heap (ArrayBuffers) counts: the task is stopped near its limit, not at 3 GB', async () => {
  const { trace } = await runOne('allocatesBuffers.js', { limits: { memoryMb: 48 } });
  const failed = events(trace, 'failed', 'J')[0];
  assert.match(String(failed?.error), /out of memory \(resident memory \d+ MB over the 48 MB limit\)/);
  const mb = Number(/resident memory (\d+) MB/.exec(String(failed.error))![1]);
  assert.ok(mb < 48 + 200, `stopped at ${mb} MB`);
});

test('fault §5: a JS task that never calls close() is canceled as idle with Abort, on the virtual clock', async () => {
  const { trace } = await runOne('neverCloses.js', { limits: { idleMs: 4_000 } }, sys('TimeZoneChange'), async (host, soFar) => {
    assert.equal(events(soFar, 'canceled', 'J').length, 0, 'not before its idle time has passed');
    await host.advance(4_000);
  });
  const c = events(trace, 'canceled', 'J')[0];
  assert.equal(c.reason, 'Abort');
  assert.equal(c.t, 4_000);
  assert.match(String(c.why), /never called close/);
});

test('§2 CancelOnConditionLoss reaches running JS code as the canceled event; the task closes', async () => {
  const { host, trace } = makeHost({ appFolder: JS_FIXTURES });
  try {
    host.register(spec('S', sys('TimeZoneChange'), { entryPoint: js('slow.js'), conditions: ['InternetAvailable'], cancelOnConditionLoss: true }));
    host.fire('TimeZoneChange');
    await host.advance(100);
    assert.equal(events(trace, 'progress', 'S').length, 5, 'setInterval(20 ms) ran five times in 100 virtual ms');
    host.setState({ internetAvailable: false });
    await host.settle();
    assert.equal(events(trace, 'canceled', 'S')[0].reason, 'ConditionLoss');
    assert.ok(logs(trace, 'S').includes('canceled: ConditionLoss'));
    assert.equal(events(trace, 'failed', 'S').length, 0);
  } finally {
    await host.close();
  }
});

test('§5 a TypeScript IBackgroundTask (transpiled in the host, no esbuild needed) completes when its deferral completes', async () => {
  const { trace } = await runOne('deferralTask.ts', {}, sys('TimeZoneChange'), (host) => host.advance(10));
  assert.equal(events(trace, 'progress', 'J')[0].progress, 100);
  assert.equal(events(trace, 'completed', 'J')[0].t, 10);
});

test('fault §8 #8: a deferral never completed holds the task until the wall-clock limit (virtual)', async () => {
  const { trace } = await runOne('deferralNeverCompleted.ts', { limits: { wallClockMs: 6_000 } }, sys('TimeZoneChange'), (host) => host.advance(10_000));
  const c = events(trace, 'canceled', 'J')[0];
  assert.equal(c.reason, 'ExecutionTimeExceeded');
  assert.equal(c.t, 6_000);
});

test('emulated API: new ValueSet().insert/lookup/hasKey/size work', async () => {
  const { trace } = await runOne('valueSet.js');
  assert.deepEqual(logs(trace), ['size=1 k=v has=true']);
});

test('§3.5 a JS entry point that names no file fails to activate (it is not modeled as completed)', async () => {
  const { trace } = await runOne('js/noSuchTask.js');
  assert.equal(events(trace, 'completed', 'J').length, 0);
  assert.match(String(events(trace, 'failed', 'J')[0].error), /failed to activate: no such file/);
});

test('a JS entry point outside the app folder is not run', async () => {
  const { trace } = await runOne('../../../../esbuild.mjs');
  assert.match(String(events(trace, 'failed', 'J')[0].error), /outside the app folder/);
});

test('app code: a start script that spins in activated is stopped after its bound; the host goes on', async () => {
  const { host, trace } = makeHost({ appFolder: APP_FIXTURES, limits: { appScriptMs: 500 } });
  try {
    host.setStartScripts([path.join(APP_FIXTURES, 'spins.js')]);
    host.lifecycle('launch');
    await host.settle();
    assert.ok(events(trace, 'log').some((e) => /ran for 500 ms without returning; its process was terminated/.test(String(e.text))));
    host.register(spec('After', sys('TimeZoneChange')));
    host.fire('TimeZoneChange');
    assert.equal(events(trace, 'completed', 'After').length, 1);
  } finally {
    await host.close();
  }
});

test('app code: a start script that allocates without end is killed near the memory limit; a timer that spins later is stopped too', async () => {
  const { host, trace } = makeHost({ appFolder: APP_FIXTURES, limits: { appScriptMs: 20_000, memoryMb: 48 } });
  try {
    host.setStartScripts([path.join(APP_FIXTURES, 'allocates.js')]);
    host.lifecycle('launch');
    await host.settle();
    assert.ok(events(trace, 'log').some((e) => /the app's code stopped: .*(out of memory|exited|SIGABRT|SIGKILL)/.test(String(e.text))), JSON.stringify(events(trace, 'log')));
    assert.ok(!events(trace, 'log').some((e) => /without returning/.test(String(e.text))), 'stopped by the memory limit, not the time bound');
  } finally {
    await host.close();
  }
  const second = makeHost({ appFolder: APP_FIXTURES, limits: { appScriptMs: 500 } });
  try {
    second.host.setStartScripts([path.join(APP_FIXTURES, 'timerSpin.js')]);
    second.host.lifecycle('launch');
    await second.host.settle();
    assert.equal(events(second.trace, 'registered', 'FromApp')[0].source, 'app');
    assert.equal(events(second.trace, 'log').length, 0, 'nothing spins until the timer is due');
    await second.host.advance(2_000);
    assert.ok(events(second.trace, 'log').some((e) => /ran for 500 ms without returning/.test(String(e.text))));
  } finally {
    await second.host.close();
  }
});

test('close leaves no runner process behind', async () => {
  const { host } = makeHost({ appFolder: JS_FIXTURES });
  host.register(spec('N', sys('TimeZoneChange'), { entryPoint: js('neverCloses.js') }));
  host.fire('TimeZoneChange');
  await host.settle();
  await host.warmUp();
  const pids = host.runnerPids();
  assert.ok(pids.length >= 1);
  await host.close();
  for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `runner ${pid} is gone`);
});

test('external runner protocol 2: the runner script run as an external runner, with the handshake first', async () => {
  const { host, trace } = makeHost({ appFolder: JS_FIXTURES, runner: [process.execPath, sandboxScript()] });
  try {
    host.register(spec('X', sys('TimeZoneChange'), { entryPoint: js('closes.js') }));
    host.register(spec('Y', sys('ServicingComplete'), { entryPoint: js('throws.js') }));
    host.fire('TimeZoneChange');
    host.fire('ServicingComplete');
    await host.settle();
    assert.equal(events(trace, 'started', 'X')[0].runner, 'external');
    assert.equal(events(trace, 'progress', 'X')[0].progress, 50);
    assert.equal(events(trace, 'completed', 'X').length, 1);
    assert.equal(events(trace, 'failed', 'Y')[0].error, 'boom from the task');
    assert.match(String(host.localSettings.X), /ran with/);
  } finally {
    await host.close();
  }
});

test('external runner: a wrong protocol version is refused at the handshake, before any run, and its stderr reaches the trace', async () => {
  const script = 'process.stderr.write("runner says hi\\n"); process.stdin.once("data", () => console.log(JSON.stringify({ op: "hello", protocol: 1 })));';
  const { host, trace } = makeHost({ appFolder: JS_FIXTURES, runner: [process.execPath, '-e', script] });
  try {
    host.register(spec('X', sys('TimeZoneChange'), { entryPoint: js('closes.js') }));
    host.fire('TimeZoneChange');
    await host.settle();
    assert.match(String(events(trace, 'failed', 'X')[0].error), /speaks protocol 1, the host 2/);
    assert.ok(events(trace, 'log').some((e) => /external runner stderr: runner says hi/.test(String(e.text))));
  } finally {
    await host.close();
  }
});

test('external runner: one that prints null or exits early fails the run with a message; no crash', async () => {
  for (const script of ['console.log("null")', 'process.exit(3)', 'console.log("not json")']) {
    const { host, trace } = makeHost({ appFolder: JS_FIXTURES, runner: [process.execPath, '-e', script] });
    try {
      host.register(spec('X', sys('TimeZoneChange'), { entryPoint: js('closes.js') }));
      host.fire('TimeZoneChange');
      await host.settle();
      assert.ok(events(trace, 'failed', 'X')[0], `${script}: ${JSON.stringify(trace.slice(-3))}`);
    } finally {
      await host.close();
    }
  }
});
