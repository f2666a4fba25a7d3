// The "Background Tasks" tree built from source snapshots: app/group/item/problem nodes, codicons and
// descriptions, go-to locations, and live registrations from a second (task host) source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import { loadWorkspace } from '../../src/core/workspace/scan';
import { registrationsModel } from '../../src/server/registrationsModel';
import { buildTree, liveDescription, shortMessage, type TreeNode } from '../../src/extension/treeView/model';
import { REPO } from '../helpers/ruleHarness';

const FIXTURE = path.join(REPO, 'test', 'extension', 'fixtures', 'model-app').split(path.sep).join('/');

async function staticSnapshot() {
  const engine = new Engine();
  await loadWorkspace(engine, [FIXTURE]);
  return { apps: registrationsModel(engine).apps };
}

const find = (nodes: TreeNode[], label: string): TreeNode => {
  for (const n of nodes) {
    if (n.label === label) return n;
    const hit = n.children.length ? find(n.children, label) : undefined;
    if (hit) return hit;
  }
  return undefined as never;
};

test('an app node with groups for classes, declarations and registrations', async () => {
  const roots = buildTree([await staticSnapshot()], (p) => path.posix.relative(path.posix.dirname(FIXTURE), p));
  assert.equal(roots.length, 1);
  const app = roots[0];
  assert.equal(app.label, 'model-app');
  assert.equal(app.icon, 'package');
  // MissingTask is declared but no class exists: manifest-entry-point-class-not-found adds the second error.
  assert.match(app.description!, /^win10 · 2 errors, 1 warning/);
  assert.deepEqual(app.children.map((c) => [c.label, c.description]), [['Task classes', '2'], ['Manifest declarations', '2'], ['Registrations', '1']]);
  const good = find(roots, 'GoodTask');
  assert.equal(good.icon, 'symbol-class');
  assert.equal(good.contextValue, 'bgtask.taskClass');
  assert.equal(good.location?.range.start.line, 4);
  assert.equal(good.description, 'Tasks · csharp');
  const bad = find(roots, 'UnsealedTask');
  assert.equal(bad.icon, 'error');
  assert.equal(bad.iconColor, 'problemsErrorIcon.foreground');
  assert.equal(bad.contextValue, 'bgtask.taskClass.problems');
  assert.equal(bad.children[0].description, 'task-class-not-sealed');
  assert.equal(bad.children[0].location?.range.start.line, 12);
  const reg = find(roots, 'Good');
  assert.match(reg.description!, /^SystemTrigger\(TimeZoneChange\) \+ InternetAvailable · 1 warning, 2 info$/);
  assert.match(reg.tooltip!, /Good → Tasks\.GoodTask/);
  const decl = find(roots, 'Tasks.MissingTask');
  assert.equal(decl.description, 'timer · 1 error, 1 info');
});

test('node ids are unique and stable across rebuilds', async () => {
  const snap = await staticSnapshot();
  const ids = (nodes: TreeNode[]): string[] => nodes.flatMap((n) => [n.id, ...ids(n.children)]);
  const a = ids(buildTree([snap]));
  assert.equal(new Set(a).size, a.length);
  assert.deepEqual(ids(buildTree([await staticSnapshot()])), a);
});

test('a live source adds registrations with their state under the app, or under "Task host"', async () => {
  const snap = await staticSnapshot();
  const live = {
    live: [
      { appRoot: FIXTURE, registrations: [
        { name: 'Good', trigger: 'SystemTrigger(TimeZoneChange)', state: 'running' as const, progress: 40 },
        { name: 'Net', state: 'latched' as const, waitingFor: ['InternetAvailable'] },
      ] },
      { registrations: [{ name: 'Other', state: 'canceled' as const, reason: 'Abort' }] },
    ],
  };
  const roots = buildTree([snap, live]);
  const group = find(roots, 'Live registrations');
  assert.deepEqual(group.children.map((c) => [c.label, c.description, c.icon, c.contextValue]), [
    ['Good', 'SystemTrigger(TimeZoneChange) · running 40%', 'sync~spin', 'bgtask.live.running'],
    ['Net', 'latched, waiting for InternetAvailable', 'watch', 'bgtask.live.latched'],
  ]);
  const host = roots[roots.length - 1];
  assert.equal(host.label, 'Task host');
  assert.equal(host.children[0].description, 'canceled (Abort)');
  assert.equal(liveDescription({ name: 'x', state: 'idle' }), 'idle');
  assert.equal(liveDescription({ name: 'x', state: 'completed' }), 'completed');
});

test('no sources, or a source with nothing: an empty tree (the view shows its welcome)', () => {
  assert.deepEqual(buildTree([]), []);
  assert.deepEqual(buildTree([undefined, { apps: [] }]), []);
});

test('each finding is filed under the registration it is about, even where two registrations are built side by side', async () => {
  const engine = new Engine();
  const broken = path.join(REPO, 'examples', 'broken', 'uwp-csharp').split(path.sep).join('/');
  await loadWorkspace(engine, [broken]);
  const roots = buildTree([{ apps: registrationsModel(engine).apps }], (p) => path.posix.relative(broken, p));
  const app = roots.find((a) => a.label === 'App')!;
  const regs = app.children.find((g) => g.label === 'Registrations')!.children;
  for (const r of regs) {
    for (const p of r.children) {
      const other = regs.find((o) => o !== r && p.tooltip!.includes(`'${o.label}'`));
      assert.ok(!other || p.tooltip!.includes(`'${r.label}'`), `${r.label} holds a problem about ${other?.label}: ${p.tooltip}`);
    }
  }
  const second = regs.find((r) => r.label === 'OnDemand2')!;
  assert.ok(second.children.some((p) => p.description === 'single-instance-trigger-reused'), JSON.stringify(second.children.map((c) => c.tooltip)));
});

test('problem labels are short (the whole message is in the tooltip); app labels are the app folder, its location in the description', () => {
  const long = "The app never calls BackgroundExecutionManager.RequestAccessAsync() and Windows requires it before any registration; call it before registering 'OnDemand1'.";
  assert.equal(shortMessage(long), 'The app never calls BackgroundExecutionManager.RequestAcces…');
  assert.ok(shortMessage(long).length <= 60);
  assert.equal(shortMessage("EntryPoint 'Tasks.X' names no class."), "EntryPoint 'Tasks.X' names no class");
  const roots = buildTree([{ apps: [{ root: '/w/examples/broken/uwp-csharp/App', profile: 'win10', manifest: { uri: 'file:///w/examples/broken/uwp-csharp/App/Package.appxmanifest', path: '/w/examples/broken/uwp-csharp/App/Package.appxmanifest' }, taskClasses: [], declarations: [], registrations: [], problems: [] }] }], (p) => path.posix.relative('/w', p));
  assert.equal(roots[0].label, 'uwp-csharp/App');
  assert.equal(roots[0].description, 'win10 · examples/broken');
});
