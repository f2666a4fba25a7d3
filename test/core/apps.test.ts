// Apps never mix: two apps in one folder with classes of the same full name each see only their own
// classes, declarations and registrations; a Shared project (.projitems) belongs to every app that
// imports it; project paths compare case-insensitively; constants resolve by scope (issue 9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkPath, repoPath } from '../helpers/ruleHarness';
import { emptyFacts } from '../../src/core/facts/types';
import { linkRegistrations } from '../../src/core/workspace/apps';

const fixture = (...parts: string[]) => repoPath('test', 'core', 'fixtures', ...parts);
const rel = (dir: string, p: string) => path.relative(dir, p).split(path.sep).join('/');

test('two apps in one folder: each app has its own classes with the same full name', async () => {
  const dir = fixture('two-apps');
  const { engine, findings } = await checkPath(dir);
  const apps = engine.workspace().apps.filter((a) => a.manifest);
  assert.equal(apps.length, 2);
  for (const app of apps) {
    const name = rel(dir, app.manifest!.path).split('/')[0];
    const classFiles = [...app.taskClassesByFullName.values()].flat().map((e) => rel(dir, e.file.path));
    assert.ok(classFiles.every((f) => f.startsWith(`${name}Tasks/`)), `${name} sees ${classFiles.join(', ')}`);
    assert.ok(app.registrations.every((r) => rel(dir, r.file.path).startsWith(`${name}/`)), `${name}'s registrations stay in ${name}`);
  }
  const got = findings.filter((f) => f.severity !== 'info').map((f) => `${rel(dir, f.path)} ${f.ruleId} ${f.message.slice(0, 60)}`).sort();
  // Alpha declares and registers nothing else; its manifest names CleanupTask, which only Beta builds.
  assert.ok(got.some((g) => g.startsWith('Alpha/Package.appxmanifest manifest-entry-point-class-not-found') && g.includes('Tasks.CleanupTask')), got.join('\n'));
  // Beta's SyncTask has no Run: Alpha's SyncTask (which has one) must not hide it.
  assert.ok(got.some((g) => g.startsWith('BetaTasks/Tasks.cs task-run-missing')), got.join('\n'));
  assert.ok(!got.some((g) => g.startsWith('Beta/Package.appxmanifest manifest-entry-point-class-not-found')), got.join('\n'));
  assert.ok(!got.some((g) => g.startsWith('AlphaTasks/')), got.join('\n'));
});

test('a Shared project imported by two apps belongs to both; references match paths case-insensitively', async () => {
  const dir = fixture('shared-project');
  const { engine, findings } = await checkPath(dir);
  const owners = engine.workspace().apps.filter((a) => a.files.some((f) => f.path.endsWith('/App.Shared/Registrar.cs')));
  assert.deepEqual(owners.map((a) => rel(dir, a.manifest?.path ?? '(none)')).sort(), ['App.Windows/Package.appxmanifest', 'App.WindowsPhone/Package.appxmanifest']);
  for (const app of owners) assert.ok(app.projects.some((p) => p.path.endsWith('/Tasks/Tasks.csproj')), 'tasks\\tasks.csproj and ..\\TASKS\\Tasks.csproj name Tasks/Tasks.csproj');
  assert.deepEqual(findings.filter((f) => f.ruleId === 'task-project-not-referenced'), []);
  // The shared registrar never asks for access: reported (once) in the shared file.
  assert.deepEqual(findings.filter((f) => f.ruleId === 'request-access-missing').map((f) => rel(dir, f.path)), ['App.Shared/Registrar.cs']);
});

test('constants resolve by scope: each class its own TaskName, then namespace, usings, else only when unambiguous', () => {
  const a = emptyFacts('/w/PageA.cs', 'csharp');
  a.constants = { 'App.PageA.TaskName': 'TaskA', 'App.Shared.Names.Common': 'Common' };
  const b = emptyFacts('/w/PageB.cs', 'csharp');
  b.constants = { 'App.PageB.TaskName': 'TaskB' };
  b.usings = ['App.Shared'];
  const ref = (name: string, scope: string | undefined, at: number) => ({ kind: 'reference' as const, name, span: { start: at, end: at + 1 }, scope });
  const reg = (name: ReturnType<typeof ref>) => ({ span: name.span, builderKind: 'winrt' as const, conditions: [], registerGuarded: false, allTasksChecked: true, completedHandler: true, statementStart: 0, indent: '', name });
  a.registrations.push(reg(ref('TaskName', 'App.PageA', 1)), reg(ref('TaskName', 'App.PageA.Nested', 2)));
  b.registrations.push(reg(ref('TaskName', 'App.PageB', 3)), reg(ref('PageA.TaskName', 'App.PageB', 4)), reg(ref('Names.Common', 'Other.Page', 5)));
  const c = emptyFacts('/w/register.js', 'javascript');
  c.registrations.push(reg(ref('TaskName', undefined, 6)));
  const names = linkRegistrations([a, b, c]).map((e) => (e.registration.name?.kind === 'string' ? e.registration.name.value : `?${e.registration.name?.kind === 'reference' ? e.registration.name.name : ''}`));
  assert.deepEqual(names, ['TaskA', 'TaskA', 'TaskB', 'TaskA', 'Common', '?TaskName']);
});
