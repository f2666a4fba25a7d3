// The second stage of activation: VS Code activates bgtask for any C#, C++, JavaScript or TypeScript
// document (and for workspaces with a manifest); the language server starts only once the workspace
// has a manifest or an open document that mentions background tasks.
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
  void vscode.workspace.findFiles('**/{*.appxmanifest,AppxManifest.xml}', '**/{node_modules,bin,obj}/**', 1).then((found) => {
    if (found.length) go();
  });
}
