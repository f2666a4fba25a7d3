// Rule pages: one per rule, each linking the platform's published documentation (learn.microsoft.com)
// instead of internal fact-sheet sections, so the page the diagnostics open is useful on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../src/core/rules/registry';
import { REPO } from '../helpers/ruleHarness';

test('every rule has a page with a Platform documentation section of learn.microsoft.com links', () => {
  for (const r of ALL_RULES) {
    const md = fs.readFileSync(path.join(REPO, 'docs', 'rules', `${r.id}.md`), 'utf8');
    const section = /## Platform documentation\n\n((?:- .*\n)+)/.exec(md);
    assert.ok(section, `${r.id}.md has a Platform documentation section`);
    const links = [...section[1].matchAll(/^- \[[^\]]+\]\((https:\/\/[^)]+)\)$/gm)].map((m) => m[1]);
    assert.ok(links.length >= 1, `${r.id}: links`);
    for (const l of links) assert.match(l, /^https:\/\/learn\.microsoft\.com\/(uwp\/api|uwp\/schemas|windows\/uwp\/launch-resume|windows\/apps\/windows-app-sdk)\//, `${r.id}: ${l}`);
    assert.doesNotMatch(md, /domain-facts/, `${r.id}.md cites no internal fact sheet`);
  }
});
