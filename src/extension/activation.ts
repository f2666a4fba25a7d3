// The second stage of activation: VS Code activates bgtask for any C#, C++, JavaScript or TypeScript
// document (and for workspaces with a manifest); the language server starts only once the workspace
// has a manifest or an open document that mentions background tasks.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';

const CODE_LANGUAGES = new Set(['csharp', 'cpp', 'c', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact']);
const MARKER = 'Background';

const mentionsBackgroundTasks = (doc: vscode.TextDocument) => doc.uri.scheme === 'file' && CODE_LANGUAGES.has(doc.languageId) && doc.getText().includes(MARKER);
const isManifest = (doc: vscode.TextDocument) => /(\.appxmanifest|[\\/]appxmanifest\.xml)$/i.test(doc.uri.fsPath);

/** Calls `start` once, as soon as the workspace turns out to need the server. */
export function whenNeeded(context: vscode.ExtensionContext, start: () => void): void {
  let started = false;
  const go = () => {
    if (started) return;
    started = true;
    listener.dispose();
    start();
  };
  const listener = vscode.workspace.onDidOpenTextDocument((doc) => {
    if (mentionsBackgroundTasks(doc) || isManifest(doc)) go();
  });
  context.subscriptions.push(listener);
  if (vscode.workspace.textDocuments.some((d) => mentionsBackgroundTasks(d) || isManifest(d))) return go();
  // A short walk of the folders on disk usually finds a manifest well before the workspace search
  // answers (measured in the real VS Code: ~300-500 ms for findFiles); both run, the first hit wins.
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  void Promise.all(roots.map((r) => hasManifestNear(r))).then((hits) => {
    if (hits.some(Boolean)) go();
  });
  void vscode.workspace.findFiles('**/{*.appxmanifest,AppxManifest.xml}', '**/{node_modules,bin,obj}/**', 1).then((found) => {
    if (found.length) go();
  });
}

const SKIP = new Set(['node_modules', 'bin', 'obj', '.git', '.vs', 'AppPackages', 'packages']);

/** Breadth-first, at most `depth` levels and `budget` folders: is there a manifest? (false when unsure; findFiles decides then) */
async function hasManifestNear(root: string, depth = 5, budget = 400): Promise<boolean> {
  let level = [root];
  for (let d = 0; d <= depth && level.length; d++) {
    const next: string[] = [];
    for (const dir of level) {
      if (budget-- <= 0) return false;
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (e.isFile() && /(\.appxmanifest|^appxmanifest\.xml)$/i.test(e.name)) return true;
        if (e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.')) next.push(path.join(dir, e.name));
      }
    }
    level = next;
  }
  return false;
}
