// Answers the facts settle, each named by its domain-facts section: Windows 10 triggers on 8.x, a
// latched one-shot is spent across a restart, battery saver only on battery, RequestAsync traced,
// unknown names refused, and a run the host's own stop cuts short is not blamed on the task.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JS_FIXTURES, events, makeHost, spec, sys, tempDir } from './helpers';

test('§3.1 ApplicationTrigger and GeovisitTrigger are Windows 10 triggers: Register fails on win8, win81 and phone81; they register on win10', () => {
  for (const profile of ['win8', 'win81', 'phone81'] as const) {
    const { host, trace } = makeHost({ profile });
    assert.ok(host.register(spec('App', { type: 'ApplicationTrigger' })).error);
    assert.ok(host.register(spec('Visit', { type: 'GeovisitTrigger' })).error);
    assert.equal(host.registrations().length, 0, profile);
    assert.match(String(events(trace, 'registration-failed', 'App')[0].error), new RegExp(`does not exist on ${profile}`));
  }
  const { host } = makeHost({ profile: 'win10' });
  assert.ok(host.register(spec('App', { type: 'ApplicationTrigger' })).registration);
});

test('§2 a one-shot that fired and only latched is spent: after a restart it does not fire again', async () => {
  const dir = tempDir();
  const first = makeHost({ storageDir: dir, state: { internetAvailable: false } });
  first.host.register(spec('Once', sys('TimeZoneChange', true), { conditions: ['InternetAvailable'] }));
  first.host.fire('TimeZoneChange');
  assert.equal(events(first.trace, 'latched', 'Once').length, 1);
  await first.host.close();
  const second = makeHost({ storageDir: dir });
  second.host.fire('TimeZoneChange');
  assert.equal(events(second.trace, 'started', 'Once').length, 0);
  assert.match(String(events(second.trace, 'skipped', 'Once')[0].why), /one-shot trigger already fired/);
  await second.host.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('§3 battery saver blocks TimeTrigger tasks only on battery: Windows turns it off when plugged in', () => {
  const { host, trace } = makeHost({ profile: 'win10', state: { batterySaver: true, power: 'ac' } });
  host.register(spec('T', sys('TimeZoneChange')));
  host.fire('TimeZoneChange');
  assert.equal(events(trace, 'completed', 'T').length, 1, 'on AC power the task runs');
  host.setState({ power: 'dc' });
  host.fire('TimeZoneChange');
  assert.match(String(events(trace, 'skipped', 'T')[0].why), /battery saver/);
});

test('§3.1 the result of ApplicationTrigger.RequestAsync from app code is traced, Allowed included', async () => {
  const appFolder = path.join(JS_FIXTURES, '..', 'app');
  const script = path.join(tempDir(), 'requests.js');
  fs.writeFileSync(script, `WinJS.Application.onactivated = function () {
    var bg = Windows.ApplicationModel.Background;
    var trigger = new bg.ApplicationTrigger();
    var b = new bg.BackgroundTaskBuilder(); b.name = "Signal"; b.setTrigger(trigger); b.register();
    var args = new Windows.Foundation.Collections.ValueSet(); args.insert("k", "v");
    trigger.requestAsync(args).done(function (r) { console.log("RequestAsync gave " + r); });
  };
  WinJS.Application.start();`);
  const { host, trace } = makeHost({ appFolder: path.dirname(script) });
  try {
    host.setStartScripts([script]);
    host.lifecycle('launch');
    await host.settle();
    assert.ok(events(trace, 'log').some((e) => e.text === 'ApplicationTrigger.RequestAsync → Allowed'));
    assert.ok(events(trace, 'log').some((e) => e.text === 'RequestAsync gave 0'), 'ApplicationTriggerResult.allowed is 0');
    assert.deepEqual(events(trace, 'fired', 'Signal')[0].trigger, 'ApplicationTrigger');
  } finally {
    await host.close();
  }
  void appFolder;
});

test('§5 unregister of a name no registration has is an error that names what exists, not a silent success', () => {
  const { host } = makeHost();
  host.register(spec('Known', sys('TimeZoneChange')));
  assert.throws(() => host.unregister('NoSuch', false), /no registration named 'NoSuch' \(registered: Known\)/);
  assert.equal(host.unregister('Known', false), 1);
});

test('a JS instance still running when the host stops is reported as still running, not as failed by the task', async () => {
  const { host, trace } = makeHost({ appFolder: JS_FIXTURES });
  host.register(spec('Slow', sys('TimeZoneChange'), { entryPoint: path.join(JS_FIXTURES, 'slow.js') }));
  host.lifecycle('launch');
  host.fire('TimeZoneChange');
  await host.advance(50);
  await host.close();
  assert.equal(events(trace, 'failed', 'Slow').length, 0);
  assert.equal(events(trace, 'delivered', 'Slow').filter((e) => e.what === 'Completed').length, 0);
  assert.match(String(events(trace, 'log', 'Slow').at(-1)?.text), /still running when the host stopped/);
});

test('§5 cancel one running instance by name or id (the tree\'s Cancel running instance); nothing running is an error', async () => {
  const { host, trace } = makeHost({ appFolder: JS_FIXTURES });
  try {
    host.register(spec('Slow', sys('TimeZoneChange'), { entryPoint: path.join(JS_FIXTURES, 'slow.js') }));
    assert.throws(() => host.cancelInstance('Slow'), /no running instance of 'Slow' \(nothing runs\)/);
    host.fire('TimeZoneChange');
    await host.settle();
    assert.equal(host.cancelInstance(host.running()[0].instanceId, 'Abort', 'from a test'), 1);
    await host.settle();
    const c = events(trace, 'canceled', 'Slow')[0];
    assert.equal(c.reason, 'Abort');
    assert.equal(c.why, 'from a test');
    assert.equal(events(trace, 'completed', 'Slow').length + events(trace, 'failed', 'Slow').length, 0, 'slow.js closes when canceled');
    assert.ok(events(trace, 'log', 'Slow').some((e) => e.text === 'canceled: Abort'));
  } finally {
    await host.close();
  }
});
