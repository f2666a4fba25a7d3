// The "Background Tasks" tree built from source snapshots: app/group/item/problem nodes, codicons and
// descriptions, go-to locations, and live registrations from a second (task host) source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import { loadWorkspace } from '../../src/core/workspace/scan';
import { registrationsModel } from '../../src/server/registrationsModel';
import { buildTree, liveDescription, type TreeNode } from '../../src/extension/treeView/model';
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
  const good = find(roots, 'Tasks.GoodTask');
  assert.equal(good.icon, 'symbol-class');
  assert.equal(good.contextValue, 'bgtask.taskClass');
  assert.equal(good.location?.range.start.line, 4);
  const bad = find(roots, 'Tasks.UnsealedTask');
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
