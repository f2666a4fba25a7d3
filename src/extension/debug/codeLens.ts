// Client-side code lenses: "▶ Run now" over each background task class (C#, C++/CX, C++/WinRT,
// TypeScript) and at the top of a JavaScript task script, "▷ Run scenario" at the top of a
// *.bgscenario.json. Running a task needs a session: the command offers to start one.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startHost, manifestFor } from './configuration';
import type { HostSessions } from './hostSessions';

const TASK_CLASS = /\b(?:ref\s+)?(?:class|struct)\s+([A-Za-z_]\w*)[^{;]*?\bIBackgroundTask\b/g;
const NAMESPACE = /\bnamespace\s+([\w.:]+)/g;
const JS_TASK = /WebUIBackgroundTaskInstance\s*\.\s*current|\bimportScripts\b.*\bclose\s*\(/;

/** Task classes in a document: full name (namespace-qualified, as an EntryPoint) and the line. */
export function taskClassesIn(text: string): Array<{ fullName: string; offset: number }> {
  const namespaces = [...text.matchAll(NAMESPACE)].map((m) => ({ at: m.index ?? 0, name: m[1].replace(/::/g, '.') }));
  const out: Array<{ fullName: string; offset: number }> = [];
  for (const m of text.matchAll(TASK_CLASS)) {
    const at = m.index ?? 0;
    const ns = namespaces.filter((n) => n.at < at).map((n) => n.name);
    out.push({ fullName: [...ns, m[1]].join('.'), offset: at });
  }
  return out;
}

class RunNowLenses implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const text = doc.getText();
    if (doc.fileName.endsWith('.bgscenario.json')) {
      return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: '▷ Run scenario', command: 'bgtask.runScenario', arguments: [doc.uri] })];
    }
    if (!text.includes('BackgroundTask')) return [];
    if (doc.languageId === 'javascript' && JS_TASK.test(text)) {
      return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: '▶ Run now', command: 'bgtask.runEntryPoint', arguments: [{ file: doc.uri.fsPath }] })];
    }
    return taskClassesIn(text).map(({ fullName, offset }) => {
      const pos = doc.positionAt(offset);
      return new vscode.CodeLens(new vscode.Range(pos, pos), { title: '▶ Run now', tooltip: `Run ${fullName}'s registrations in the task host now`, command: 'bgtask.runEntryPoint', arguments: [{ entryPoint: fullName, file: doc.uri.fsPath }] });
    });
  }
}

export function registerCodeLenses(context: vscode.ExtensionContext, sessions: HostSessions): void {
  const selector: vscode.DocumentSelector = [
    { scheme: 'file', language: 'csharp' }, { scheme: 'file', language: 'cpp' }, { scheme: 'file', language: 'javascript' },
    { scheme: 'file', language: 'typescript' }, { scheme: 'file', pattern: '**/*.bgscenario.json' },
  ];
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider(selector, new RunNowLenses()),
    // Not contributed: the lenses' command. Runs each registration whose entry point is this class or script.
    vscode.commands.registerCommand('bgtask.runEntryPoint', async (target: { entryPoint?: string; file: string }) => {
      let view = sessions.current();
      if (!view) {
        const pick = await vscode.window.showInformationMessage('No task host is running. Start one for this app, then run the task?', 'Start Task Host');
        if (!pick || !(await startHost(await manifestFor(vscode.Uri.file(target.file))))) return undefined;
        const end = Date.now() + 30_000;
        while (!(view = sessions.current())?.snapshot && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
        if (!view) return undefined;
      }
      const snap = await sessions.snapshot(view);
      const file = target.file.replace(/\\/g, '/');
      const names = snap.registrations
        .filter((r) => (target.entryPoint && r.entryPoint === target.entryPoint) || (r.entryPoint && /\.(j|t)s$/i.test(r.entryPoint) && file.endsWith('/' + r.entryPoint.replace(/\\/g, '/'))))
        .map((r) => r.name);
      if (!names.length) {
        void vscode.window.showInformationMessage(`Background Tasks: nothing registers ${target.entryPoint ?? path.basename(target.file)} in the running task host (the app's launch did not register it).`);
        return undefined;
      }
      return Promise.all([...new Set(names)].map((task) => view!.session.customRequest('bgtask.trigger', { task })));
    }),
  );
}
