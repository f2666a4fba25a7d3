// Bundles each process into one CommonJS file under dist/ and copies the tree-sitter wasm beside them.
// `node esbuild.mjs [--production] [--watch]`
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = path.dirname(new URL(import.meta.url).pathname);

// One entry per process; each exists only once its part of the project does.
const entries = [
  { in: 'src/cli/main.ts', out: 'cli' },
  { in: 'src/server/main.ts', out: 'server' },
  { in: 'src/extension/extension.ts', out: 'extension' },
  { in: 'src/debug/adapter.ts', out: 'debugAdapter' },
  { in: 'src/host/sandbox/runner.ts', out: 'sandboxRunner' },
].filter((e) => fs.existsSync(path.join(root, e.in)));

const wasm = [
  ['web-tree-sitter', 'web-tree-sitter.wasm'],
  ['tree-sitter-c-sharp', 'tree-sitter-c_sharp.wasm'],
  ['tree-sitter-cpp', 'tree-sitter-cpp.wasm'],
  ['tree-sitter-typescript', 'tree-sitter-typescript.wasm'],
  ['tree-sitter-typescript', 'tree-sitter-tsx.wasm'],
];

const copyWasm = {
  name: 'copy-wasm',
  setup(build) {
    build.onEnd(() => {
      fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
      for (const [pkg, file] of wasm) {
        const from = path.join(root, 'node_modules', pkg, file);
        fs.copyFileSync(from, path.join(root, 'dist', file));
      }
    });
  },
};

const options = {
  absWorkingDir: root,
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', 'esbuild'],
  // The ESM build of web-tree-sitter uses import.meta.url, which CJS output silently turns into {}.
  // jsonc-parser's UMD main requires its parts at run time, which a bundle cannot follow: use its ESM build.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter'), 'jsonc-parser': require.resolve('jsonc-parser/lib/esm/main.js') },
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  plugins: [copyWasm],
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log('bgtask: watching');
} else {
  await esbuild.build(options);
  const cli = path.join(root, 'dist', 'cli.js');
  if (fs.existsSync(cli)) {
    const body = fs.readFileSync(cli, 'utf8');
    if (!body.startsWith('#!')) fs.writeFileSync(cli, '#!/usr/bin/env node\n' + body);
    fs.chmodSync(cli, 0o755);
  }
}
