#!/usr/bin/env node
// Grammar tests (vscode-tmgrammar-test) for syntaxes/*.tmLanguage.json: runs every test/grammar/*.test.*
// and ends with `N passed, N failed` (one per test file); exits non-zero on a failure.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'package.json'));
const cli = path.join(path.dirname(require.resolve('vscode-tmgrammar-test/package.json')), 'dist', 'unit.js');
const grammars = fs.readdirSync(path.join(root, 'syntaxes')).filter((f) => f.endsWith('.tmLanguage.json')).flatMap((f) => ['-g', path.join(root, 'syntaxes', f)]);
const cases = fs.readdirSync(here).filter((f) => /\.test\.(?!mjs$)/.test(f)).map((f) => path.join('test/grammar', f));
let passed = 0;
let failed = 0;
for (const c of cases) {
  const r = spawnSync(process.execPath, [cli, ...grammars, c], { cwd: root, encoding: 'utf8' });
  process.stdout.write(r.stdout + r.stderr);
  if (r.status === 0 && !/✖|failed/.test(r.stdout)) passed++;
  else failed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || !passed ? 1 : 0);
