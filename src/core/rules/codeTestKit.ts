// Test support for the code rules' tests (not shipped): fixture paths by rule id, and the fix round
// trip: apply a finding's fix to a temp copy of the fixture, write it, and re-check.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineOptions } from '../engine';
import { applyFix, copyToTemp, findingsOf, repoPath } from '../../../test/helpers/ruleHarness';

export const fixture = (id: string, ...parts: string[]) => repoPath('src', 'core', 'rules', id, 'fixtures', ...parts);

/** Apply the fix of the finding covering `covers` (or the first); returns the re-check and the new texts by fixture-relative path. */
export async function fixRoundTrip(id: string, dir: string, covers?: string, options: EngineOptions = {}) {
  const before = await findingsOf(id, dir, options);
  const finding = covers === undefined ? before[0] : before.find((f) => fs.readFileSync(f.path, 'utf8').slice(f.span.start, f.span.end) === covers);
  assert.ok(finding, `no finding of ${id} covering ${covers ?? '(any)'}`);
  const tmp = copyToTemp(dir);
  const texts = new Map<string, string>();
  for (const [p, text] of applyFix(finding)) {
    const rel = path.relative(dir, p).split(path.sep).join('/');
    fs.writeFileSync(path.join(tmp, rel), text);
    texts.set(rel, text);
  }
  const after = await findingsOf(id, tmp, options);
  fs.rmSync(tmp, { recursive: true, force: true });
  return { before, after, texts };
}
