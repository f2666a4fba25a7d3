// Virtual time waits for real code (DESIGN.md "Time"): `fire` then `advance` lets the task run first;
// timers inside the sandbox run on the virtual clock; the WinJS example's TimeTrigger runs as
// Windows would; and every example scenario (and a fire-then-advance scenario per example) gives the
// same JSON trace on every run, beside two processes that keep the CPU busy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TaskHost, type AppModel } from '../../src/host/host';
import { openHostSession } from '../../src/host/session';
import { loadApp } from '../../src/host/staticApp';
import { parseScenario, replay } from '../../src/host/scenario';
import type { TraceEvent } from '../../src/host/types';
import { JS_FIXTURES, REPO, events, makeHost, spec, sys } from './helpers';

const EXAMPLES = ['csharp-uwp', 'cppcx-win81', 'winjs', 'appsdk-com'];

test('§9 fire then advance: a JS task that needs a millisecond completes before time moves; no ExecutionTimeExceeded, later fires run', async () => {
  const { host, trace } = makeHost({ appFolder: JS_FIXTURES, timeScale: 1 });
  try {
    host.register(spec('Tz', sys('TimeZoneChange'), { entryPoint: path.join(JS_FIXTURES, 'closes.js') }));
    host.fire('TimeZoneChange');
    await host.advance(60_000);
    host.fire('TimeZoneChange');
    await host.advance(60_000);
    assert.equal(events(trace, 'canceled', 'Tz').length, 0);
    assert.equal(events(trace, 'skipped', 'Tz').length, 0);
    assert.deepEqual(events(trace, 'completed', 'Tz').map((e) => e.t), [0, 60_000]);
  } finally {
    await host.close();
  }
});

test('sandbox timers run on the virtual clock: a task stepping every 100 ms finishes at +0.5 s, in any real time', async () => {
  const { host, trace } = makeHost({ appFolder: JS_FIXTURES });
  try {
    host.register(spec('Step', sys('TimeZoneChange'), { entryPoint: path.join(JS_FIXTURES, 'steps100ms.js') }));
    host.fire('TimeZoneChange');
    await host.settle();
    assert.equal(events(trace, 'progress', 'Step').length, 0, 'nothing is due before time moves');
    await host.advance(10_000);
    assert.deepEqual(events(trace, 'progress', 'Step').map((e) => [e.t, e.progress]), [[100, 20], [200, 40], [300, 60], [400, 80], [500, 100]]);
    assert.equal(events(trace, 'completed', 'Step')[0].t, 500);
    assert.ok(events(trace, 'log', 'Step').some((e) => e.text === 'done at virtual ms 500'), 'Date inside the sandbox reads the virtual clock');
  } finally {
    await host.close();
  }
});

test('§3 advance 2h on the WinJS example: RefreshTask (TimeTrigger 30) runs four times and completes each time', async () => {
  const session = await openHostSession({ folder: path.join(REPO, 'examples/winjs'), deterministicIds: true, state: { internetAvailable: true, lockScreen: true } });
  const trace: TraceEvent[] = [];
  session.host.on('trace', (e: TraceEvent) => trace.push(e));
  try {
    session.host.lifecycle('launch');
    await session.host.settle();
    await session.host.advance(2 * 3_600_000);
    assert.deepEqual(events(trace, 'started', 'RefreshTask').map((e) => e.t), [1_800_000, 3_600_000, 5_400_000, 7_200_000]);
    assert.equal(events(trace, 'completed', 'RefreshTask').length, 3, 'the fourth run starts at +2:00:00 and steps on');
    await session.host.advance(1_000);
    assert.deepEqual(events(trace, 'completed', 'RefreshTask').map((e) => e.t), [1_800_500, 3_600_500, 5_400_500, 7_200_500]);
    assert.equal(events(trace, 'canceled', 'RefreshTask').length, 0);
    assert.equal(session.host.localSettings.RefreshTask, 'Refreshed');
  } finally {
    await session.close();
  }
});

const apps = new Map<string, AppModel>();

test('live clock (prompt, debug): virtual time follows the wall clock ÷ timeScale; a TimeTrigger fires with no advance; advance jumps ahead', async () => {
  const { host, trace } = makeHost({ clock: 'live', timeScale: 0.0005 }); // 1 real ms = 2 virtual s
  try {
    host.register(spec('Tick', { type: 'TimeTrigger', freshness: 15, oneShot: false }));
    const deadline = Date.now() + 10_000;
    while (!events(trace, 'fired', 'Tick').length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const fired = events(trace, 'fired', 'Tick')[0];
    const registeredAt = events(trace, 'registered', 'Tick')[0].t;
    assert.ok(fired, 'fired with no advance: the wall clock reached it');
    assert.equal(fired.t % (15 * 60_000), 0, 'on the 15-minute tick (§3)');
    assert.ok(fired.t >= registeredAt + 15 * 60_000 && fired.t < registeredAt + 30 * 60_000, `first fire within [freshness, freshness + 15 min) of ${registeredAt} (§3): ${fired.t}`);
    const before = host.clock.now();
    await host.advance(60 * 60_000);
    assert.ok(host.clock.now() >= before + 60 * 60_000);
    assert.ok(events(trace, 'fired', 'Tick').length >= 5, 'the hour jumped over fires at 30, 45, 60 and 75 minutes');
  } finally {
    await host.close();
  }
});

/** A scenario's JSON trace, replayed in process on a fresh host for the example (its facts read once). */
async function traceOf(example: string, scenarioText: string): Promise<string> {
  const sc = parseScenario(scenarioText, `${example}.bgscenario.json`);
  const folder = path.join(REPO, 'examples', example);
  const key = `${example}/${sc.profile ?? ''}`;
  if (!apps.has(key)) apps.set(key, await loadApp(folder, sc.profile));
  const app = apps.get(key)!;
  const lines: string[] = [];
  const host = new TaskHost({ profile: sc.profile ?? app.profile, appFolder: app.folder, state: sc.state, limits: sc.limits, timeScale: sc.timeScale, cpuQuota: sc.cpuQuota, deterministicIds: true }, app);
  host.on('trace', (e: TraceEvent) => lines.push(JSON.stringify(e)));
  host.open();
  try {
    const result = await replay(host, sc);
    assert.equal(result.ok, true, `${example}: ${JSON.stringify(result)}\n${lines.join('\n')}`);
  } finally {
    await host.close();
  }
  return lines.join('\n');
}

const fireThenAdvance = (example: string) => {
  const demo = JSON.parse(fs.readFileSync(path.join(REPO, 'examples', example, 'demo.bgscenario.json'), 'utf8')) as { profile?: string; state?: unknown };
  return JSON.stringify({ profile: demo.profile, state: demo.state, steps: [{ launch: {} }, { fire: 'TimeZoneChange' }, { advance: '1m' }, { fire: 'TimeZoneChange' }, { advance: '2h' }] });
};

test('determinism: every example scenario and a fire-then-advance scenario per example give identical traces, 20 runs in a row, beside two CPU hogs', async () => {
  const runs = Number(process.env.BGTASK_DETERMINISM_RUNS ?? 20);
  const hogs: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  try {
    for (const example of EXAMPLES) {
      for (const [label, text] of [['demo', fs.readFileSync(path.join(REPO, 'examples', example, 'demo.bgscenario.json'), 'utf8')], ['fire-then-advance', fireThenAdvance(example)]]) {
        const first = await traceOf(example, text);
        for (let i = 1; i < runs; i++) assert.equal(await traceOf(example, text), first, `${example} ${label}: run ${i + 1} differs from run 1`);
      }
    }
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
  }
});
