// The bgtask debug adapter over real DAP: the bundled dist/debugAdapter.js process driven by
// @vscode/debugadapter-testsupport. Launch sequence, every custom request, events, threads/stack/
// variables, bad requests (the session goes on), shutdown ending the session, disconnect leaving no process.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { BgtaskClient, FIXTURE, REPO, alive } from './dapClient';

const WINJS = path.join(REPO, 'examples/winjs');
// The host's inspector events (HostOptions.inspect) come with the task host rework.
const hostHasOnDemand = /\bregisterOnDemand\(/.test(fs.readFileSync(path.join(REPO, 'src/host/host.ts'), 'utf8'));
const hostInspects = /\binspect\?: boolean/.test(fs.readFileSync(path.join(REPO, 'src/host/types.ts'), 'utf8'));
const clients: BgtaskClient[] = [];
const client = () => {
  const c = new BgtaskClient();
  clients.push(c);
  return c;
};

afterEach(async () => {
  for (const c of clients.splice(0)) {
    // A disconnect to an adapter that already exited would wait for an answer forever.
    if (c.pid && alive(c.pid)) await c.stop().catch(() => undefined);
    else (c as unknown as { stopAdapter(): void }).stopAdapter();
    c.cleanup();
  }
});

describe('bgtask debug adapter (DAP)', () => {
  test('launch sequence: initialize → initialized → configurationDone → launch; the app launches and replays its registrations', async () => {
    const dc = client();
    await dc.start();
    const initialized = dc.waitForEvent('initialized', 10_000);
    const init = await dc.initializeRequest({ adapterID: 'bgtask', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    assert.equal(init.body?.supportsConfigurationDoneRequest, true);
    assert.equal(init.body?.supportsTerminateRequest, true);
    await initialized;
    await dc.configurationDoneRequest();
    await dc.launch({ folder: WINJS, store: dc.store, timeScale: 0.1 });
    await dc.traced((e) => e.event === 'lifecycle' && e.state === 'running', 'the app launched');
    const reg = await dc.traced((e) => e.event === 'registered' && e.task === 'TimeZoneTask', 'TimeZoneTask registered by default.js');
    assert.equal(reg.source, 'app');
    // Each trace object is also a human-readable output line (formatTrace).
    assert.ok(dc.output.some((l) => /registered\s+TimeZoneTask/.test(l)), dc.output.join(''));
  });

  test('every custom request drives the host and answers with a body', async () => {
    const dc = client();
    await dc.launchHost({ folder: FIXTURE, timeScale: 0.1, limits: { idleMs: 60_000 } });
    await dc.traced((e) => e.event === 'registered' && e.task === 'QuickTask', 'QuickTask registered at launch');

    const fired = await dc.request<{ reached: number }>('bgtask.fire', { trigger: 'TimeZoneChange' });
    assert.equal(fired.reached, 1);
    await dc.traced((e) => e.event === 'completed' && e.task === 'QuickTask', 'QuickTask completed');

    assert.deepEqual(await dc.request('bgtask.lifecycle', { action: 'suspend' }), { appState: 'suspended' });
    await dc.traced((e) => e.event === 'lifecycle' && e.state === 'suspended', 'suspended');
    assert.deepEqual(await dc.request('bgtask.lifecycle', { action: 'resume' }), { appState: 'running' });

    const st = await dc.request<{ state: Record<string, unknown> }>('bgtask.setState', { internet: 'off', power: 'dc' });
    assert.equal(st.state.internetAvailable, false);
    assert.equal(st.state.power, 'dc');
    await dc.traced((e) => e.event === 'state' && (e.changes as Record<string, unknown>)?.internetAvailable === false, 'a state event');

    const adv = await dc.request<{ now: number }>('bgtask.advance', { duration: '20m' });
    assert.ok(adv.now >= 20 * 60_000, `now ${adv.now}`);
    const adv2 = await dc.request<{ now: number }>('bgtask.advance', { duration: 60_000 });
    assert.ok(adv2.now >= adv.now + 60_000);

    const trig = await dc.request<{ reached: number }>('bgtask.trigger', { task: 'QuickTask' });
    assert.equal(trig.reached, 1);
    await dc.traced((e) => e.event === 'completed' && e.task === 'QuickTask' && dc.trace.filter((x) => x.event === 'completed' && x.task === 'QuickTask').length >= 2, 'QuickTask completed twice');

    const reg = await dc.request<{ registration: { name: string; taskId: string } }>('bgtask.register', { name: 'AppTask', entryPoint: 'js\\quick.js', trigger: 'ApplicationTrigger' });
    assert.equal(reg.registration.name, 'AppTask');
    const app = await dc.request<{ result: string }>('bgtask.applicationTrigger', { task: 'AppTask', arguments: { k: 'v' } });
    assert.equal(app.result, 'Allowed');
    await dc.traced((e) => e.event === 'completed' && e.task === 'AppTask', 'AppTask completed');

    await dc.request('bgtask.register', { name: 'PushTask', entryPoint: 'js\\push.js', trigger: 'PushNotificationTrigger' });
    const push = await dc.request<{ reached: number }>('bgtask.push', { task: 'PushTask', payload: 'hello from the test' });
    assert.equal(push.reached, 1);
    await dc.traced((e) => e.event === 'log' && e.task === 'PushTask' && String(e.text).includes('hello from the test'), 'the push payload reached the task');

    const un = await dc.request<{ count: number }>('bgtask.unregister', { task: 'AppTask', cancel: true });
    assert.equal(un.count, 1);
    await dc.traced((e) => e.event === 'unregistered' && e.task === 'AppTask', 'AppTask unregistered');

    const snap = await dc.request<{ appState: string; registrations: Array<{ name: string; visualStudioCanFire: boolean }>; state: Record<string, unknown>; now: number }>('bgtask.registrations', {});
    assert.equal(snap.appState, 'running');
    assert.deepEqual(snap.registrations.map((r) => r.name).sort(), ['PushTask', 'QuickTask']);
    assert.equal(snap.registrations.find((r) => r.name === 'QuickTask')?.visualStudioCanFire, true);
    assert.equal(snap.state.internetAvailable, false);
  });

  test('bad requests get an error naming what is wrong, and the session goes on', async () => {
    const dc = client();
    await dc.launchHost({ folder: FIXTURE });
    await dc.traced((e) => e.event === 'registered' && e.task === 'QuickTask', 'QuickTask registered');
    const cases: Array<[string, unknown, RegExp]> = [
      ['bgtask.fire', { trigger: 'NoSuchTrigger' }, /unknown trigger 'NoSuchTrigger'/],
      ['bgtask.fire', {}, /'trigger' must be a non-empty string \(missing\)/],
      ['bgtask.fire', { trigger: 'TimeZoneChange', extra: 1 }, /unknown argument 'extra'/],
      ['bgtask.lifecycle', { action: 'explode' }, /unknown action 'explode' \(expected launch, suspend, resume, shutdown\)/],
      ['bgtask.setState', { bogus: true }, /unknown state field 'bogus'/],
      ['bgtask.setState', { power: 'nuclear' }, /power must be "ac" or "dc"/],
      ['bgtask.setState', { internetAvailable: 'maybe' }, /internetAvailable must be true or false/],
      ['bgtask.advance', { duration: 'soon' }, /'duration' must be a duration like "20m"/],
      ['bgtask.advance', { duration: -5 }, /'duration' must be a duration/],
      ['bgtask.trigger', { task: 'Ghost' }, /no registration named 'Ghost' \(registered: QuickTask\)/],
      ['bgtask.trigger', { task: 42 }, /'task' must be a non-empty string, not 42/],
      ['bgtask.applicationTrigger', { task: 'QuickTask', arguments: [1] }, /'arguments' must be an object/],
      ['bgtask.applicationTrigger', { task: 'QuickTask' }, /no ApplicationTrigger registration named 'QuickTask'/],
      ['bgtask.push', { task: 'QuickTask', payload: 7 }, /'payload' must be a string/],
      ['bgtask.register', { name: 'X', trigger: 'Sometimes' }, /Sometimes/],
      ['bgtask.register', { name: 'X', trigger: 'TimeZoneChange', conditions: ['Rainy'] }, /unknown condition 'Rainy'/],
      ['bgtask.register', { name: 'X', entryPoint: 'js\\push.js', trigger: 'TimeTrigger(5)' }, /freshnessTime 5 is below the 15-minute minimum/],
      ['bgtask.unregister', { task: 'Ghost' }, /no registration named 'Ghost'/],
      ['bgtask.registrations', { all: true }, /unknown argument 'all'/],
      ['bgtask.nope', {}, /unknown request 'bgtask.nope'/],
    ];
    for (const [command, args, want] of cases) {
      const message = await dc.rejected(command, args);
      assert.match(message, want, `${command} ${JSON.stringify(args)}`);
      assert.ok(message.startsWith(command === 'bgtask.nope' ? 'unknown request' : command), `the message names the request: ${message}`);
    }
    // The Debug Console takes the prompt's words.
    const ev = await dc.evaluateRequest({ expression: 'fire TimeZoneChange', context: 'repl' });
    assert.equal(ev.body.result, '{"reached":1}');
    assert.match((await dc.evaluateRequest({ expression: 'tasks', context: 'repl' })).body.result, /^QuickTask  SystemTrigger\(TimeZoneChange\)/);
    assert.match((await dc.evaluateRequest({ expression: 'help', context: 'repl' })).body.result, /fire TRIGGER/);
    await assert.rejects(dc.evaluateRequest({ expression: 'dance', context: 'repl' }), /unknown command 'dance'/);
    await assert.rejects(dc.evaluateRequest({ expression: 'set internet maybe', context: 'repl' }), /internetAvailable must be true or false/);
    // Still alive and well.
    assert.equal((await dc.request<{ reached: number }>('bgtask.fire', { trigger: 'TimeZoneChange' })).reached, 1);
    await dc.traced((e) => e.event === 'completed' && e.task === 'QuickTask', 'QuickTask still runs');
  });

  test('bad launch attributes fail the launch with the attribute named; runner is ignored unless trusted', async () => {
    const dc = client();
    await dc.start();
    await dc.initializeRequest();
    await assert.rejects(dc.launch({ folder: path.join(REPO, 'no/such/folder') }), /launch: 'folder' does not exist/);
    const dc2 = client();
    await dc2.start();
    await dc2.initializeRequest();
    await assert.rejects(dc2.launch({ folder: FIXTURE, profile: 'win95' }), /launch: 'profile' must be one of win8, win81, phone81, win10, appsdk/);
    const dc3 = client();
    await dc3.launchHost({ folder: FIXTURE, runner: 'node runner.js', trusted: false, state: { internet: false } });
    await dc3.traced((e) => e.event === 'lifecycle', 'launched');
    assert.ok(dc3.output.some((l) => /'runner' was ignored/.test(l)), dc3.output.join(''));
    const snap = await dc3.request<{ state: { internetAvailable: boolean } }>('bgtask.registrations', {});
    assert.equal(snap.state.internetAvailable, false, 'the launch state applies');
  });

  test('threads, stack and variables: the app and one thread per running instance, its frame at the JS file', async () => {
    const dc = client();
    await dc.launchHost({ folder: FIXTURE, limits: { idleMs: 60_000, wallClockMs: 600_000, applicationTriggerMs: 600_000 } });
    await dc.request('bgtask.register', { name: 'Spinner', entryPoint: 'js\\spinner.js', trigger: 'ApplicationTrigger' });
    const started = dc.waitForEvent('thread', 10_000);
    await dc.request('bgtask.applicationTrigger', { task: 'Spinner', arguments: { who: 'test' } });
    const threadEvent = await started;
    assert.equal(threadEvent.body.reason, 'started');
    await dc.traced((e) => e.event === 'progress' && e.task === 'Spinner' && e.progress === 40, 'Spinner at 40%');

    const threads = (await dc.threadsRequest()).body.threads;
    assert.match(threads[0].name, /^App · running/);
    const spinner = threads.find((t) => t.name.startsWith('Spinner #1'));
    assert.ok(spinner, threads.map((t) => t.name).join(' | '));
    assert.equal(spinner.name, 'Spinner #1 · running 40%');

    const frames = (await dc.stackTraceRequest({ threadId: spinner.id })).body.stackFrames;
    assert.equal(frames.length, 1);
    assert.equal(frames[0].source?.path, path.join(FIXTURE, 'js', 'spinner.js'));
    assert.equal(frames[0].line, 1);
    const appFrame = (await dc.stackTraceRequest({ threadId: threads[0].id })).body.stackFrames[0];
    assert.equal(appFrame.source?.path, path.join(FIXTURE, 'Package.appxmanifest'));

    const scopes = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes;
    assert.deepEqual(scopes.map((s) => s.name), ['Instance', 'System state', 'Registrations']);
    const vars = async (ref: number) => Object.fromEntries((await dc.variablesRequest({ variablesReference: ref })).body.variables.map((v) => [v.name, v]));
    const inst = await vars(scopes[0].variablesReference);
    assert.equal(inst.task.value, 'Spinner');
    assert.equal(inst.progress.value, '40');
    assert.equal(inst.suspendedCount.value, '0');
    assert.ok(inst.triggerDetails.variablesReference > 0, 'triggerDetails expands');
    const state = await vars(scopes[1].variablesReference);
    assert.equal(state.internetAvailable.value, 'true');
    assert.equal(state.app.value, 'running');
    const regs = await vars(scopes[2].variablesReference);
    assert.match(regs.Spinner.value, /ApplicationTrigger · running/);
    assert.ok(regs.Spinner.variablesReference > 0);

    // The tree's "Cancel running instance": bgtask.cancel; a bad reason or nothing running is an error.
    assert.match(await dc.rejected('bgtask.cancel', { task: 'Spinner', reason: 'Bored' }), /unknown reason 'Bored'/);
    assert.match(await dc.rejected('bgtask.cancel', { task: 'Nobody' }), /no running instance of 'Nobody' \(running: Spinner\)/);
    const exited = dc.waitForEvent('thread', 10_000);
    const canceled = await dc.request<{ canceled: number }>('bgtask.cancel', { task: 'Spinner', reason: 'Abort' });
    assert.equal(canceled.canceled, 1);
    assert.equal((await exited).body.reason, 'exited');
    await dc.traced((e) => e.event === 'canceled' && e.task === 'Spinner' && e.reason === 'Abort', 'Spinner canceled');
    // Unregister(cancel) still works on a registration with nothing running.
    await dc.request('bgtask.unregister', { task: 'Spinner', cancel: true });
    await dc.traced((e) => e.event === 'unregistered' && e.task === 'Spinner', 'Spinner unregistered');
  });

  test('"Suspend and shutdown" ends the session with exited and terminated', async () => {
    const dc = client();
    await dc.launchHost({ folder: FIXTURE });
    await dc.traced((e) => e.event === 'lifecycle', 'launched');
    const exited = dc.waitForEvent('exited', 10_000);
    const terminated = dc.waitForEvent('terminated', 10_000);
    await dc.request('bgtask.lifecycle', { action: 'shutdown' });
    assert.equal((await exited).body.exitCode, 0);
    await terminated;
  });

  test('a scenario replays after launch and reports its expectations', async () => {
    const dc = client();
    const done = dc.waitForEvent('bgtask.scenario', 30_000);
    await dc.launchHost({ folder: FIXTURE, scenario: 'quick.bgscenario.json' });
    const result = await done;
    assert.equal(result.body.ok, true, JSON.stringify(result.body));
    assert.ok(dc.trace.some((e) => e.event === 'expectation' && e.ok === true));
    assert.ok(dc.output.some((l) => /every expectation held/.test(l)));
    assert.equal(dc.trace.filter((e) => e.event === 'lifecycle' && e.state === 'running').length, 1, 'the scenario launches the app, the session does not launch it too');
  });

  test('disconnect closes the host and the adapter process exits within 5 s, leaving no process', async () => {
    const dc = client();
    await dc.launchHost({ folder: FIXTURE, limits: { idleMs: 60_000 } });
    await dc.request('bgtask.register', { name: 'Spinner', entryPoint: 'js\\spinner.js', trigger: 'ApplicationTrigger' });
    await dc.request('bgtask.applicationTrigger', { task: 'Spinner' });
    await dc.traced((e) => e.event === 'progress' && e.task === 'Spinner', 'Spinner running');
    const pid = dc.pid!;
    assert.ok(pid && alive(pid));
    const t0 = Date.now();
    await dc.disconnectRequest({ terminateDebuggee: true });
    while (alive(pid) && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
    assert.equal(alive(pid), false, `adapter pid ${pid} still alive after ${Date.now() - t0} ms`);
    // The registry was saved: a new session on the same store restores Spinner.
    const again = new BgtaskClient();
    clients.push(again);
    await again.launchHost({ folder: FIXTURE, store: dc.store, launchApp: false });
    const snap = await again.request<{ registrations: Array<{ name: string }> }>('bgtask.registrations', {});
    assert.ok(snap.registrations.some((r) => r.name === 'Spinner'), JSON.stringify(snap.registrations));
  });

  test('JS task code under the inspector: the adapter reports each runner\'s inspector (bgtask.inspector, 127.0.0.1) for the client to attach', { skip: hostInspects ? false : 'the host does not emit inspector events yet' }, async () => {
    const dc = client();
    const inspectors: Array<{ pid: number; port: number; address: string }> = [];
    dc.on('bgtask.inspector', (e) => inspectors.push(e.body));
    await dc.launchHost({ folder: FIXTURE });
    await dc.traced((e) => e.event === 'registered' && e.task === 'QuickTask', 'QuickTask registered');
    await dc.request('bgtask.fire', { trigger: 'TimeZoneChange' });
    await dc.traced((e) => e.event === 'completed' && e.task === 'QuickTask', 'QuickTask completed under the inspector');
    const end = Date.now() + 10_000;
    while (!inspectors.length && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assert.ok(inspectors.length, 'a bgtask.inspector event');
    assert.equal(inspectors[0].address, '127.0.0.1');
    assert.ok(Number.isInteger(inspectors[0].port) && inspectors[0].port > 0, `port ${inspectors[0].port}`);
    assert.ok(inspectors[0].pid > 0);
    assert.deepEqual(dc.reverse, [], 'no reverse request: startDebugging would start another bgtask session');

    // debugTaskCode: false runs task code without the inspector.
    const plain = client();
    let plainInspectors = 0;
    plain.on('bgtask.inspector', () => plainInspectors++);
    await plain.launchHost({ folder: FIXTURE, debugTaskCode: false });
    await plain.traced((e) => e.event === 'registered' && e.task === 'QuickTask', 'QuickTask registered');
    await plain.request('bgtask.fire', { trigger: 'TimeZoneChange' });
    await plain.traced((e) => e.event === 'completed' && e.task === 'QuickTask', 'QuickTask completed');
    assert.equal(plainInspectors, 0);
  });

  test('bgtask.register {name} registers a registration the code makes on demand (not at launch)', { skip: hostHasOnDemand ? false : 'the host has no on-demand registrations yet' }, async (t) => {
    const dc = client();
    await dc.launchHost({ folder: path.join(REPO, 'examples/csharp-uwp') });
    await dc.traced((e) => e.event === 'lifecycle', 'launched', 20_000);
    const snap = await dc.request<{ onDemand: Array<{ name: string }>; registrations: Array<{ name: string }> }>('bgtask.registrations', {});
    assert.match(await dc.rejected('bgtask.register', { name: 'NotInTheCode' }), /'NotInTheCode' is not an on-demand registration/);
    const candidate = snap.onDemand.find((r) => !snap.registrations.some((x) => x.name === r.name));
    if (!candidate) return t.skip('the host finds no on-demand registration in examples/csharp-uwp');
    const r = await dc.request<{ registration: { name: string } }>('bgtask.register', { name: candidate.name });
    assert.equal(r.registration.name, candidate.name);
    await dc.traced((e) => e.event === 'registered' && e.task === candidate.name, `${candidate.name} registered`);
  });
});
