// The server side of bgtask/registrations: the engine's view of a fixture app turned into the tree's
// data, with every finding attached to the item whose source holds it, and the request handler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import { loadWorkspace } from '../../src/core/workspace/scan';
import { registrationsModel, triggerSummary } from '../../src/server/registrationsModel';
import { registerRegistrationsRequest } from '../../src/server/registrationsRequest';
import { RegistrationsRequest, type RegistrationsResult } from '../../src/shared/protocol';
import { REPO } from '../helpers/ruleHarness';

const FIXTURE = path.join(REPO, 'test', 'extension', 'fixtures', 'model-app').split(path.sep).join('/');

async function load(target = FIXTURE): Promise<Engine> {
  const engine = new Engine();
  await loadWorkspace(engine, [target]);
  return engine;
}

test('one app with its manifest, task classes, declarations and registrations', async () => {
  const { apps } = registrationsModel(await load());
  assert.equal(apps.length, 1);
  const app = apps[0];
  assert.equal(app.root, FIXTURE);
  assert.equal(app.profile, 'win10');
  assert.equal(app.manifest?.path, `${FIXTURE}/Package.appxmanifest`);
  assert.ok(app.manifest?.uri.startsWith('file:///'));
  assert.deepEqual(app.taskClasses.map((c) => c.fullName), ['Tasks.GoodTask', 'Tasks.UnsealedTask']);
  assert.deepEqual(app.declarations.map((d) => [d.entryPoint, d.taskTypes]), [['Tasks.GoodTask', ['systemEvent']], ['Tasks.MissingTask', ['timer']]]);
  assert.equal(app.registrations.length, 1);
  const reg = app.registrations[0];
  assert.equal(reg.name, 'Good');
  assert.equal(reg.entryPoint, 'Tasks.GoodTask');
  assert.equal(reg.trigger, 'SystemTrigger(TimeZoneChange)');
  assert.equal(reg.triggerClass, 'SystemTrigger');
  assert.deepEqual(reg.conditions, ['InternetAvailable']);
});

test('locations are LSP ranges of the class name, the EntryPoint value and the builder', async () => {
  const { apps } = registrationsModel(await load());
  const [app] = apps;
  const good = app.taskClasses[0].location;
  assert.equal(good.path, `${FIXTURE}/Tasks/Tasks.cs`);
  assert.deepEqual(good.range, { start: { line: 4, character: 24 }, end: { line: 4, character: 32 } });
  // EntryPoint="Tasks.GoodTask" on line 7 (0-based 6): the value without quotes.
  const decl = app.declarations[0].location;
  assert.equal(decl.range.start.line, 6);
  assert.equal(decl.range.end.character - decl.range.start.character, 'Tasks.GoodTask'.length);
  const reg = app.registrations[0].location;
  assert.equal(reg.path, `${FIXTURE}/App/Register.cs`);
  assert.equal(reg.range.start.line, 10);
});

test('each finding goes to the item that holds it; the rest to the app', async () => {
  const engine = await load();
  const { apps } = registrationsModel(engine);
  const [app] = apps;
  const rules = (problems: { ruleId: string }[]) => problems.map((p) => p.ruleId).sort();
  assert.deepEqual(rules(app.taskClasses[0].problems), []);
  assert.ok(rules(app.taskClasses[1].problems).includes('task-class-not-sealed'));
  assert.ok(rules(app.declarations[1].problems).includes('declared-task-never-registered'));
  assert.ok(rules(app.registrations[0].problems).includes('registration-without-existing-check'));
  // Nothing is lost: every finding of the app's files appears exactly once.
  const all = [...app.taskClasses, ...app.declarations, ...app.registrations].flatMap((i) => i.problems).concat(app.problems);
  assert.equal(all.length, engine.check().length);
  const unsealed = app.taskClasses[1].problems.find((p) => p.ruleId === 'task-class-not-sealed')!;
  assert.equal(unsealed.severity, 'error');
  assert.equal(unsealed.range.start.line, 12);
});

test('the examples: every app with a manifest has declarations and task classes', async () => {
  const { apps } = registrationsModel(await load(path.join(REPO, 'examples').split(path.sep).join('/')));
  const withManifest = apps.filter((a) => a.manifest);
  assert.ok(withManifest.length >= 8, `apps: ${apps.map((a) => a.root).join(', ')}`);
  const csharp = withManifest.find((a) => a.root.endsWith('examples/csharp-uwp/BackgroundTask'))!;
  assert.ok(csharp, 'the C# sample app');
  assert.ok(csharp.taskClasses.some((c) => c.fullName === 'Tasks.SampleBackgroundTask'));
  assert.ok(csharp.registrations.length >= 4, JSON.stringify(csharp.registrations.map((r) => r.name)));
  const winjs = withManifest.find((a) => a.root.endsWith('examples/winjs'))!;
  assert.deepEqual(winjs.declarations.map((d) => d.startPage), ['js\\timezonetask.js', 'js\\refreshtask.js']);
});

test('trigger summaries', () => {
  const span = { start: 0, end: 0 };
  assert.equal(triggerSummary({ className: 'TimeTrigger', span, freshness: { kind: 'number', value: 30, span } }), 'TimeTrigger(30)');
  assert.equal(triggerSummary({ className: 'ApplicationTrigger', span }), 'ApplicationTrigger');
  assert.equal(triggerSummary(undefined), undefined);
});

test('the request handler answers from the engine, and with no apps before the engine exists', async () => {
  const handlers = new Map<string, (params: never) => unknown>();
  const connection = { onRequest: (method: string, handler: (params: never) => unknown) => handlers.set(method, handler) };
  const engine = await load();
  let current: Engine | undefined;
  registerRegistrationsRequest(connection, async () => current);
  const handler = handlers.get(RegistrationsRequest.method)!;
  assert.deepEqual(await handler({} as never), { apps: [] });
  current = engine;
  const result = (await handler({} as never)) as RegistrationsResult;
  assert.equal(result.apps.length, 1);
  // The result crosses JSON-RPC: it must survive a JSON round trip unchanged.
  const json = JSON.stringify(result);
  assert.equal(JSON.stringify(JSON.parse(json)), json);
});
