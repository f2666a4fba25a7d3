// `npm run demo`: builds the CLI, checks the main example (clean) and the broken example (every
// rule firing), and replays the main example's host scenario when the task host is built.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
const cli = path.join(root, 'dist', 'cli.js');
const run = (title, args) => {
  console.log(`\n$ bgtask ${args.join(' ')}    # ${title}`);
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' }).status;
};

let failed = false;
if (run('the main example checks clean', ['check', 'examples/csharp-uwp']) !== 0) failed = true;
const broken = run('every rule fires here (exit status 1 is expected)', ['check', 'examples/broken']);
if (broken !== 1) failed = true;
const scenario = path.join(root, 'examples', 'csharp-uwp', 'demo.bgscenario.json');
if (fs.existsSync(scenario)) {
  if (run('replay the task host scenario', ['host', 'examples/csharp-uwp', '--scenario', path.relative(root, scenario)]) !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
