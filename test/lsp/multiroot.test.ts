// Per-resource settings over real LSP: in a multi-root workspace each folder's bgtask settings
// (asked for with workspace/configuration and the folder as scopeUri) apply to that folder's files.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/ruleHarness';
import { startServer, uriOf, type TestServer } from '../helpers/lspClient';

let server: TestServer | undefined;
let tmp: string | undefined;

after(async () => {
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('each workspace folder gets its own rule severities', async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-lsp-roots-'));
  const strict = path.join(tmp, 'strict');
  const relaxed = path.join(tmp, 'relaxed');
  for (const dir of [strict, relaxed]) fs.cpSync(path.join(REPO, 'examples', 'broken', 'uwp-csharp'), dir, { recursive: true });
  server = await startServer([strict, relaxed], (scopeUri) => (scopeUri === uriOf(relaxed) ? { rules: { 'task-class-not-sealed': 'off', 'task-class-not-public': 'info' } } : {}));
  const codes = (dir: string) => (server!.diagnostics.get(uriOf(path.join(dir, 'Tasks', 'Tasks.cs'))) ?? []).map((d) => `${d.code}:${d.severity}`);
  await server.waitFor('diagnostics in both folders', () => codes(strict).length > 0 && codes(relaxed).length > 0);
  assert.ok(codes(strict).includes('task-class-not-sealed:1') && codes(strict).includes('task-class-not-public:1'), codes(strict).join(', '));
  assert.ok(!codes(relaxed).some((c) => c.startsWith('task-class-not-sealed')), codes(relaxed).join(', '));
  assert.ok(codes(relaxed).includes('task-class-not-public:3'), codes(relaxed).join(', '));
});
