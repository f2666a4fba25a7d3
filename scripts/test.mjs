// `npm test`: type-check, bundle, transpile sources and tests to out/, then run every *.test.js with
// Node's test runner (its summary is what CI reads). `npm test -- <substring>` runs matching tests
// only and skips the type-check. The full run ends with the extension's integration suite in a real
// VS Code (test/vscode-host/run.mjs: it installs its own VS Code server and browser on first use).
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { outPath, root, transpile } from './transpile.mjs';

const only = process.argv.slice(2);

function step(name, fn) {
  const t = Date.now();
  const result = fn();
  console.log(`bgtask test: ${name} (${Date.now() - t} ms)`);
  return result;
}

if (!only.length) step('typecheck', () => execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], { cwd: root, stdio: 'inherit' }));
step('bundle', () => execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' }));
const sources = step('transpile', transpile);

const tests = sources
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .map(outPath);

if (!tests.length) {
  console.log(`bgtask test: no test file matches ${only.join(' ')}`);
  process.exit(only.length ? 0 : 1);
}
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...tests], { cwd: root, stdio: 'inherit', env: { ...process.env, BGTASK_REPO: root } });
process.exitCode = run.status ?? 1;

if (!only.length || only.includes('grammar')) {
  // TextMate grammar tests (vscode-tmgrammar-test, wrapped to end with `N passed, N failed`).
  const grammar = step('grammar tests', () => spawnSync(process.execPath, [path.join(root, 'test/grammar/run.mjs')], { cwd: root, stdio: 'inherit' }));
  if (grammar.status !== 0) process.exitCode = 1;
}

if (!only.length) {
  // Its own runner (mocha in a VS Code extension host): it prints `N passed, N failed` and exits non-zero on a failure.
  const integration = step('vscode integration suite', () => spawnSync(process.execPath, [path.join(root, 'test/vscode-host/run.mjs')], { cwd: root, stdio: 'inherit' }));
  if (integration.status !== 0) process.exitCode = 1;
}
