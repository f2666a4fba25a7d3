// Startup, measured first (the file sorts first): how long after the extension host started, and after
// bgtask's activation, the first bgtask diagnostics appear for the scratch copy of examples/. Figures
// are printed as [it-bench] lines (reported, not asserted: timings are benchmarks, not tests).
const assert = require('assert');
const { spawnSync } = require('child_process');
const path = require('path');
const vscode = require('vscode');

const tick = () => new Promise((r) => setTimeout(r, 20));

suite('startup', () => {
  test('first diagnostics after opening examples/', async () => {
    const ext = vscode.extensions.getExtension('bgtask.bgtask');
    assert.ok(ext);
    const hostStart = performance.timeOrigin;
    const suiteStart = Date.now();
    const deadline = Date.now() + 60000;
    let first;
    while (!first) {
      first = vscode.languages.getDiagnostics().find(([, list]) => list.some((d) => d.source === 'bgtask'));
      if (!first) {
        if (Date.now() > deadline) throw new Error('no bgtask diagnostics within 60 s');
        await tick();
      }
    }
    const at = Date.now();
    const files = vscode.languages.getDiagnostics().filter(([, list]) => list.some((d) => d.source === 'bgtask')).length;
    const m = ext.exports.marks;
    const now = performance.now();
    const rel = (t) => (t === undefined ? '?' : `${Math.round(t)} ms`);
    console.log(`[it-bench] first bgtask diagnostics ${Math.round(at - hostStart)} ms after the extension host started, ${at - suiteStart} ms after the suite started; activate() at ${rel(m.activated)} (took ${ext.exports.activationMs.toFixed(1)} ms), server needed at ${rel(m.serverNeeded)}, client running at ${rel(m.serverRunning)}, first diagnostics at ${rel(now)} (${Math.round(now - m.activated)} ms after activation; ${files} files with diagnostics then)`);
    // Baseline in the same run and under the same load: a cold `bgtask check` of the same folder (a new
    // Node process that loads the bundle and the grammars, scans and checks), as the ratio's denominator.
    const cliStart = Date.now();
    const cli = spawnSync(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), 'check', vscode.workspace.workspaceFolders[0].uri.fsPath, '--format', 'json'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' });
    const cliMs = Date.now() - cliStart;
    console.log(`[it-bench] baseline: cold bgtask check of the same folder ${cliMs} ms (exit ${cli.status}); first diagnostics after activation = ${((now - m.activated) / cliMs).toFixed(2)} × that`);
    assert.ok(ext.isActive, 'activated by workspaceContains, without opening a file');
  });
});
