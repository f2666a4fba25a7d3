// The installable CLI: `npm pack` makes a package whose `bgtask` bin works in a fresh project with no
// devDependencies (the bundle and the wasm grammars only), installed offline from the tarball.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/ruleHarness';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
let dir: string;
let tarball: string;

function run(cmd: string, args: string[], cwd: string) {
  const { FORCE_COLOR, NO_COLOR, ...env } = process.env;
  void FORCE_COLOR;
  void NO_COLOR;
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], 'package.json has no dependencies: everything the CLI runs is bundled (tools and bundled libraries are devDependencies)');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-pack-'));
  const packed = run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], REPO);
  assert.equal(packed.code, 0, packed.stderr);
  const info = JSON.parse(packed.stdout)[0] as { filename: string; files: Array<{ path: string }> };
  tarball = path.join(dir, info.filename);
  const files = info.files.map((f) => f.path);
  assert.ok(files.includes('dist/cli.js') && files.includes('dist/tree-sitter-c_sharp.wasm') && files.includes('docs/rules/request-access-missing.md'), files.join(', '));
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.map') || f === 'dist/extension.js'), files.join(', '));
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the packed CLI installs offline into a fresh project and checks there with npx bgtask', () => {
  const project = path.join(dir, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'ci-project', version: '1.0.0', private: true }));
  const installed = run(npm, ['install', '--offline', '--no-save', tarball], project);
  assert.equal(installed.code, 0, installed.stderr);
  assert.deepEqual(fs.readdirSync(path.join(project, 'node_modules')).filter((n) => !n.startsWith('.')), ['bgtask'], 'no dependency comes with it');
  fs.cpSync(path.join(REPO, 'examples', 'csharp-uwp'), path.join(project, 'app'), { recursive: true });
  fs.cpSync(path.join(REPO, 'examples', 'broken', 'uwp-csharp'), path.join(project, 'broken'), { recursive: true });
  const clean = run(npx, ['--offline', 'bgtask', 'check', 'app'], project);
  assert.equal(clean.code, 0, clean.stderr + clean.stdout);
  assert.match(clean.stderr, /0 errors, 0 warnings/);
  const broken = run(npx, ['--offline', 'bgtask', 'check', 'broken', '--format', 'compact'], project);
  assert.equal(broken.code, 1, broken.stderr);
  assert.match(broken.stdout, /^broken\/Tasks\/Tasks\.cs:\d+:\d+: error task-class-not-sealed: /m);
  const version = run(npx, ['--offline', 'bgtask', '--version'], project);
  assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
  const hostHelp = run(npx, ['--offline', 'bgtask', 'host', '--help'], project);
  assert.equal(hostHelp.code, 0, hostHelp.stderr);
  // A TypeScript task runs from the installed package: its transpiler and the sandbox runner are bundled.
  const tsApp = path.join(project, 'tsapp');
  fs.mkdirSync(tsApp);
  fs.writeFileSync(path.join(tsApp, 'task.ts'), 'interface Instance { getDeferral(): { complete(): void }; progress: number }\nexport function run(instance: Instance): void {\n  const deferral = instance.getDeferral();\n  setTimeout(() => { instance.progress = 100; deferral.complete(); }, 10);\n}\n');
  fs.writeFileSync(path.join(tsApp, 'ts.bgscenario.json'), JSON.stringify({ steps: [{ register: { name: 'Ts', entryPoint: 'task.ts', trigger: 'TimeZoneChange' } }, { fire: 'TimeZoneChange' }, { advance: '1s' }, { expect: { event: 'completed', task: 'Ts' } }] }));
  const host = run(npx, ['--offline', 'bgtask', 'host', 'tsapp', '--scenario', 'tsapp/ts.bgscenario.json'], project);
  assert.equal(host.code, 0, host.stderr + host.stdout);
  assert.match(host.stdout, /started\s+Ts .*runner=js/);
  assert.match(host.stdout + host.stderr, /1 of 1 expectation passed/);
});
