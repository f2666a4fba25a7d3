// `bgtask host`: scenario replay exit codes (0 pass, 1 broken expectation with the failing step,
// 2 bad input with file:line:col, 70 internal error), the summary line, JSON trace, faults that end
// quietly (a closed pipe) or with one clear line (store locked or unwritable, bad store entries, a
// runner that cannot start), the interactive prompt through piped input (trigger text as the trace
// prints it, Ctrl-C), and the example apps' scenarios.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT, runHostCommand } from '../../src/cli/host';
import { TaskHost } from '../../src/host/host';
import { JS_FIXTURES, REPO, tempDir } from './helpers';

const CLI = path.join(REPO, 'dist/cli.js');
const HOME = tempDir();
const env = { ...process.env, HOME, XDG_DATA_HOME: path.join(HOME, '.local/share') };
const host = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, 'host', ...args], { cwd: REPO, encoding: 'utf8', input, timeout: 30_000, env });

/** A `bgtask host` prompt on piped stdin, with its output collected as it comes. */
function promptProcess(args: string[]): { child: ChildProcessWithoutNullStreams; out: () => string; err: () => string; until(re: RegExp, ms?: number): Promise<void>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, 'host', ...args], { cwd: REPO, env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const until = async (re: RegExp, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!re.test(out + err)) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`timed out waiting for ${re}; stdout: ${out}\nstderr: ${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, out: () => out, err: () => err, until, exit };
}

function scenarioFile(body: unknown): string {
  const file = path.join(tempDir(), 'x.bgscenario.json');
  fs.writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  return file;
}

const folder = () => tempDir();

test('cli: a scenario whose expectations hold exits 0; --json prints one trace object per line', () => {
  const file = scenarioFile({ profile: 'win10', steps: [
    { register: { name: 'T', entryPoint: 'Tasks.T', trigger: 'TimeZoneChange' } },
    { fire: 'TimeZoneChange' },
    { expect: { event: 'completed', task: 'T' } },
    { expectNot: { event: 'failed' } },
  ] });
  const r = host([folder(), '--scenario', file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '2 of 2 expectations passed\n');
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.every((l) => typeof l.t === 'number' && typeof l.event === 'string'));
  assert.ok(lines.some((l) => l.event === 'completed' && l.task === 'T' && l.taskId && l.instanceId));
});

test('cli §4: --cpu-quota turns the Windows 8/8.1 CPU quota on (off without it)', () => {
  const body = { profile: 'win8', state: { lockScreen: true }, limits: { modeledCpuMs: '1500ms' }, steps: [
    { register: { name: 'T', entryPoint: 'Tasks.T', trigger: 'TimeZoneChange' } },
    { fire: 'TimeZoneChange' }, { fire: 'TimeZoneChange' },
    { expect: { event: 'suspended', task: 'T', suspendedCount: 1 } },
  ] };
  const on = host([folder(), '--scenario', scenarioFile(body), '--cpu-quota']);
  assert.equal(on.status, 0, on.stderr);
  assert.match(on.stdout, /suspended +T/);
  const off = host([folder(), '--scenario', scenarioFile(body)]);
  assert.equal(off.status, 1);
});

test('cli: a broken expectation exits 1, prints the failing step and "N of M expectations passed"', () => {
  const file = scenarioFile({ steps: [{ fire: 'TimeZoneChange' }, { expect: { event: 'fired' } }, { expect: { event: 'completed', task: 'Nope' } }, { expectNot: { event: 'failed' } }] });
  const r = host([folder(), '--scenario', file]);
  assert.equal(r.status, EXIT.expectationFailed);
  assert.match(r.stderr, /:11: step 3 failed: expected \{"event":"completed","task":"Nope"\}/);
  assert.match(r.stdout, /\n1 of 3 expectations passed; step 3 failed: expected \{"event":"completed","task":"Nope"\} but no such event happened\n$/);
});

test('cli: a malformed scenario or an unknown trigger/condition name exits 2 with file, line and reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['{\n  "steps": [\n    { "fire": "TimeZoneChang" }\n  ]\n}', /x\.bgscenario\.json:3:15: unknown trigger 'TimeZoneChang'/],
    ['{\n  "steps": [\n    { "fire": "constructor" }\n  ]\n}', /:3:15: unknown trigger 'constructor'/],
    ['{\n  "steps": [\n    { "fire": "__proto__" }\n  ]\n}', /:3:15: unknown trigger '__proto__'/],
    ['{\n  "steps": [\n    { "advance": null }\n  ]\n}', /:3:18: 'advance' needs a duration/],
    ['{\n  "limits": { "wallClockMs": 1e12 },\n  "steps": []\n}', /:2:30: wallClockMs must be at most/],
    ['{\n  "steps": [\n    { "register": { "name": "X", "trigger": "TimeZoneChange", "conditions": ["Internet"] } }\n  ]\n}', /:3:78: unknown condition 'Internet'/],
    ['{\n  "steps": [\n    { "register": { "name": "X", "trigger": "TimeZoneChange", "conditions": "InternetAvailable" } }\n  ]\n}', /:3:77: conditions must be an array/],
    ['{\n  "steps": [\n    { "expectNot": { "event": "started", "tsk": "Y" } }\n  ]\n}', /:3:42: unknown trace field 'tsk'/],
    ['{\n  "steps": [\n    { "expect": { "event": "canceled", "reason": "Timeout" } }\n  ]\n}', /:3:50: unknown cancellation reason 'Timeout'/],
    ['{\n  "stepz": []\n}', /:2:3: unknown key 'stepz'/],
    ['{\n  "steps": [\n    { "fire": "TimeZoneChange" },,\n  ]\n}', /:3:34: invalid JSON/],
  ];
  for (const [text, re] of cases) {
    const r = host([folder(), '--scenario', scenarioFile(text)]);
    assert.equal(r.status, EXIT.badInput, text);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(r.stdout, '');
  }
});

test('cli: the interactive prompt driven through piped input (fire, set, advance, tasks, help)', () => {
  const input = ['help', 'register Tz Tasks.Tz TimeZoneChange', 'register Net Tasks.Net TimeTrigger(15) InternetAvailable', 'set internet off', 'advance 30m', 'tasks', 'set internet on', 'fire TimeZoneChange', 'quit', ''].join('\n');
  const r = host([folder(), '--store', tempDir()], input);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Commands:/);
  assert.match(r.stdout, /latched\s+Net .*waitingFor=\["InternetAvailable"\]/);
  assert.match(r.stdout, /Net  TimeTrigger\(15\) if InternetAvailable  latched on InternetAvailable  VS can fire: yes/);
  assert.match(r.stdout, /started\s+Net/);
  assert.match(r.stdout, /completed\s+Tz/);
});

test('cli: an unknown prompt command is reported in one line and the prompt goes on', () => {
  const r = host([folder(), '--store', tempDir()], 'frobnicate\nfire NoSuch\nfire constructor\nfire TimeZoneChange {bad json\nadvance -5m\nset internet maybe\ntasks\nquit\n');
  const errors = r.stderr.trim().split('\n');
  assert.equal(errors.length, 6, r.stderr);
  assert.ok(errors.every((l) => l.startsWith('error: ')), r.stderr);
  assert.match(errors[0], /unknown command 'frobnicate'/);
  assert.match(errors[1], /unknown trigger 'NoSuch'/);
  assert.match(errors[2], /unknown trigger 'constructor'/);
  assert.match(errors[3], /the trigger details are not JSON/);
  assert.match(errors[4], /advance needs a duration/);
  assert.match(errors[5], /internetAvailable must be true or false/);
  assert.match(r.stdout, /no registrations/);
  assert.equal(r.status, EXIT.badInput);
});

test('cli: the prompt takes a trigger as the trace prints it: register X x.X TimeTrigger(15, oneShot)', () => {
  const r = host([folder(), '--store', tempDir()], 'register X x.X TimeTrigger(15, oneShot)\nregister S - SystemTrigger(TimeZoneChange, oneShot) InternetAvailable\ntasks\nquit\n');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /registered\s+X\s+trigger=TimeTrigger\(15, oneShot\)/);
  assert.match(r.stdout, /\nX  TimeTrigger\(15, oneShot\)  idle/);
  assert.match(r.stdout, /\nS  SystemTrigger\(TimeZoneChange, oneShot\) if InternetAvailable  idle/);
});

test('cli: tasks lists what the app registers on demand; register NAME registers it (the examples\' buttons)', (t) => {
  const unknown = host([path.join(REPO, 'examples/cppcx-win81'), '--store', tempDir()], 'launch\nregister NoSuchTask\nquit\n');
  assert.match(unknown.stderr, /^error: .*NoSuchTask/m);
  for (const example of ['cppcx-win81', 'csharp-uwp', 'appsdk-com', 'winjs']) {
    const dir = path.join(REPO, 'examples', example);
    const listed = host([dir, '--store', tempDir()], 'launch\ntasks\nquit\n');
    const name = /^(\S+)  .*  on demand: 'register \1' runs \S/m.exec(listed.stdout)?.[1];
    if (!name) continue;
    const r = host([dir, '--store', tempDir()], `launch\nregister ${name}\ntasks\nquit\n`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`registered\\s+${name}\\b`));
    assert.doesNotMatch(r.stdout, new RegExp(`^${name}  .*on demand`, 'm'));
    return;
  }
  t.skip('no example has an on-demand registration');
});

test('cli: a closed output pipe (| head) ends quietly with exit 0 and no stack trace', async () => {
  const file = scenarioFile({ steps: [{ register: { name: 'T', entryPoint: 'Tasks.T', trigger: 'TimeTrigger(15)' } }, { advance: '30d' }, { expect: { event: 'completed', task: 'T' } }] });
  const child = spawn(process.execPath, [CLI, 'host', folder(), '--scenario', file], { cwd: REPO, env });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.equal(err, '');
  assert.equal(code, 0);
});

test('cli: a second host on the same store gets a clear message with the first one\'s pid (exit 2)', async () => {
  const store = tempDir();
  const first = promptProcess([folder(), '--store', store]);
  first.child.stdin.write('tasks\n');
  await first.until(/no registrations/);
  const second = host([folder(), '--store', store], 'quit\n');
  assert.equal(second.status, EXIT.badInput);
  assert.equal(second.stderr, `bgtask host: another bgtask host is using the registrations of this app (pid ${first.child.pid}; store ${store})\n`);
  first.child.stdin.end('quit\n');
  assert.equal(await first.exit, 0, first.err());
  // Released on exit: the next host opens the store.
  assert.equal(host([folder(), '--store', store], 'quit\n').status, 0);
});

test('cli: an unusable store folder, bad store entries and a runner that cannot start are one clear line each', () => {
  const notADir = path.join(tempDir(), 'file');
  fs.writeFileSync(notADir, 'x');
  const r1 = host([folder(), '--store', notADir], 'quit\n');
  assert.equal(r1.status, EXIT.badInput);
  assert.match(r1.stderr, /^bgtask: cannot use the registration store in .*file: (EEXIST|ENOTDIR) \(choose another folder with --store\)\n/);

  const store = tempDir();
  const good = { taskId: 'a', name: 'Good', entryPoint: 'Tasks.Good', trigger: { type: 'SystemTrigger', systemTriggerType: 'TimeZoneChange', oneShot: false }, conditions: [], cancelOnConditionLoss: false, isNetworkRequested: false, source: 'command', registeredAt: 0 };
  fs.writeFileSync(path.join(store, 'host-store.json'), JSON.stringify({ version: 1, registrations: [good, { ...good, taskId: 'b', name: 'Bad', conditions: 'InternetAvailable' }], inFlight: [], localSettings: {}, t: 0 }));
  const r2 = host([folder(), '--store', store], 'tasks\nquit\n');
  assert.equal(r2.status, 0, r2.stderr);
  assert.match(r2.stderr, /dropped registration 2 of the registration store: conditions is not an array/);
  assert.match(r2.stderr, /kept aside as .*host-store\.json\.rejected-\d+/);
  assert.match(r2.stdout, /\nGood  SystemTrigger\(TimeZoneChange\)/);
  assert.doesNotMatch(r2.stdout, /\nBad /);

  const r3 = host([folder(), '--runner', '/no/such/runner --stdio'], 'quit\n');
  assert.equal(r3.status, EXIT.badInput);
  assert.match(r3.stderr, /cannot start the runner '\/no\/such\/runner': no such executable file/);
  for (const r of [r1, r2, r3]) assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('cli: an internal error is one line and exit 70, not 1 (expectation failed) or 2 (bad input)', async () => {
  const file = scenarioFile({ steps: [] });
  const lines: string[] = [];
  const code = await runHostCommand([folder(), '--scenario', file], { cwd: REPO, version: '0', stdout: () => { throw new Error('the disk is on fire'); }, stderr: (t) => lines.push(t) });
  assert.equal(code, EXIT.internal);
  assert.equal(EXIT.internal, 70);
  assert.deepEqual(lines, ['bgtask host: internal error: the disk is on fire\n']);
});

test('cli: Ctrl-C at an idle prompt asks once and quits on the second (exit 0)', async () => {
  const p = promptProcess([folder(), '--store', tempDir()]);
  p.child.stdin.write('tasks\n');
  await p.until(/no registrations/);
  p.child.kill('SIGINT');
  await p.until(/press Ctrl-C again to quit/);
  p.child.stdin.write('tasks\n');
  await p.until(/no registrations[\s\S]*no registrations/);
  p.child.kill('SIGINT');
  await p.until(/press Ctrl-C again to quit[\s\S]*press Ctrl-C again to quit/);
  p.child.kill('SIGINT');
  assert.equal(await p.exit, 0);
});

test('cli: an error thrown later from a timer inside the host is one line and exit 70, not a stack trace', async () => {
  const preload = path.join(tempDir(), 'throw-later.js');
  fs.writeFileSync(preload, "setTimeout(() => { throw new Error('a timer broke'); }, 200);\n");
  const child = spawn(process.execPath, ['--require', preload, CLI, 'host', folder(), '--store', tempDir()], { cwd: REPO, env });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.resume();
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.equal(err, 'bgtask host: internal error: a timer broke\n');
  assert.equal(code, EXIT.internal);
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

test('cli: Ctrl-C in a terminal clears a typed line, then asks, then quits (readline SIGINT, through a pty)', { skip: !hasScript && 'needs util-linux script for a pty' }, async () => {
  const child = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} host ${JSON.stringify(folder())} --store ${JSON.stringify(tempDir())}`, '/dev/null'], { cwd: REPO, env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const until = async (re: RegExp) => {
    const end = Date.now() + 10_000;
    while (!re.test(out)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${re}: ${JSON.stringify(out)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await until(/bgtask> /);
  child.stdin.write('tas');
  await until(/tas/);
  child.stdin.write('\x03');
  await until(/tas[\s\S]*bgtask> [\s\S]*bgtask> /);
  assert.doesNotMatch(out, /press Ctrl-C again/, 'a typed line is cleared, not a quit warning');
  child.stdin.write('\x03');
  await until(/press Ctrl-C again to quit/);
  child.stdin.write('\x03');
  assert.equal(await exit, 0);
});

test('cli: Ctrl-C at the prompt cancels running tasks with a reason and the prompt goes on', { skip: !('cancelAll' in TaskHost.prototype) && 'needs TaskHost.cancelAll (issue 7, the lead adds it)' }, async () => {
  const app = folder();
  fs.copyFileSync(path.join(JS_FIXTURES, 'slow.js'), path.join(app, 'slow.js'));
  const p = promptProcess([app, '--store', tempDir(), '--json']);
  p.child.stdin.write(`register Slow ${path.join(app, 'slow.js')} TimeZoneChange\nfire TimeZoneChange\n`);
  await p.until(/"event":"started"/);
  p.child.kill('SIGINT');
  await p.until(/"event":"canceled"[^\n]*"reason":"Abort"/);
  assert.match(p.out(), /Ctrl-C at the prompt/);
  p.child.stdin.end('tasks\nquit\n');
  await p.until(/Slow  SystemTrigger\(TimeZoneChange\)/);
  assert.equal(await p.exit, 0);
});

for (const example of ['csharp-uwp', 'winjs', 'cppcx-win81', 'appsdk-com']) {
  const dir = path.join(REPO, 'examples', example);
  const scenarios = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bgscenario.json')) : [];
  for (const s of scenarios) {
    test(`cli: the ${example} example's scenario ${s} passes`, () => {
      const r = host([dir, '--scenario', path.join(dir, s)]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });
  }
}
