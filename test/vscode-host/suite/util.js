// Shared by the suite's test files (not a test file itself): the scratch workspace's files, polling with
// a deadline (integration tests poll, never sleep a fixed time), and a diagnostic's rule id.
const vscode = require('vscode');

const ws = () => vscode.workspace.workspaceFolders[0].uri;
const file = (...parts) => vscode.Uri.joinPath(ws(), ...parts);
const tick = () => new Promise((r) => setTimeout(r, 50));
const codeOf = (d) => String(d.code && typeof d.code === 'object' ? d.code.value : d.code);

/** Poll `probe` until it returns a truthy value or the deadline passes. */
async function until(what, probe, ms = 30000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : last !== undefined ? `: ${JSON.stringify(last)}` : ''}`);
    await tick();
  }
}

module.exports = { ws, file, tick, codeOf, until };
