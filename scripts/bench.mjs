// `npm run bench`: builds, generates the benchmark workspace once (.bench/), then runs every
// test/bench/*.bench.ts in its own process and prints each figure beside its target and baseline.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { outPath, root, transpile } from './transpile.mjs';

const only = process.argv.slice(2);
execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
const sources = transpile();
const benches = sources.filter((f) => f.endsWith('.bench.ts')).filter((f) => !only.length || only.some((o) => f.includes(o)));

let missed = 0;
for (const bench of benches) {
  const name = path.basename(bench, '.bench.ts');
  console.log(`\n== ${name} ==`);
  const child = spawnSync(process.execPath, ['--expose-gc', '-e', `require(${JSON.stringify(outPath(bench))}).run({ repo: ${JSON.stringify(root)} }).then((rows) => { process.stdout.write('\\nBENCH-RESULT ' + JSON.stringify(rows) + '\\n'); process.exit(0); }, (e) => { console.error(e); process.exit(1); })`], { cwd: root, encoding: 'utf8', env: { ...process.env, BGTASK_REPO: root }, maxBuffer: 64 * 1024 * 1024 });
  process.stderr.write(child.stderr);
  const line = child.stdout.split('\n').find((l) => l.startsWith('BENCH-RESULT '));
  if (child.status !== 0 || !line) {
    console.log(child.stdout);
    console.log(`bench ${name} failed (exit ${child.status})`);
    missed++;
    continue;
  }
  for (const row of JSON.parse(line.slice('BENCH-RESULT '.length))) {
    const verdict = row.ok === undefined ? '' : row.ok ? 'ok' : 'MISSED';
    if (row.ok === false) missed++;
    console.log(`${row.name.padEnd(58)} ${String(row.value).padStart(10)} ${(row.unit ?? '').padEnd(4)} ${row.target ? `target ${row.target}`.padEnd(18) : ''.padEnd(18)} ${verdict}${row.note ? `  (${row.note})` : ''}`);
  }
}
fs.mkdirSync(path.join(root, '.bench'), { recursive: true });
console.log(`\n${missed ? `${missed} target(s) missed or failed` : 'all targets met'}`);
