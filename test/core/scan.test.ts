// The scan's folder skipping as the language server applies it to single files: only folders below
// the workspace root count, so a workspace that itself lives under a hidden folder is still read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeText, inSkippedFolder } from '../../src/core/workspace/scan';

test('inSkippedFolder: build output, dependencies and hidden folders below the root; never the root itself', () => {
  assert.equal(inSkippedFolder('/w/App/bin/Debug/X.cs', '/w'), true);
  assert.equal(inSkippedFolder('/w/node_modules/p/a.js', '/w'), true);
  assert.equal(inSkippedFolder('/w/.vs/x.cs', '/w/'), true);
  assert.equal(inSkippedFolder('/w/App/Tasks/Task.cs', '/w'), false);
  assert.equal(inSkippedFolder('/home/u/.local/src/App/Task.cs', '/home/u/.local/src'), false);
  assert.equal(inSkippedFolder('/w/App/binary.cs', '/w'), false);
});

test('issue 9 a source file that is not UTF-8 is read as Windows-1252, as Visual Studio reads it', () => {
  const bytes = Buffer.from('// caf\xe9 \x93quoted\x94 IBackgroundTask\n', 'latin1');
  const read = decodeText(bytes);
  assert.ok(read.ok);
  assert.equal(read.ok && read.text, '// café \u201cquoted\u201d IBackgroundTask\n');
  assert.equal(decodeText(Buffer.from([0x41, 0x00, 0x42])).ok, false, 'NUL bytes still mean binary');
});
