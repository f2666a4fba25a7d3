// The rule catalog is complete and documented: every id of RULES.md is implemented, has its own
// folder with a test and good/bad fixtures, a user page under docs/rules/, and a row in the README.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../src/core/rules/registry';
import { CATALOG } from '../helpers/catalog';
import { REPO } from '../helpers/ruleHarness';

test('every rule of the catalog is implemented, and nothing else', () => {
  assert.deepEqual([...ALL_RULES.map((r) => r.id)].sort(), [...CATALOG].sort());
  assert.equal(new Set(ALL_RULES.map((r) => r.id)).size, ALL_RULES.length, 'ids are unique');
});

test('every rule has its folder with a test and good and bad fixtures', () => {
  for (const id of CATALOG) {
    const dir = path.join(REPO, 'src/core/rules', id);
    assert.ok(fs.existsSync(path.join(dir, 'rule.ts')), `${id}: rule.ts`);
    assert.ok(fs.existsSync(path.join(dir, `${id}.test.ts`)), `${id}: ${id}.test.ts`);
    assert.ok(fs.existsSync(path.join(dir, 'fixtures', 'bad')), `${id}: fixtures/bad`);
    assert.ok(fs.existsSync(path.join(dir, 'fixtures', 'good')), `${id}: fixtures/good`);
  }
});

test('every rule has a user page and a README row', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  for (const rule of ALL_RULES) {
    const page = path.join(REPO, 'docs/rules', `${rule.id}.md`);
    assert.ok(fs.existsSync(page), `docs/rules/${rule.id}.md`);
    assert.match(fs.readFileSync(page, 'utf8'), new RegExp(`^# .*`, 'm'), `${rule.id}: page has a title`);
    assert.ok(readme.includes(`[\`${rule.id}\`](docs/rules/${rule.id}.md)`), `README links ${rule.id}`);
    assert.ok(rule.title.length > 10 && rule.source.length > 0, `${rule.id}: title and source`);
  }
});
