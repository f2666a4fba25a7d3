// The .vsix: vsce (3.9.2) lists only allowlisted files (.vscodeignore), at most 10 .js files, the
// bundles, snippets, schema and tree-sitter wasm, and the packaged file stays under 2.5 MB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/ruleHarness';

const VSCE = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^dist\/[^/]+\.(js|wasm)$/, /^docs\/rules\/[^/]+\.md$/, /^snippets\//, /^syntaxes\//, /^schemas\//, /^media\//];
const MAX_BYTES = 2.5 * 1024 * 1024;
const entryReady = fs.existsSync(path.join(REPO, 'src', 'extension', 'extension.ts')) && fs.existsSync(path.join(REPO, 'dist', 'extension.js'));

function vsce(...args: string[]): string {
  return execFileSync(process.execPath, [VSCE, ...args], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('vsce ls: only allowlisted files, ≤ 10 .js, snippets, schema and wasm included', () => {
  const files = vsce('ls', '--no-dependencies').split('\n').map((l) => l.trim()).filter(Boolean);
  assert.deepEqual(files.filter((f) => !ALLOWED.some((re) => re.test(f))), [], 'files outside the allowlist');
  const js = files.filter((f) => f.endsWith('.js'));
  assert.ok(js.length <= 10, `${js.length} .js files: ${js.join(', ')}`);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-c_sharp.wasm', 'dist/tree-sitter-cpp.wasm', 'dist/tree-sitter-typescript.wasm', 'schemas/bgscenario.schema.json', 'snippets/csharp.json', 'snippets/appxmanifest.json']) {
    assert.ok(files.includes(f), `${f} is packaged`);
  }
  assert.ok(!files.some((f) => f.endsWith('.map') || f.startsWith('src/') || f.includes('node_modules/')));
});

test('every file package.json contributes is in the repository', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const paths = [...(pkg.contributes?.snippets ?? []).map((s: { path: string }) => s.path), ...(pkg.contributes?.jsonValidation ?? []).map((j: { url: string }) => j.url)];
  assert.ok(paths.length >= 6);
  for (const p of paths) assert.ok(fs.existsSync(path.join(REPO, p)), `${p} exists`);
  const views = pkg.contributes.views.explorer.map((v: { id: string }) => v.id);
  assert.ok(views.includes('bgtask.backgroundTasks'));
  assert.ok(pkg.contributes.viewsWelcome.some((w: { view: string; contents: string }) => w.view === 'bgtask.backgroundTasks' && w.contents.includes('command:bgtask.addBackgroundTask')));
  assert.equal(pkg.devDependencies['@vscode/vsce'], '3.9.2');
});

test('vsce package: a .vsix under 2.5 MB', { skip: entryReady ? false : 'src/extension/extension.ts is not built yet (dist/extension.js missing)' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-vsix-'));
  try {
    const out = path.join(dir, 'bgtask.vsix');
    vsce('package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out);
    const size = fs.statSync(out).size;
    console.log(`bgtask.vsix: ${(size / 1024 / 1024).toFixed(2)} MB`);
    assert.ok(size <= MAX_BYTES, `${size} bytes`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
