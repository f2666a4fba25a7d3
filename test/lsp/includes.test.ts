// The language server follows an #include typed in the editor: a C++ header that never says
// "Background" is skipped by the scan unless a relevant file includes it, so when an edit adds the
// include, the server reads that header's constants then, as a fresh scan would (issue 9).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/ruleHarness';
import { startServer, uriOf, type TestServer } from '../helpers/lspClient';

const FIXTURE = path.join(REPO, 'src', 'core', 'rules', 'trigger-type-not-declared', 'fixtures', 'bad-header-constants');
let root: string;
let server: TestServer;
const page = () => path.join(root, 'winrt', 'TimerPage.cpp');
const INCLUDE = '#include "TimerPage.h"\n';

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-lsp-includes-'));
  fs.cpSync(FIXTURE, root, { recursive: true });
  const text = fs.readFileSync(page(), 'utf8');
  assert.ok(text.includes(INCLUDE));
  fs.writeFileSync(page(), text.replace(INCLUDE, ''));
  server = await startServer(root);
});

after(async () => {
  await server?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const findingsOn = (file: string) => (server.diagnostics.get(uriOf(file)) ?? []).filter((d) => d.code === 'trigger-type-not-declared');

test('an #include typed in the editor brings in the header constants the scan skipped, and the finding they lead to', async () => {
  await server.waitFor('a ready status', () => server.notifications.find((n) => n.method === 'bgtask/status' && (n.params as { state: string }).state === 'ready'));
  // The C++/CX page includes its constants from the start: the scan and the rule work.
  await server.waitFor('the C++/CX finding', () => findingsOn(path.join(root, 'cx', 'Scenario.cpp')).length > 0);
  assert.deepEqual(findingsOn(page()), [], 'without the include, TimerPage.h is never read and TaskEntryPoint names nothing');

  const withInclude = fs.readFileSync(path.join(FIXTURE, 'winrt', 'TimerPage.cpp'), 'utf8');
  server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(page()), languageId: 'cpp', version: 1, text: withInclude } });
  const [finding] = await server.waitFor('the finding the header constant leads to', () => findingsOn(page()).length > 0 && findingsOn(page()));
  assert.match(typeof finding.message === 'string' ? finding.message : finding.message.value, /Tasks\.TimerTask/);
});
