// Deterministic, bounded fuzzing of every extractor and the rules: thousands of mutations of real
// inputs (fixtures and examples). No exception may escape, and every fact span and finding range
// must lie inside its file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import type { FileFacts, FileKind, Span } from '../../src/core/facts/types';
import { extractFacts, fileKindOf } from '../../src/core/parsers/extract';
import { loadAllGrammars } from '../../src/core/parsers/treeSitter';
import { REPO } from '../helpers/ruleHarness';

const MUTATIONS_PER_LANGUAGE = Number(process.env.BGTASK_FUZZ_N ?? 1000);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = ['{', '}', '(', ')', '"', "'", '/*', '*/', '//', '<', '>', '</', '/>', '=', ';', '\n', '\r\n', '\u0000', '\uFEFF', '🚀', 'é', '\\', '`', '${', '&', '&amp;', '<!--', '-->', '<![CDATA[', 'IBackgroundTask', 'GetDeferral()', 'new BackgroundTaskBuilder()', 'SetTrigger(', 'sealed', 'async', 'await ', 'ref new', '^', 'co_await ', 'EntryPoint="', '<Task Type="', 'close()', 'WebUIBackgroundTaskInstance.current', '#if X', '@"', '$"{'];

function mutate(text: string, next: () => number): string {
  const pick = (n: number) => Math.floor(next() * n);
  let out = text;
  const steps = 1 + pick(4);
  for (let i = 0; i < steps; i++) {
    const at = pick(out.length + 1);
    switch (pick(6)) {
      case 0: // delete a range
        out = out.slice(0, at) + out.slice(Math.min(out.length, at + 1 + pick(40)));
        break;
      case 1: // insert a token
        out = out.slice(0, at) + TOKENS[pick(TOKENS.length)] + out.slice(at);
        break;
      case 2: { // duplicate a range elsewhere
        const from = pick(out.length + 1);
        const chunk = out.slice(from, from + pick(80));
        out = out.slice(0, at) + chunk + out.slice(at);
        break;
      }
      case 3: // truncate
        out = out.slice(0, at);
        break;
      case 4: // random characters
        out = out.slice(0, at) + String.fromCharCode(...Array.from({ length: 1 + pick(8) }, () => pick(0x3000))) + out.slice(at);
        break;
      default: { // swap two lines
        const lines = out.split('\n');
        const a = pick(lines.length);
        const b = pick(lines.length);
        [lines[a], lines[b]] = [lines[b], lines[a]];
        out = lines.join('\n');
      }
    }
  }
  return out;
}

function seedFiles(): Map<FileKind, Array<{ file: string; text: string }>> {
  const seeds = new Map<FileKind, Array<{ file: string; text: string }>>();
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(full);
        continue;
      }
      const kind = fileKindOf(full);
      if (!kind) continue;
      const stat = fs.statSync(full);
      if (stat.size > 64 * 1024) continue;
      const text = fs.readFileSync(full, 'utf8');
      const family = kind === 'cppwinrt' ? 'cppcx' : kind;
      seeds.set(family, [...(seeds.get(family) ?? []), { file: full, text }]);
    }
  };
  for (const dir of ['examples', 'test/parsers/fixtures', 'src/core/rules', 'test/lsp/fixtures']) walk(path.join(REPO, dir));
  return seeds;
}

function spansOf(facts: FileFacts): Span[] {
  const spans: Span[] = [];
  const visit = (value: unknown) => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    const o = value as Record<string, unknown>;
    if (typeof o.start === 'number' && typeof o.end === 'number' && Object.keys(o).length === 2) spans.push(o as unknown as Span);
    for (const v of Object.values(o)) visit(v);
  };
  visit(facts);
  return spans;
}

test('mutated inputs never throw and every span stays inside its file', async () => {
  await loadAllGrammars();
  const seeds = seedFiles();
  let total = 0;
  for (const [kind, files] of seeds) {
    const next = rng(0xb97a5 + kind.length * 7919);
    const engine = new Engine();
    for (let i = 0; i < MUTATIONS_PER_LANGUAGE; i++) {
      const seed = files[i % files.length];
      const text = mutate(seed.text, next);
      const name = `/fuzz/${kind}/${i % 7}/${path.basename(seed.file)}`;
      let facts: FileFacts;
      try {
        facts = extractFacts(name, fileKindOf(name)!, text);
      } catch (error) {
        assert.fail(`extractor threw on a mutation of ${seed.file} (#${i}): ${(error as Error).stack}\n--- input ---\n${text.slice(0, 2000)}`);
      }
      for (const span of spansOf(facts)) {
        assert.ok(span.start >= 0 && span.end <= text.length && span.start <= span.end, `span ${JSON.stringify(span)} outside 0..${text.length} in a mutation of ${seed.file} (#${i})`);
      }
      engine.setFile(name, text);
      if (i % 50 === 49) {
        for (const f of engine.check()) {
          const len = engine.textOf(f.path)?.length ?? 0;
          assert.ok(f.span.start >= 0 && f.span.end <= len, `finding ${f.ruleId} ${JSON.stringify(f.span)} outside its file`);
          assert.notEqual(f.severity, undefined);
          assert.ok(!f.message.startsWith('rule '), `a rule threw: ${f.message}`);
        }
      }
      total++;
    }
  }
  assert.ok(total >= 1000, `fuzzed ${total} inputs from ${[...seeds.keys()].join(', ')}`);
});
