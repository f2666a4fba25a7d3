// The scan's folder skipping as the language server applies it to single files (only folders below
// the workspace root count, so a workspace under a hidden folder is still read), its decoding, and
// the one-shot scan's worker thread giving what in-process parsing gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import { decodeText, inSkippedFolder, loadWorkspace } from '../../src/core/workspace/scan';

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

test('a scan that parses on the worker thread gives the same facts and findings as one that parses in-process', async () => {
  const examples = path.join(__dirname, '..', '..', '..', 'examples');
  const inProcess = new Engine();
  const onWorker = new Engine();
  const a = await loadWorkspace(inProcess, [examples]);
  const b = await loadWorkspace(onWorker, [examples], { worker: true });
  assert.deepEqual(b.files, a.files);
  assert.equal(a.parsedOnWorker, undefined);
  const code = a.files.filter((f) => /\.(cs|cpp|h|js|ts)$/.test(f) && inProcess.facts(f)?.taskClasses.length);
  assert.ok(code.length >= 5, `task class files in examples: ${code.length}`);
  assert.ok((b.parsedOnWorker ?? 0) >= code.length, `parsed on the worker: ${b.parsedOnWorker}`);
  for (const f of a.files) assert.deepEqual(onWorker.facts(f), inProcess.facts(f), f);
  const summary = (e: Engine) => e.check().map((x) => `${x.path}:${x.span.start} ${x.ruleId}`).sort();
  assert.deepEqual(summary(onWorker), summary(inProcess));
});
