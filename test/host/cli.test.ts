// `bgtask host`: scenario replay exit codes (0 pass, 1 broken expectation with the failing step,
// 2 malformed scenario with file and line), JSON trace, the interactive prompt through piped input,
// and the example apps' scenarios.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from './helpers';

const CLI = path.join(REPO, 'dist/cli.js');
const host = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, 'host', ...args], { cwd: REPO, encoding: 'utf8', input, timeout: 30_000, env: { ...process.env, HOME: tempDir() } });

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

test('cli: a broken expectation exits 1 and prints the failing step', () => {
  const file = scenarioFile({ steps: [{ expect: { event: 'completed', task: 'Nope' } }] });
  const r = host([folder(), '--scenario', file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /:3: step 1 failed: expected \{"event":"completed","task":"Nope"\}/);
});

test('cli: a malformed scenario or an unknown trigger/condition name exits 2 with file, line and reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['{\n  "steps": [\n    { "fire": "TimeZoneChang" }\n  ]\n}', /:3: unknown trigger 'TimeZoneChang'/],
    ['{\n  "steps": [\n    { "register": { "name": "X", "trigger": "TimeZoneChange", "conditions": ["Internet"] } }\n  ]\n}', /:3: unknown condition 'Internet'/],
    ['{\n  "steps": [\n    { "expect": { "event": "canceled", "reason": "Timeout" } }\n  ]\n}', /:3: unknown cancellation reason 'Timeout'/],
    ['{\n  "stepz": []\n}', /:2: unknown key 'stepz'/],
    ['{\n  "steps": [\n    { "fire": "TimeZoneChange" },,\n  ]\n}', /:3: invalid JSON/],
  ];
  for (const [text, re] of cases) {
    const r = host([folder(), '--scenario', scenarioFile(text)]);
    assert.equal(r.status, 2, text);
    assert.match(r.stderr, re);
  }
});

test('cli: the interactive prompt driven through piped input (fire, set, advance, tasks, help)', () => {
  const input = ['help', 'register Tz Tasks.Tz TimeZoneChange', 'register Net Tasks.Net TimeTrigger(15) InternetAvailable', 'set internet off', 'advance 20m', 'tasks', 'set internet on', 'fire TimeZoneChange', 'quit', ''].join('\n');
  const r = host([folder(), '--store', tempDir()], input);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Commands:/);
  assert.match(r.stdout, /latched\s+Net .*waitingFor=\["InternetAvailable"\]/);
  assert.match(r.stdout, /Net  TimeTrigger\(15\) if InternetAvailable  latched on InternetAvailable  VS can fire: yes/);
  assert.match(r.stdout, /started\s+Net/);
  assert.match(r.stdout, /completed\s+Tz/);
});

test('cli: an unknown prompt command is reported and the prompt goes on', () => {
  const r = host([folder(), '--store', tempDir()], 'frobnicate\nfire NoSuch\nquit\n');
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  assert.match(r.stderr, /unknown trigger 'NoSuch'/);
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
