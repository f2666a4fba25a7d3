// Cross-file LSP features stay inside their app (issue 9), over real LSP: two apps in one folder have
// task classes with the same full name; definition, references, code lens and completion from one
// app never offer the other's classes, declarations or registrations.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeLens, CompletionItem, CompletionList, Location } from 'vscode-languageserver-protocol/node';
import { repoPath } from '../helpers/ruleHarness';
import { startServer, uriOf, type TestServer } from '../helpers/lspClient';

const root = repoPath('test', 'core', 'fixtures', 'two-apps');
let server: TestServer;

before(async () => {
  server = await startServer(root);
  await server.waitFor('a ready status', () => server.notifications.find((n) => n.method === 'bgtask/status' && (n.params as { state: string }).state === 'ready'));
});
after(async () => server?.stop());

const file = (...parts: string[]) => path.join(root, ...parts);
const rel = (uri: string) => path.relative(root, new URL(uri).pathname).split(path.sep).join('/');
function positionOf(text: string, needle: string, delta = 0, occurrence = 0) {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  const lines = text.slice(0, at + delta).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}
function open(p: string, text = fs.readFileSync(p, 'utf8'), languageId = 'plaintext') {
  server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(p), languageId, version: 1, text } });
  return text;
}

test('definition from each manifest goes to its own app\'s class only', async () => {
  for (const [app, want] of [['Alpha', 'AlphaTasks/SyncTask.cs'], ['Beta', 'BetaTasks/Tasks.cs']]) {
    const m = file(app, 'Package.appxmanifest');
    const text = open(m, undefined, 'xml');
    const defs = (await server.connection.sendRequest('textDocument/definition', { textDocument: { uri: uriOf(m) }, position: positionOf(text, '"Tasks.SyncTask"', 3) })) as Location[];
    assert.deepEqual(defs.map((d) => rel(d.uri)), [want], app);
  }
  // Alpha's manifest names CleanupTask, which only Beta builds: no definition to offer.
  const alpha = file('Alpha', 'Package.appxmanifest');
  const defs = (await server.connection.sendRequest('textDocument/definition', { textDocument: { uri: uriOf(alpha) }, position: positionOf(fs.readFileSync(alpha, 'utf8'), '"Tasks.CleanupTask"', 3) })) as Location[];
  assert.deepEqual(defs, []);
});

test('references of a class list its own app\'s declaration and registration only', async () => {
  const cls = file('AlphaTasks', 'SyncTask.cs');
  const text = open(cls, undefined, 'csharp');
  const refs = (await server.connection.sendRequest('textDocument/references', { textDocument: { uri: uriOf(cls) }, position: positionOf(text, 'SyncTask :', 2), context: { includeDeclaration: true } })) as Location[];
  assert.deepEqual([...new Set(refs.map((r) => rel(r.uri)))].sort(), ['Alpha/MainPage.cs', 'Alpha/Package.appxmanifest', 'AlphaTasks/SyncTask.cs']);
});

test('the code lens of a class sums up its own app only', async () => {
  const cls = file('BetaTasks', 'Tasks.cs');
  open(cls, undefined, 'csharp');
  const lenses = (await server.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: uriOf(cls) } })) as CodeLens[];
  // Whatever the presentation (titles, peek arguments), nothing of Alpha's may show in Beta's lenses.
  const shown = JSON.stringify(lenses.map((l) => l.command));
  assert.ok(lenses.length > 0);
  assert.ok(!shown.includes('AlphaSync') && !shown.includes('/Alpha/'), `Alpha leaks into Beta: ${shown}`);
  assert.ok(shown.includes('BetaCleanup') && shown.includes('/Beta/Package.appxmanifest'), shown);
});

test('completion of an entry point offers the app\'s own classes only', async () => {
  const scratch = file('Alpha', 'Scratch.cs');
  const text = 'using Windows.ApplicationModel.Background;\nnamespace Alpha { class Scratch { void M() { var b = new BackgroundTaskBuilder(); b.TaskEntryPoint = "';
  open(scratch, text, 'csharp');
  const result = (await server.connection.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(scratch) }, position: positionOf(text, 'TaskEntryPoint = "', 'TaskEntryPoint = "'.length) })) as CompletionItem[] | CompletionList;
  const labels = (Array.isArray(result) ? result : result.items).map((i) => i.label);
  assert.deepEqual(labels, ['Tasks.SyncTask']);
  const items = Array.isArray(result) ? result : result.items;
  assert.match(String(items[0].documentation), /SyncTask\.cs/);
});
