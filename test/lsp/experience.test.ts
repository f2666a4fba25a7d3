// The everyday-experience parts of the language server over real LSP (issue 10): one app-wide
// request-access-missing diagnostic with the other registrations as related information, rule links
// as the client's command, short code lenses that peek, a code lens refresh when a registration is
// added, status counts (files with problems, not files read), hover links to the platform docs, and
// the output channel's first line.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeLens, Hover } from 'vscode-languageserver-protocol/node';
import { REPO } from '../helpers/ruleHarness';
import { startServer, uriOf, type TestServer } from '../helpers/lspClient';

let root: string;
let server: TestServer;
const diagnosticsOf = (file: string) => server.diagnostics.get(uriOf(file)) ?? [];
const registrations = () => path.join(root, 'broken', 'uwp-csharp', 'App', 'Registrations.cs');

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-lsp-x-'));
  fs.cpSync(path.join(REPO, 'examples', 'csharp-uwp'), path.join(root, 'csharp-uwp'), { recursive: true });
  fs.cpSync(path.join(REPO, 'examples', 'broken', 'uwp-csharp'), path.join(root, 'broken', 'uwp-csharp'), { recursive: true });
  server = await startServer(root, {}, { initializationOptions: { rulePageLinks: 'command' }, codeLensRefresh: true });
});

after(async () => {
  await server?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('request-access-missing: one diagnostic per app, at the first registration, the others as related information', async () => {
  const all = await server.waitFor('request-access-missing', () => {
    const list = [...server.diagnostics.values()].flat().filter((d) => d.code === 'request-access-missing');
    return list.length ? list : undefined;
  });
  assert.ok(all);
  assert.equal(all.length, 1, all.map((d) => String(d.message)).join('\n'));
  const d = all[0];
  assert.ok(diagnosticsOf(registrations()).includes(d), 'in App/Registrations.cs');
  assert.match(String(d.message), /and \d+ other registrations of this app, listed as related/);
  assert.ok(d.relatedInformation && d.relatedInformation.length >= 5, JSON.stringify(d.relatedInformation));
  for (const r of d.relatedInformation!) {
    assert.match(r.message, /^also registered without RequestAccessAsync/);
    assert.ok(r.location.range.start.line > 0 && r.location.uri.startsWith('file:'));
  }
  assert.equal(d.codeDescription!.href, `command:bgtask.openRulePage?${encodeURIComponent('["request-access-missing"]')}`);
});

test('status: problems in the files that have them, and the files read; the output starts with what was read', async () => {
  const status = await server.waitFor('a ready status', () => server.notifications.filter((n) => n.method === 'bgtask/status' && (n.params as { state: string }).state === 'ready').pop());
  const s = status.params as { problems: number; files: number; filesChecked: number };
  const withProblems = [...server.diagnostics.values()].filter((l) => l.length).length;
  assert.equal(s.files, withProblems);
  assert.equal(s.problems, [...server.diagnostics.values()].flat().length);
  assert.ok(s.filesChecked > s.files, JSON.stringify(s));
  const log = server.notifications.find((n) => n.method === 'window/logMessage');
  assert.match((log!.params as { message: string }).message, /^bgtask: read [1-9]\d* files in 1 folder \(\d+ apps? with a manifest\) in \d+ ms$/);
});

test('hover on a trigger links the platform documentation, not an internal reference', async () => {
  const file = path.join(root, 'csharp-uwp', 'BackgroundTask', 'Scenario1_SampleBackgroundTask.xaml.cs');
  const text = fs.readFileSync(file, 'utf8');
  server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId: 'csharp', version: 1, text } });
  const at = text.indexOf('TimeZoneChange') + 3;
  const lines = text.slice(0, at).split('\n');
  const hover = (await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(file) }, position: { line: lines.length - 1, character: lines[lines.length - 1].length } })) as Hover;
  const value = (hover.contents as { value: string }).value;
  assert.doesNotMatch(value, /domain-facts|§/);
  assert.match(value, /\[SystemTriggerType \(API reference\)\]\(https:\/\/learn\.microsoft\.com\/uwp\/api\/windows\.applicationmodel\.background\.systemtriggertype\)/);
});

test('code lenses are short commands that peek, and are refreshed when a registration is added on disk', async () => {
  const cls = path.join(root, 'csharp-uwp', 'Tasks', 'ServicingComplete.cs');
  server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(cls), languageId: 'csharp', version: 1, text: fs.readFileSync(cls, 'utf8') } });
  const before = (await server.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: uriOf(cls) } })) as CodeLens[];
  assert.equal(before.length, 2);
  for (const l of before) {
    assert.ok(l.command!.title.length <= 45, l.command!.title);
    assert.equal(l.command!.command, 'bgtask.peek');
    const [uri, position, locations] = l.command!.arguments as [string, { line: number }, Array<{ uri: string }>];
    assert.equal(uri, uriOf(cls));
    assert.equal(position.line, before[0].range.start.line);
    assert.ok(locations.length >= 1);
  }
  const registered = before[1].command!.title;
  const refreshes = server.notifications.filter((n) => n.method === 'workspace/codeLens/refresh').length;
  const extra = path.join(root, 'csharp-uwp', 'BackgroundTask', 'ExtraRegistration.cs');
  fs.writeFileSync(extra, 'using Windows.ApplicationModel.Background;\nnamespace SDKTemplate\n{\n    static class Extra\n    {\n        public static async void Go()\n        {\n            await BackgroundExecutionManager.RequestAccessAsync();\n            var b = new BackgroundTaskBuilder { Name = "ExtraServicing", TaskEntryPoint = "Tasks.ServicingComplete" };\n            b.SetTrigger(new SystemTrigger(SystemTriggerType.ServicingComplete, false));\n            b.Register();\n        }\n    }\n}\n');
  server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(extra), type: 1 }] });
  await server.waitFor('a code lens refresh request', () => server.notifications.filter((n) => n.method === 'workspace/codeLens/refresh').length > refreshes);
  const after = (await server.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: uriOf(cls) } })) as CodeLens[];
  assert.notEqual(after[1].command!.title, registered);
  assert.match(after[1].command!.title, /^\d+ registrations$/);
});
