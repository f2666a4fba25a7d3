// Persistence across host restarts: registrations survive a SIGKILL mid-run and the in-flight run is
// reported as aborted on restart; a corrupt store is kept aside and reported; LocalSettings persist.
// The store: per user, entries validated one by one, atomic writes through symlinks, the lock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreLockedError, defaultStoreDir, loadStore, lockStore, repairStore, saveStore, storeWritableError } from '../../src/host/store';
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
    host.fire('TimeZoneChange');
    host.advance(100);`;
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
  await host.advance(45 * 60_000);
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
  await first.host.advance(1000);
  await first.host.close();
  assert.ok(!fs.readdirSync(dir).some((f) => f.endsWith('.tmp')));
  const second = makeHost({ storageDir: dir });
  assert.equal(second.host.registrations()[0].group, 'g1');
  assert.equal(second.host.localSettings.k, 'v');
  assert.equal(second.host.clock.now(), 1000);
  fs.rmSync(dir, { recursive: true, force: true });
});

// ---- the store itself (src/host/store.ts) ----------------------------------------------------

const goodReg = (taskId: string, name: string) => ({ taskId, name, entryPoint: `Tasks.${name}`, trigger: { type: 'TimeTrigger', freshness: 30, oneShot: false }, conditions: ['InternetAvailable'], cancelOnConditionLoss: true, isNetworkRequested: false, source: 'command', registeredAt: 0, nextFireAt: 1_800_000 });

test('store: the default store is per user (the user data folder, keyed by the app folder), never the shared temp folder', () => {
  const home = tempDir();
  const saved = process.env.XDG_DATA_HOME;
  process.env.XDG_DATA_HOME = path.join(home, 'data');
  try {
    const a = defaultStoreDir('/work/apps/My App');
    assert.ok(a.startsWith(path.join(home, 'data', 'bgtask', 'host') + path.sep), a);
    assert.match(path.basename(a), /^My_App-[0-9a-f]{12}$/);
    assert.notEqual(defaultStoreDir('/work/other/My App'), a);
    assert.equal(defaultStoreDir('/work/apps/My App/'), a);
    delete process.env.XDG_DATA_HOME;
    if (process.platform === 'linux') assert.ok(defaultStoreDir('/x').startsWith(path.join(os.homedir(), '.local', 'share', 'bgtask', 'host')));
  } finally {
    if (saved === undefined) delete process.env.XDG_DATA_HOME;
    else process.env.XDG_DATA_HOME = saved;
  }
});

test('store: entries that do not validate are dropped one by one with a reason, and the file is kept aside', () => {
  const dir = tempDir();
  const bad = [
    { ...goodReg('b', 'StringConditions'), conditions: 'InternetAvailable' },
    { ...goodReg('c', 'NoSuchTrigger'), trigger: { type: 'constructor' } },
    { ...goodReg('d', 'BadSystemTrigger'), trigger: { type: 'SystemTrigger', systemTriggerType: '__proto__' } },
    { ...goodReg('e', 'NaNTime'), registeredAt: 'soon' },
    null,
    goodReg('a', 'Duplicate'),
  ];
  fs.writeFileSync(path.join(dir, 'host-store.json'), JSON.stringify({ version: 1, registrations: [goodReg('a', 'Keep'), ...bad], inFlight: [{ instanceId: 'i' }], localSettings: { k: 1 }, t: 5 }));
  const r = loadStore(dir);
  assert.deepEqual(r.data?.registrations.map((x) => x.name), ['Keep']);
  assert.deepEqual(r.data?.localSettings, { k: 1 });
  assert.equal(r.data?.t, 5);
  assert.deepEqual(r.rejected?.map((x) => x.index), [1, 2, 3, 4, 5, 6, 'inFlight[0]']);
  assert.match(r.rejected![0].error, /conditions is not an array/);
  assert.match(r.rejected![1].error, /unknown trigger class "constructor"/);
  assert.match(r.rejected![5].error, /duplicate taskId a/);
  assert.ok(r.movedTo && fs.existsSync(r.movedTo) && /host-store\.json\.rejected-\d+$/.test(r.movedTo));
  assert.equal(r.messages?.length, 8);
  // repairStore writes the valid rest back, so the host opens a clean store.
  fs.copyFileSync(r.movedTo!, path.join(dir, 'host-store.json'));
  assert.equal(repairStore(dir).length, 8);
  assert.deepEqual(loadStore(dir), { data: { version: 1, registrations: [goodReg('a', 'Keep')], inFlight: [], localSettings: { k: 1 }, t: 5 } });
  fs.rmSync(dir, { recursive: true, force: true });
});

test('store: a store that is not a store (wrong version, not JSON, a folder) is reported, never thrown', () => {
  const dir = tempDir();
  for (const text of ['{"version":2,"registrations":[]}', 'null', '[]', '{"version":1,"registrations":{}}']) {
    fs.writeFileSync(path.join(dir, 'host-store.json'), text);
    const r = loadStore(dir);
    assert.ok(r.corrupt && !r.data, text);
    assert.ok(fs.existsSync(r.corrupt.movedTo) && r.corrupt.movedTo !== path.join(dir, 'host-store.json'), text);
  }
  fs.mkdirSync(path.join(dir, 'host-store.json'));
  assert.match(loadStore(dir).corrupt?.error ?? '', /cannot read .*EISDIR/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('store: saves are atomic, write through a symlinked store file, and an unwritable folder is an error value, not a throw', () => {
  const dir = tempDir();
  const real = path.join(tempDir(), 'real-store.json');
  fs.writeFileSync(real, '{}');
  fs.symlinkSync(real, path.join(dir, 'host-store.json'));
  const data = { version: 1 as const, registrations: [], inFlight: [], localSettings: { a: 1 }, t: 7 };
  assert.deepEqual(saveStore(dir, data), {});
  assert.ok(fs.lstatSync(path.join(dir, 'host-store.json')).isSymbolicLink(), 'the symlink stays');
  assert.deepEqual(JSON.parse(fs.readFileSync(real, 'utf8')), data);
  assert.deepEqual(fs.readdirSync(dir), ['host-store.json']);
  const file = path.join(tempDir(), 'not-a-folder');
  fs.writeFileSync(file, '');
  assert.match(saveStore(file, data).error ?? '', /cannot write the registration store in .*: (EEXIST|ENOTDIR)/);
  assert.match(storeWritableError(file) ?? '', /cannot use the registration store/);
  assert.throws(() => lockStore(file), /^Error: cannot use the registration store in .*not-a-folder: (EEXIST|ENOTDIR)$/);
  assert.equal(storeWritableError(dir), undefined);
});

test('store: a second process on a locked store gets StoreLockedError with the holder\'s pid; a dead holder\'s lock is taken over', async () => {
  const dir = tempDir();
  const storeModule = path.join(REPO, 'out/src/host/store.js');
  const child = spawn(process.execPath, ['-e', `const s = require(${JSON.stringify(storeModule)}); s.lockStore(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
  assert.throws(() => lockStore(dir), (e: unknown) => e instanceof StoreLockedError && e.pid === child.pid && e.message === `another bgtask host is using the registrations of this app (pid ${child.pid}; store ${dir})`);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  // SIGKILL leaves the lock behind; its holder is gone, so the next host takes it over at once.
  assert.ok(fs.existsSync(path.join(dir, 'host-store.json.lock')));
  const lock = lockStore(dir);
  // The same process may lock again (the CLI and the host both do); released when both release.
  const again = lockStore(dir);
  lock.release();
  assert.ok(fs.existsSync(path.join(dir, 'host-store.json.lock')));
  again.release();
  assert.ok(!fs.existsSync(path.join(dir, 'host-store.json.lock')));
  lockStore(dir).release();
  fs.rmSync(dir, { recursive: true, force: true });
});
