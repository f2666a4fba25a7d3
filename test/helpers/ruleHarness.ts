// Shared helpers for rule tests: run the real engine over a fixture folder (real files, real
// parsers) and assert findings by the exact text they cover, so expectations read like the fixture.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine, type EngineOptions, type LocatedFinding } from '../../src/core/engine';
import type { Span } from '../../src/core/facts/types';
import type { Rule } from '../../src/core/rules/types';
import { ALL_RULES } from '../../src/core/rules/registry';
import { loadWorkspace } from '../../src/core/workspace/scan';

export const REPO = process.env.BGTASK_REPO ?? path.resolve(__dirname, '../../..');

/** Absolute path of a repository-relative path. */
export const repoPath = (...parts: string[]) => path.join(REPO, ...parts);

/** Run every rule (or only `rules`) over a folder or file; returns located findings. */
export async function checkPath(target: string, options: EngineOptions = {}, rules: readonly Rule[] = ALL_RULES): Promise<{ engine: Engine; findings: LocatedFinding[] }> {
  const engine = new Engine(options, rules);
  const scan = await loadWorkspace(engine, [target]);
  assert.deepEqual(scan.errors, [], `fixture path problems: ${JSON.stringify(scan.errors)}`);
  return { engine, findings: engine.check() };
}

/** Findings of one rule over a fixture folder. */
export async function findingsOf(ruleId: string, target: string, options: EngineOptions = {}): Promise<LocatedFinding[]> {
  const { findings } = await checkPath(target, options);
  return findings.filter((f) => f.ruleId === ruleId);
}

/** The span of the n-th occurrence of `needle` in a file's text. */
export function spanOf(text: string, needle: string, occurrence = 0): Span {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' occurrence ${occurrence} not found`);
  }
  return { start: at, end: at + needle.length };
}

export interface Expected {
  /** File name relative to the fixture folder. */
  file: string;
  /** The exact text the finding must cover. */
  covers: string;
  occurrence?: number;
}

/** Assert that findings are exactly the expected ones (same files and exact ranges), in any order. */
export function assertFindings(findings: readonly LocatedFinding[], dir: string, expected: readonly Expected[]): void {
  const actual = findings.map((f) => `${path.relative(dir, f.path).split(path.sep).join('/')}@${f.span.start}-${f.span.end}`).sort();
  const wanted = expected
    .map((e) => {
      const text = fs.readFileSync(path.join(dir, e.file), 'utf8').replace(/^\uFEFF/, '');
      const span = spanOf(text, e.covers, e.occurrence ?? 0);
      return `${e.file}@${span.start}-${span.end}`;
    })
    .sort();
  assert.deepEqual(actual, wanted, `findings: ${JSON.stringify(findings.map((f) => ({ file: path.relative(dir, f.path), rule: f.ruleId, at: `${f.start.line + 1}:${f.start.character + 1}`, message: f.message })), null, 1)}`);
}

/** Apply a finding's fix to the files on disk copies (in memory) and return the new texts by path. */
export function applyFix(finding: LocatedFinding, read: (p: string) => string = (p) => fs.readFileSync(p, 'utf8')): Map<string, string> {
  assert.ok(finding.fix, `finding ${finding.ruleId} has no fix`);
  const out = new Map<string, string>();
  const byFile = new Map<string, typeof finding.fix.edits>();
  for (const e of finding.fix.edits) byFile.set(e.path, [...(byFile.get(e.path) ?? []), e]);
  for (const [file, edits] of byFile) {
    let text = out.get(file) ?? read(file);
    for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
    out.set(file, text);
  }
  return out;
}

/** Copy a fixture folder to a temp folder (to apply fixes and re-check). */
export function copyToTemp(dir: string): string {
  const target = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'bgtask-fixture-'));
  fs.cpSync(dir, target, { recursive: true });
  return target;
}
