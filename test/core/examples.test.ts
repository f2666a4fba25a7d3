// The example apps are the product's showcase and the other suites' fixtures: each must check clean
// of warnings and errors, and examples/broken must make every rule of the catalog fire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkPath, REPO } from '../helpers/ruleHarness';
import { CATALOG } from '../helpers/catalog';

const EXAMPLES = ['csharp-uwp', 'cppcx-win81', 'winjs', 'appsdk-com'];

for (const name of EXAMPLES) {
  test(`examples/${name} checks clean of warnings and errors`, async () => {
    const { findings, engine } = await checkPath(path.join(REPO, 'examples', name));
    const serious = findings.filter((f) => f.severity !== 'info');
    assert.deepEqual(serious.map((f) => `${path.relative(REPO, f.path)}:${f.start.line + 1} ${f.ruleId}: ${f.message}`), []);
    assert.ok(engine.workspace().apps.some((a) => a.manifest), 'the example has an app with a manifest');
    const tasks = engine.workspace().files.flatMap((f) => [...f.taskClasses, ...f.jsTasks]);
    assert.ok(tasks.length > 0, 'the example has background tasks the engine sees');
  });
}

test('examples/broken makes every rule fire', async () => {
  const dir = path.join(REPO, 'examples', 'broken');
  assert.ok(fs.existsSync(dir), 'examples/broken exists');
  const { findings } = await checkPath(dir);
  const fired = new Set(findings.map((f) => f.ruleId));
  assert.deepEqual(CATALOG.filter((id) => !fired.has(id)), [], 'rules that never fire in examples/broken');
});
