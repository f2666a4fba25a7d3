// The language server over real LSP: the bundled dist/server.js in its own process, driven by a
// protocol client over stdio. Covers the scan with diagnostics (code, page link, exact range), a quick
// fix applied and re-checked, disable-for-this-line, completion, hover, definition, references, code
// lens, the registrations request, settings, file watching and bad input.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, CodeLens, CompletionItem, CompletionList, Hover, Location, TextEdit } from 'vscode-languageserver-protocol/node';
import { REPO } from '../helpers/ruleHarness';
import { startServer, uriOf, type TestServer } from '../helpers/lspClient';

let root: string;
let server: TestServer;
const tasksCs = () => path.join(root, 'broken', 'uwp-csharp', 'Tasks', 'Tasks.cs');
const manifest = () => path.join(root, 'csharp-uwp', 'BackgroundTask', 'Package.appxmanifest');
const versions = new Map<string, number>();

function open(file: string, text = fs.readFileSync(file, 'utf8'), languageId = 'plaintext') {
  versions.set(file, 1);
  server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId, version: 1, text } });
}

function replaceAll(file: string, text: string) {
  const version = (versions.get(file) ?? 1) + 1;
  versions.set(file, version);
  server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(file), version }, contentChanges: [{ text }] });
}

const diagnosticsOf = (file: string) => server.diagnostics.get(uriOf(file)) ?? [];
const positionOf = (text: string, needle: string, delta = 0) => {
  const at = text.indexOf(needle) + delta;
  const lines = text.slice(0, at).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
};

function applyEdits(text: string, edits: TextEdit[]): string {
  const offsets = (p: { line: number; character: number }) => text.split('\n').slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits].sort((a, b) => offsets(b.range.start) - offsets(a.range.start)).reduce((t, e) => t.slice(0, offsets(e.range.start)) + e.newText + t.slice(offsets(e.range.end)), text);
}

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-lsp-'));
  fs.cpSync(path.join(REPO, 'examples', 'csharp-uwp'), path.join(root, 'csharp-uwp'), { recursive: true });
  fs.cpSync(path.join(REPO, 'examples', 'broken', 'uwp-csharp'), path.join(root, 'broken', 'uwp-csharp'), { recursive: true });
  server = await startServer(root);
});

after(async () => {
  await server?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('the workspace scan publishes diagnostics with code, page link, source and the exact range', async () => {
  const d = await server.waitFor('task-class-not-sealed in Tasks.cs', () => diagnosticsOf(tasksCs()).find((x) => x.code === 'task-class-not-sealed'));
  assert.equal(d.source, 'bgtask');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range, { start: { line: 8, character: 17 }, end: { line: 8, character: 29 } });
  assert.match(d.codeDescription!.href, /^file:\/\/.*docs\/rules\/task-class-not-sealed\.md$/);
  // The clean example has no warnings or errors.
  for (const [uri, list] of server.diagnostics) if (uri.includes('/csharp-uwp/')) assert.deepEqual(list.filter((x) => x.severity! <= 2), [], uri);
  const status = await server.waitFor('a ready status', () => server.notifications.find((n) => n.method === 'bgtask/status' && (n.params as { state: string }).state === 'ready'));
  assert.match((status.params as { profile: string }).profile, /win10/);
});

test('a quick fix applied over LSP removes the diagnostic, and disable-for-this-line is offered', async () => {
  const file = tasksCs();
  const text = fs.readFileSync(file, 'utf8');
  open(file, text, 'csharp');
  const d = await server.waitFor('the diagnostic', () => diagnosticsOf(file).find((x) => x.code === 'task-class-not-sealed'));
  const actions = (await server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf(file) }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
  const fix = actions.find((a) => a.isPreferred);
  assert.ok(fix?.edit?.changes, JSON.stringify(actions));
  const disable = actions.find((a) => a.title === 'Disable task-class-not-sealed for this line');
  assert.ok(disable, actions.map((a) => a.title).join(', '));
  const fixed = applyEdits(text, fix.edit.changes[uriOf(file)]);
  assert.match(fixed, /public sealed class UnsealedTask/);
  replaceAll(file, fixed);
  await server.waitFor('the diagnostic to go away', () => !diagnosticsOf(file).some((x) => x.code === 'task-class-not-sealed' && x.range.start.line === 8) && diagnosticsOf(file).length > 0);
  // The suppression comment works too: on another finding, insert it and the finding goes.
  const other = diagnosticsOf(file).find((x) => x.code === 'task-class-not-public')!;
  const actions2 = (await server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf(file) }, range: other.range, context: { diagnostics: [other] } })) as CodeAction[];
  const suppress = actions2.find((a) => a.title.startsWith('Disable task-class-not-public'))!;
  replaceAll(file, applyEdits(fixed, suppress.edit!.changes![uriOf(file)]));
  await server.waitFor('the suppressed diagnostic to go away', () => !diagnosticsOf(file).some((x) => x.code === 'task-class-not-public'));
});

test('completion offers entry points in the manifest and trigger types in code', async () => {
  const file = manifest();
  const text = fs.readFileSync(file, 'utf8');
  open(file, text, 'xml');
  const at = positionOf(text, 'EntryPoint="Tasks.SampleBackgroundTask"', 'EntryPoint="'.length);
  const result = (await server.connection.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(file) }, position: at })) as CompletionItem[] | CompletionList;
  const labels = (Array.isArray(result) ? result : result.items).map((i) => i.label);
  assert.ok(labels.includes('Tasks.SampleBackgroundTask') && labels.includes('Tasks.ServicingComplete'), labels.join(', '));

  const code = path.join(root, 'csharp-uwp', 'BackgroundTask', 'Scratch.cs');
  const scratch = 'using Windows.ApplicationModel.Background;\nclass Scratch { void M() { var t = new SystemTrigger(SystemTriggerType.';
  open(code, scratch, 'csharp');
  const members = (await server.connection.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(code) }, position: positionOf(scratch, 'SystemTriggerType.', 'SystemTriggerType.'.length) })) as CompletionItem[];
  assert.ok(members.some((m) => m.label === 'TimeZoneChange'), members.map((m) => m.label).join(', '));
  const types = (await server.connection.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(file) }, position: positionOf(text, '<Task Type="', '<Task Type="'.length) })) as CompletionItem[];
  assert.ok(types.some((t) => t.label === 'systemEvent') && !types.some((t) => t.label === 'chatMessageNotification'), types.map((t) => t.label).join(', '));
});

test('hover explains a trigger: meaning, Task Type, access and Visual Studio', async () => {
  const file = path.join(root, 'csharp-uwp', 'BackgroundTask', 'Scenario1_SampleBackgroundTask.xaml.cs');
  const text = fs.readFileSync(file, 'utf8');
  open(file, text, 'csharp');
  const hover = (await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(file) }, position: positionOf(text, 'TimeZoneChange', 3) })) as Hover;
  const value = (hover.contents as { value: string }).value;
  assert.match(value, /time zone/i);
  assert.match(value, /systemEvent/);
  assert.match(value, /Visual Studio Lifecycle Events can fire it: yes/);
});

test('definition goes from the manifest EntryPoint to the class, references find all three kinds, and a code lens sums up', async () => {
  const file = manifest();
  const text = fs.readFileSync(file, 'utf8');
  const defs = (await server.connection.sendRequest('textDocument/definition', { textDocument: { uri: uriOf(file) }, position: positionOf(text, 'Tasks.ServicingComplete', 8) })) as Location[];
  assert.equal(defs.length, 1);
  assert.ok(defs[0].uri.endsWith('/Tasks/ServicingComplete.cs'), defs[0].uri);
  const refs = (await server.connection.sendRequest('textDocument/references', { textDocument: { uri: uriOf(file) }, position: positionOf(text, 'Tasks.ServicingComplete', 8), context: { includeDeclaration: true } })) as Location[];
  const files = refs.map((r) => path.basename(new URL(r.uri).pathname)).sort();
  assert.ok(files.includes('ServicingComplete.cs') && files.includes('Package.appxmanifest'), files.join(', '));
  assert.ok(refs.length >= 3, `class, declaration and registration: ${files.join(', ')}`);
  const cls = path.join(root, 'csharp-uwp', 'Tasks', 'SampleBackgroundTask.cs');
  open(cls, fs.readFileSync(cls, 'utf8'), 'csharp');
  const lenses = (await server.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: uriOf(cls) } })) as CodeLens[];
  assert.deepEqual(lenses.map((l) => [l.command!.title, l.command!.command]), [['declared in Package.appxmanifest', 'bgtask.peek'], [lenses[1].command!.title, 'bgtask.peek']]);
  assert.match(lenses[1].command!.title, /^\d+ registrations$|^registered as \w+$/);
});

test('the registrations request returns the apps of the tree view', async () => {
  const result = (await server.connection.sendRequest('bgtask/registrations', {})) as { apps: Array<{ root: string; registrations: unknown[] }> };
  const app = result.apps.find((a) => a.root.endsWith('csharp-uwp/BackgroundTask'));
  assert.ok(app && app.registrations.length >= 6, JSON.stringify(result.apps.map((a) => a.root)));
});

test('a changed file on disk is picked up through file watching', async () => {
  const file = path.join(root, 'broken', 'uwp-csharp', 'Tasks', 'Extra.cs');
  fs.writeFileSync(file, 'using Windows.ApplicationModel.Background;\nnamespace Tasks\n{\n    public class ExtraTask : IBackgroundTask\n    {\n        public void Run(IBackgroundTaskInstance t) { t.Canceled += (s, r) => { }; }\n    }\n}\n');
  server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type: 1 }] });
  await server.waitFor('a finding on the new file', () => diagnosticsOf(file).some((d) => d.code === 'task-class-not-sealed'));
  fs.rmSync(file);
  server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type: 3 }] });
  await server.waitFor('the findings of the deleted file cleared', () => server.diagnostics.get(uriOf(file))?.length === 0);
});

test('settings: a rule turned off disappears, and bad input never crashes the server', async () => {
  server.settings = { rules: { 'canceled-not-handled': 'off', bogus: 12 }, profile: 'not-a-profile', exclude: 'nope' };
  server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await server.waitFor('canceled-not-handled gone', () => ![...server.diagnostics.values()].flat().some((d) => d.code === 'canceled-not-handled'));
  const bad = path.join(root, 'broken', 'uwp-csharp', 'Half.cs');
  open(bad, 'using Windows.ApplicationModel.Background;\npublic sealed class Half : IBackgroundTask { public void Run(IBackgroundTaskInstance t) { var d = t.GetDef', 'csharp');
  open(path.join(root, 'Package.appxmanifest'), '<Package><Applications><Application><Extensions><Extension Category="windows.backgroundTasks" EntryPoint=', 'xml');
  await server.waitFor('the malformed manifest reported', () => diagnosticsOf(path.join(root, 'Package.appxmanifest')).some((d) => d.code === 'manifest-not-well-formed'));
  const hover = await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'untitled:Untitled-1' }, position: { line: 0, character: 0 } });
  assert.equal(hover, null);
  assert.equal(server.process.exitCode, null, 'the server is still running');
});
