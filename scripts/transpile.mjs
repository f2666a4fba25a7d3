// Transpiles src/ and test/ TypeScript to out/ (CommonJS, same layout, no bundling), for the test
// runner and the benchmarks. Fixture folders and the VS Code host harness are left alone.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

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

/** Transpile everything; returns the source paths. */
export function transpile() {
  const sources = [...walk(path.join(root, 'src')), ...walk(path.join(root, 'test'))];
  // out/ is written over, not removed first: a second test run started meanwhile (two terminals, an
  // editor's test task) keeps finding its files.
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
  });
  return sources;
}

export const outPath = (source) => path.join(root, 'out', path.relative(root, source)).replace(/\.ts$/, '.js');
