// The bgtask extension in a real VS Code extension host, over a scratch copy of examples/: activation,
// diagnostics with exact ranges, quick fix, completion, hover, definition, the tree view, Add Background
// Task and snippets. Every wait polls with a deadline; nothing sleeps a fixed time.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const EXT_ID = 'bgtask.bgtask';
const { codeOf, file, until, ws } = require('./util');

const ours = (uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'bgtask' || (d.code && /-/.test(String(d.code.value ?? d.code))));
const isSealedFix = (a) => !!a.edit && /sealed/i.test(a.title) && !/^Disable /.test(a.title);
const positionOf = (doc, needle, delta = 0) => doc.positionAt(doc.getText().indexOf(needle) + delta);

suite('bgtask in VS Code', () => {
  const t0 = Date.now();

  suiteSetup(() => {
    console.log(`[it-env] node=${process.version} vscode=${vscode.version} uiKind=${vscode.env.uiKind} remoteName=${vscode.env.remoteName} workspace=${ws().fsPath}`);
  });

  test('activates and registers its commands', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `${EXT_ID} not found`);
    const started = Date.now();
    await ext.activate();
    console.log(`[it-bench] ext.activate() resolved in ${Date.now() - started} ms (load + activate(); isActive=${ext.isActive})`);
    console.log(`[it-bench] activate() itself took ${ext.exports.activationMs.toFixed(2)} ms`);
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['bgtask.addBackgroundTask', 'bgtask.tree.refresh', 'bgtask.tree.goTo']) assert.ok(commands.includes(c), `${c} registered`);
  });

  test('snippets are contributed and offered in C# files', async () => {
    const pkg = vscode.extensions.getExtension(EXT_ID).packageJSON;
    const langs = (pkg.contributes.snippets || []).map((s) => s.language).sort();
    assert.deepStrictEqual(langs, ['cpp', 'csharp', 'javascript', 'typescript', 'xml']);
    const doc = await vscode.workspace.openTextDocument({ language: 'csharp', content: 'bgtask-' });
    const list = await until('snippet completions', async () => {
      const r = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 7));
      const labels = r.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return labels.includes('bgtask-task') && labels;
    }, 15000);
    assert.ok(list.includes('bgtask-task-async') && list.includes('bgtask-register'), list.join(', '));
  });

  test('diagnostics with exact ranges on a broken task class', async () => {
    const uri = file('broken', 'uwp-csharp', 'Tasks', 'Tasks.cs');
    const opened = Date.now();
    await vscode.window.showTextDocument(uri);
    const diag = await until('task-class-not-sealed on UnsealedTask', () => ours(uri).find((d) => codeOf(d) === 'task-class-not-sealed'), 50000);
    console.log(`[it-bench] first diagnostics ${Date.now() - opened} ms after opening Tasks.cs (${Date.now() - t0} ms after the suite started)`);
    for (const d of ours(uri)) console.log(`[it-diag] Tasks.cs:${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${codeOf(d)} ${d.message}`);
    assert.strictEqual(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.deepStrictEqual([diag.range.start.line, diag.range.start.character, diag.range.end.line, diag.range.end.character], [8, 17, 8, 29]);
  });

  test('applying the quick fix removes the diagnostic', async () => {
    const uri = file('broken', 'uwp-csharp', 'Tasks', 'Tasks.cs');
    const diag = await until('the diagnostic', () => ours(uri).find((d) => codeOf(d) === 'task-class-not-sealed'));
    const actions = await until('a quick fix', async () => {
      const all = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
      // vscode.executeCodeActionProvider does not return the actions' diagnostics: pick the fix by its title.
      return all && all.some(isSealedFix) && all;
    });
    assert.ok(actions.some((a) => a.title === 'Disable task-class-not-sealed for this line'), actions.map((a) => a.title).join(', '));
    const fix = actions.find(isSealedFix);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.ok(/public sealed class UnsealedTask/.test(doc.getText()), 'sealed inserted');
    await until('the diagnostic to go away', () => !ours(uri).some((d) => codeOf(d) === 'task-class-not-sealed' && d.range.start.line === 8));
  });

  test('completion offers entry points in the manifest', async () => {
    const uri = file('csharp-uwp', 'BackgroundTask', 'Package.appxmanifest');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const at = positionOf(doc, 'EntryPoint="Tasks.SampleBackgroundTask"', 'EntryPoint="'.length);
    const labels = await until('entry point completions', async () => {
      const r = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, at);
      const l = r.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return l.includes('Tasks.SampleBackgroundTask') && l;
    });
    assert.ok(labels.includes('Tasks.ServicingComplete'), labels.join(', '));
  });

  test('hover explains a trigger', async () => {
    const uri = file('csharp-uwp', 'BackgroundTask', 'Scenario1_SampleBackgroundTask.xaml.cs');
    const doc = await vscode.workspace.openTextDocument(uri);
    const idx = doc.getText().indexOf('TimeZoneChange');
    assert.ok(idx > 0);
    const text = await until('hover text', async () => {
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, doc.positionAt(idx + 3));
      const t = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /time zone/i.test(t) && t;
    });
    assert.ok(/systemEvent/.test(text), text);
  });

  test('go to definition from the manifest EntryPoint to the class', async () => {
    const uri = file('csharp-uwp', 'BackgroundTask', 'Package.appxmanifest');
    const doc = await vscode.workspace.openTextDocument(uri);
    const at = positionOf(doc, 'Tasks.ServicingComplete', 8);
    const target = await until('a definition', async () => {
      const defs = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', uri, at);
      return defs && defs.length && defs[0];
    });
    const targetUri = target.targetUri || target.uri;
    assert.ok(targetUri.fsPath.endsWith(path.join('Tasks', 'ServicingComplete.cs')), targetUri.fsPath);
  });

  test('the tree view lists apps, task classes, declarations and registrations', async () => {
    const roots = await until('tree items with the C# sample', async () => {
      const r = await vscode.commands.executeCommand('bgtask.tree.items', { refresh: true });
      return r && r.some((a) => a.label.endsWith('csharp-uwp/BackgroundTask')) && r;
    });
    const app = roots.find((a) => a.label.endsWith('csharp-uwp/BackgroundTask'));
    assert.strictEqual(app.icon, 'package');
    const group = (label) => app.children.find((g) => g.label === label);
    assert.ok(group('Task classes').children.some((c) => c.label === 'SampleBackgroundTask' && c.icon === 'symbol-class'));
    assert.ok(group('Manifest declarations').children.some((c) => c.label === 'Tasks.ServicingComplete'));
    const reg = group('Registrations').children.find((c) => c.label === 'TimeTriggeredTask');
    assert.ok(reg && /TimeTrigger\(15\)/.test(reg.description), JSON.stringify(reg));
    const broken = roots.find((a) => a.label === 'uwp-csharp/App' && /broken/.test(a.description));
    assert.ok(broken && broken.children.some((g) => g.children.some((i) => i.icon === 'error')), 'problems shown on items');
    await vscode.commands.executeCommand('bgtask.tree.goTo', undefined);
  });

  test('Add Background Task creates a class, a registration and a declaration that check clean', async () => {
    const manifest = file('csharp-uwp', 'BackgroundTask', 'Package.appxmanifest');
    const result = await vscode.commands.executeCommand('bgtask.addBackgroundTask', {
      manifest: manifest.fsPath, language: 'csharp', name: 'AddedByTest', trigger: 'SystemTrigger: InternetAvailable', conditions: ['UserPresent'], callAtStart: true,
    });
    assert.ok(result, 'the command returned its result');
    assert.ok(fs.existsSync(result.taskFile) && result.taskFile.endsWith(path.join('Tasks', 'AddedByTest.cs')), result.taskFile);
    assert.ok(fs.existsSync(result.registrationFile));
    assert.deepStrictEqual(result.projects.map((p) => path.basename(p)).sort(), ['BackgroundTask.csproj', 'Tasks.csproj']);
    assert.ok(fs.readFileSync(path.join(path.dirname(result.taskFile), 'Tasks.csproj'), 'utf8').includes('<Compile Include="AddedByTest.cs" />'));
    assert.ok(/_ = AddedByTestRegistration\.RegisterAsync\(\);/.test(fs.readFileSync(result.startup, 'utf8')), 'OnLaunched calls the helper');
    assert.ok(/EntryPoint="Tasks\.AddedByTest"/.test(fs.readFileSync(manifest.fsPath, 'utf8')));
    const regDoc = await vscode.workspace.openTextDocument(result.registrationFile);
    await vscode.window.showTextDocument(regDoc);
    await until('the new registration in the tree', async () => {
      const r = await vscode.commands.executeCommand('bgtask.tree.items', { refresh: true });
      const app = r.find((a) => a.label.endsWith('csharp-uwp/BackgroundTask'));
      return app && app.children.some((g) => g.children.some((i) => i.label === 'AddedByTest'));
    });
    const serious = [vscode.Uri.file(result.taskFile), vscode.Uri.file(result.registrationFile), manifest]
      .flatMap((u) => ours(u).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning).map((d) => `${path.basename(u.fsPath)}:${d.range.start.line + 1} ${codeOf(d)} ${d.message}`));
    assert.deepStrictEqual(serious, []);
  });
});
