// Persistence across host restarts: registrations survive a SIGKILL mid-run and the in-flight run is
// reported as aborted on restart; a corrupt store is kept aside and reported; LocalSettings persist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JS_FIXTURES, REPO, events, makeHost, spec, sys, tempDir } from './helpers';

test('persistence: SIGKILL mid-run keeps registrations; the in-flight run is reported aborted on restart', async () => {
  const dir = tempDir();
  const hostModule = path.join(REPO, 'out/src/host/host.js');
  const script = `
    const { TaskHost } = require(${JSON.stringify(hostModule)});
    const host = new TaskHost({ storageDir: ${JSON.stringify(dir)}, deterministicIds: true });
    host.on('trace', (e) => { if (e.event === 'progress') process.stdout.write('running\\n'); });
    host.open();
    host.register({ name: 'Slow', entryPoint: ${JSON.stringify(path.join(JS_FIXTURES, 'slow.js'))}, trigger: { type: 'SystemTrigger', systemTriggerType: 'TimeZoneChange', oneShot: false }, conditions: [], cancelOnConditionLoss: false, isNetworkRequested: false });
    host.register({ name: 'Other', entryPoint: 'Tasks.Other', trigger: { type: 'TimeTrigger', freshness: 30, oneShot: false }, conditions: ['InternetAvailable'], cancelOnConditionLoss: true, isNetworkRequested: false });
    host.fire('TimeZoneChange');`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('running') && resolve());
    child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  const { host, trace } = makeHost({ storageDir: dir });
  assert.deepEqual(host.registrations().map((r) => r.name).sort(), ['Other', 'Slow']);
  const other = host.registry.byName('Other')[0];
  assert.deepEqual(other.conditions, ['InternetAvailable']);
  assert.equal(other.trigger.freshness, 30);
  const aborted = events(trace, 'canceled', 'Slow')[0];
  assert.equal(aborted.reason, 'Abort');
  assert.match(String(aborted.why), /host stopped/);
  // The TimeTrigger keeps its schedule across the restart.
  host.advance(45 * 60_000);
  assert.equal(events(trace, 'fired', 'Other').length, 1);
  await host.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('persistence: a corrupt store is reported and kept aside, never silently dropped', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'host-store.json'), '{ not json');
  const { host, trace } = makeHost({ storageDir: dir });
  assert.equal(host.registrations().length, 0);
  const report = events(trace, 'log').find((e) => e.level === 'error');
  assert.ok(report && /kept aside/.test(String(report.text)));
  assert.ok(fs.readdirSync(dir).some((f) => f.startsWith('host-store.json.corrupt-')));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('persistence: registrations and LocalSettings written atomically survive a clean restart', async () => {
  const dir = tempDir();
  const first = makeHost({ storageDir: dir });
  first.host.register(spec('Keep', sys('TimeZoneChange'), { group: 'g1' }));
  first.host.localSettings.k = 'v';
  first.host.advance(1000);
  await first.host.close();
  assert.ok(!fs.readdirSync(dir).some((f) => f.endsWith('.tmp')));
  const second = makeHost({ storageDir: dir });
  assert.equal(second.host.registrations()[0].group, 'g1');
  assert.equal(second.host.localSettings.k, 'v');
  assert.equal(second.host.clock.now(), 1000);
  fs.rmSync(dir, { recursive: true, force: true });
});
