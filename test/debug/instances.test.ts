// Where a debug session's stack frame points: the Run method of a modeled C# class (found from the
// engine's facts), a JS task's file; and the thread names of running instances.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { InstanceTracker, SourceLocator, threadName } from '../../src/debug/instances';
import { loadApp } from '../../src/host/staticApp';
import { REPO } from './dapClient';

test('a C# task class resolves to its Run method in the source', async () => {
  const root = path.join(REPO, 'examples/csharp-uwp');
  const app = await loadApp(root);
  const loc = new SourceLocator(root, app).locate('Tasks.SampleBackgroundTask');
  assert.ok(loc, 'found');
  assert.equal(loc.path, path.join(root, 'Tasks', 'SampleBackgroundTask.cs'));
  assert.equal(loc.name, 'Tasks.SampleBackgroundTask.Run');
  const line = (await import('node:fs')).readFileSync(loc.path, 'utf8').split('\n')[loc.line - 1];
  assert.match(line, /\bRun\s*\(/);
  assert.equal(new SourceLocator(root, app).locate('Tasks.NoSuchTask'), undefined);
});

test('thread names follow the instance: progress, CPU-quota suspension', () => {
  const t = new InstanceTracker();
  const { started } = t.onTrace({ t: 0, event: 'started', task: 'TimeZoneTask', taskId: 'a', instanceId: 'i1', trigger: 'TimeZoneChange', runner: 'js' });
  assert.equal(started?.threadId, 2);
  t.onTrace({ t: 1, event: 'progress', task: 'TimeZoneTask', instanceId: 'i1', progress: 40 });
  assert.equal(threadName(t.all()[0]), 'TimeZoneTask #1 · running 40%');
  t.onTrace({ t: 2, event: 'suspended', task: 'TimeZoneTask', instanceId: 'i1', suspendedCount: 1 });
  assert.equal(threadName(t.all()[0]), 'TimeZoneTask #1 · suspended by the CPU quota (1×)');
  const { ended } = t.onTrace({ t: 3, event: 'canceled', task: 'TimeZoneTask', instanceId: 'i1', reason: 'Abort' });
  assert.equal(ended?.cancelReason, 'Abort');
  assert.equal(t.all().length, 0);
  t.onTrace({ t: 4, event: 'started', task: 'TimeZoneTask', taskId: 'a', instanceId: 'i2' });
  assert.equal(t.all()[0].run, 2);
});
