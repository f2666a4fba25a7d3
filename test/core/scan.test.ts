// The scan's folder skipping as the language server applies it to single files: only folders below
// the workspace root count, so a workspace that itself lives under a hidden folder is still read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inSkippedFolder } from '../../src/core/workspace/scan';

test('inSkippedFolder: build output, dependencies and hidden folders below the root; never the root itself', () => {
  assert.equal(inSkippedFolder('/w/App/bin/Debug/X.cs', '/w'), true);
  assert.equal(inSkippedFolder('/w/node_modules/p/a.js', '/w'), true);
  assert.equal(inSkippedFolder('/w/.vs/x.cs', '/w/'), true);
  assert.equal(inSkippedFolder('/w/App/Tasks/Task.cs', '/w'), false);
  assert.equal(inSkippedFolder('/home/u/.local/src/App/Task.cs', '/home/u/.local/src'), false);
  assert.equal(inSkippedFolder('/w/App/binary.cs', '/w'), false);
});
