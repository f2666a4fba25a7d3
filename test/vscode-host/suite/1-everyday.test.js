// Issue 10 in a real VS Code: the app-wide request-access-missing finding (once, with related
// information), rule pages opened rendered and read-only from the diagnostic's link, code lens parts as
// commands, the tree's app row expanding, and Add Background Task for a C++/CX app updating its projects.
// Runs before the debugger's suite and edits only cppcx-win81 and broken/winjs of the scratch copy.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const { codeOf, file, until } = require('./util');

suite('everyday experience', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension('bgtask.bgtask').activate();
  });

  test('request-access-missing is reported once per app, with the other registrations as related information', async () => {
    const registrations = file('broken', 'uwp-csharp', 'App', 'Registrations.cs');
    const d = await until('request-access-missing', () => vscode.languages.getDiagnostics(registrations).find((x) => codeOf(x) === 'request-access-missing'), 50000);
    const all = vscode.languages.getDiagnostics().flatMap(([uri, list]) => list.filter((x) => codeOf(x) === 'request-access-missing' && uri.fsPath.includes(`${path.sep}uwp-csharp${path.sep}`)));
    assert.strictEqual(all.length, 1, all.map((x) => x.message).join('\n'));
    assert.ok(d.relatedInformation && d.relatedInformation.length >= 5, `related: ${d.relatedInformation && d.relatedInformation.length}`);
    assert.ok(d.relatedInformation.every((r) => r.location.uri.fsPath === registrations.fsPath && /also registered without RequestAccessAsync/.test(r.message)));
  });

  test("a diagnostic's rule link opens the rule page rendered (Markdown preview) and read-only", async () => {
    const tasks = file('broken', 'uwp-csharp', 'Tasks', 'Tasks.cs');
    const d = await until('a diagnostic with a rule link', () => vscode.languages.getDiagnostics(tasks).find((x) => x.code && typeof x.code === 'object'));
    const target = d.code.target;
    assert.strictEqual(target.scheme, 'command', target.toString());
    assert.strictEqual(target.path, 'bgtask.openRulePage');
    // What the Problems view does with the link: run the command with its arguments.
    const args = JSON.parse(decodeURIComponent(target.query));
    await vscode.commands.executeCommand(target.path, ...args);
    const id = codeOf(d);
    const tab = await until('the rendered rule page', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && t.label.includes(id)),
    );
    assert.ok(tab, 'a Markdown preview tab');
    const page = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'bgtask-rule', path: `/${id}.md` }));
    assert.ok(page.getText().startsWith(`# ${id}`), page.getText().slice(0, 80));
    assert.ok(/## Platform documentation\n\n- \[.*\]\(https:\/\/learn\.microsoft\.com\//.test(page.getText()), 'links the platform docs');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(page.uri, new TextEncoder().encode('x'))), 'the page cannot be written');
    assert.ok(!vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputText && t.input.uri.fsPath.endsWith(`${id}.md`) && t.input.uri.scheme === 'file'), 'the raw .md is not opened for editing');
  });

  test('hover over a finding links its rule page (the command) and a trigger links the platform docs', async () => {
    const registrations = file('broken', 'uwp-csharp', 'App', 'Registrations.cs');
    const d = await until('request-access-missing', () => vscode.languages.getDiagnostics(registrations).find((x) => codeOf(x) === 'request-access-missing'));
    const text = await until('hover text with the rule link', async () => {
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', registrations, d.range.start);
      const t = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /command:bgtask\.openRulePage\?/.test(t) && t;
    });
    assert.ok(text.includes(encodeURIComponent('["request-access-missing"]')), text);
    const scenario = file('csharp-uwp', 'BackgroundTask', 'Scenario1_SampleBackgroundTask.xaml.cs');
    const doc = await vscode.workspace.openTextDocument(scenario);
    const at = doc.positionAt(doc.getText().indexOf('TimeZoneChange') + 3);
    const trigger = await until('trigger hover', async () => {
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', scenario, at);
      const t = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /learn\.microsoft\.com/.test(t) && t;
    });
    assert.ok(!/domain-facts|§/.test(trigger), trigger);
  });

  test('code lens parts are short commands that peek the declaration and the registrations', async () => {
    const cls = file('csharp-uwp', 'Tasks', 'SampleBackgroundTask.cs');
    const doc = await vscode.workspace.openTextDocument(cls);
    await vscode.window.showTextDocument(doc);
    const lenses = await until('two code lenses', async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', cls);
      return l && l.filter((x) => x.command && x.command.command === 'bgtask.peek').length >= 2 && l;
    });
    const titles = lenses.map((l) => l.command.title);
    assert.ok(titles.includes('declared in Package.appxmanifest'), titles.join(' | '));
    assert.ok(titles.every((t) => t.length <= 45), titles.join(' | '));
    for (const l of lenses.filter((x) => x.command.command === 'bgtask.peek')) await vscode.commands.executeCommand(l.command.command, ...l.command.arguments);
    await vscode.commands.executeCommand('closeReferenceSearch');
  });

  test('the tree: an app row expands (no click command); its items go to their source', async () => {
    const roots = await until('tree items', async () => {
      const r = await vscode.commands.executeCommand('bgtask.tree.items', { refresh: true });
      return r && r.some((a) => a.label.endsWith('csharp-uwp/BackgroundTask')) && r;
    });
    const app = roots.find((a) => a.label.endsWith('csharp-uwp/BackgroundTask'));
    assert.strictEqual(app.command, undefined);
    const reg = app.children.find((g) => g.label === 'Registrations').children[0];
    assert.strictEqual(reg.command, 'bgtask.tree.goTo');
  });

  test('Add Background Task for a C++/CX app: .h/.cpp into Tasks.vcxproj, the helper into App.vcxproj, called at start-up; checks clean', async () => {
    const manifest = file('cppcx-win81', 'App', 'Package.appxmanifest');
    const result = await vscode.commands.executeCommand('bgtask.addBackgroundTask', {
      manifest: manifest.fsPath, language: 'cppcx', name: 'AddedCxTask', trigger: 'SystemTrigger: TimeZoneChange', conditions: ['InternetAvailable'], callAtStart: true,
    });
    assert.ok(result, 'the command returned its result');
    assert.deepStrictEqual(result.files.map((f) => path.basename(f)).sort(), ['AddedCxTask.cpp', 'AddedCxTask.h', 'AddedCxTaskRegistration.h']);
    assert.deepStrictEqual(result.projects.map((p) => path.basename(p)).sort(), ['App.vcxproj', 'Tasks.vcxproj']);
    const tasksProj = fs.readFileSync(file('cppcx-win81', 'Tasks', 'Tasks.vcxproj').fsPath, 'utf8');
    assert.ok(tasksProj.includes('<ClInclude Include="AddedCxTask.h" />') && tasksProj.includes('<ClCompile Include="AddedCxTask.cpp" />'), tasksProj);
    assert.ok(fs.readFileSync(file('cppcx-win81', 'App', 'App.vcxproj').fsPath, 'utf8').includes('<ClInclude Include="AddedCxTaskRegistration.h" />'));
    assert.ok(!fs.existsSync(file('cppcx-win81', 'App', 'AddedCxTask.cs').fsPath), 'no C# file in a C++ app');
    assert.ok(/AddedCxTaskRegistration::Register\(\);/.test(fs.readFileSync(result.startup, 'utf8')), 'the MainPage constructor calls the helper');
    assert.ok(/EntryPoint="Tasks\.AddedCxTask"/.test(fs.readFileSync(manifest.fsPath, 'utf8')));
    await until('the new registration in the tree', async () => {
      const r = await vscode.commands.executeCommand('bgtask.tree.items', { refresh: true });
      const app = r.find((a) => a.label.endsWith('cppcx-win81/App'));
      return app && app.children.some((g) => g.children.some((i) => i.label === 'AddedCxTask'));
    });
    const serious = [...result.files, manifest.fsPath, result.startup]
      .flatMap((f) => vscode.languages.getDiagnostics(vscode.Uri.file(f)).filter((d) => d.source === 'bgtask' && d.severity <= vscode.DiagnosticSeverity.Warning).map((d) => `${path.basename(f)}:${d.range.start.line + 1} ${codeOf(d)} ${d.message}`));
    assert.deepStrictEqual(serious, []);
  });

  test('the conditions picker opens and Enter accepts it (no conditions)', async () => {
    const manifest = file('broken', 'winjs', 'Package.appxmanifest');
    let result;
    let settled = false;
    const run = Promise.resolve(vscode.commands.executeCommand('bgtask.addBackgroundTask', { manifest: manifest.fsPath, language: 'javascript', name: 'PickedTask', trigger: 'SystemTrigger: TimeZoneChange', callAtStart: false })).then((r) => {
      result = r;
      settled = true;
    });
    await until('the picker to be accepted', async () => {
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return settled;
    }, 20000);
    await run;
    assert.ok(result, 'the command finished after the picker was accepted');
    assert.ok(fs.existsSync(result.taskFile) && /js[\\/]pickedtask\.js$/.test(result.taskFile), result.taskFile);
    assert.ok(!/addCondition/.test(fs.readFileSync(result.registrationFile, 'utf8')), 'no condition picked');
  });
});
