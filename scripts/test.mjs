// `npm test`: type-check, bundle, transpile sources and tests to out/, then run every *.test.js with
// Node's test runner (its summary is what CI reads). Extra suites with their own runners run after.
import { execFileSync, spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const only = process.argv.slice(2);

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'fixtures' || entry.name === 'vscode-host') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function step(name, fn) {
  const t = Date.now();
  fn();
  console.log(`bgtask test: ${name} (${Date.now() - t} ms)`);
}

if (!only.length) step('typecheck', () => execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], { cwd: root, stdio: 'inherit' }));
step('bundle', () => execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' }));

const sources = [...walk(path.join(root, 'src')), ...walk(path.join(root, 'test'))];
fs.rmSync(path.join(root, 'out'), { recursive: true, force: true });
step('transpile', () =>
  esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: sources,
    outdir: 'out',
    outbase: '.',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
  }),
);

const tests = sources
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .map((f) => path.join(root, 'out', path.relative(root, f)).replace(/\.ts$/, '.js'));

const run = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...tests], { cwd: root, stdio: 'inherit', env: { ...process.env, BGTASK_REPO: root } });
process.exitCode = run.status ?? 1;
