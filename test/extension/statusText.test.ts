// The language status detail: files counted are those with a problem, not the files read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusDetail } from '../../src/extension/statusText';

const base = { state: 'ready' as const, profile: 'win10', profileForced: false };

test('"N problems in M files" counts the files with problems; the files read are said apart', () => {
  assert.equal(statusDetail({ ...base, problems: 53, files: 9, filesChecked: 50 }, '10:42:01'), '53 problems in 9 files · 50 files checked at 10:42:01');
  assert.equal(statusDetail({ ...base, problems: 1, files: 1, filesChecked: 1 }), '1 problem in 1 file · 1 file checked');
  assert.equal(statusDetail({ ...base, problems: 0, files: 0, filesChecked: 12 }), 'no problems · 12 files checked');
});
