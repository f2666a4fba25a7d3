// Live registrations in the "Background Tasks" view while a bgtask session runs (a tree source fed by
// the sessions' snapshots and trace; the static view alone returns when the session ends), and the
// tree items' actions: Run now, Unregister.
import * as vscode from 'vscode';
import type { BackgroundTasksSource, Disposable, SourceSnapshot, TreeNode } from '../treeView/model';
import type { BackgroundTasksView } from '../treeView';
import type { HostSessions } from './hostSessions';
import { liveRegistrations } from './liveState';

class LiveSource implements BackgroundTasksSource {
  readonly id = 'bgtask.host';
  constructor(private readonly sessions: HostSessions) {}

  async load(): Promise<SourceSnapshot | undefined> {
    const live = this.sessions.all().flatMap((v) => (v.snapshot ? [{ appRoot: v.snapshot.appFolder, registrations: liveRegistrations(v.snapshot, v.trace) }] : []));
    return live.length ? { live } : undefined;
  }

  onDidChange(listener: () => void): Disposable {
    return this.sessions.onDidChange(listener);
  }
}

/** Registration name(s) a tree node stands for: a live or code registration by name, a task class by its entry point. */
async function taskNamesOf(node: TreeNode | undefined, sessions: HostSessions): Promise<string[]> {
  if (!node) return [];
  if (node.kind === 'live' || node.kind === 'registration') return [node.label];
  const view = sessions.current();
  if (node.kind === 'taskClass' && view) {
    const snap = await sessions.snapshot(view);
    return snap.registrations.filter((r) => r.entryPoint === node.label || r.entryPoint?.replace(/\\/g, '/') === node.label).map((r) => r.name);
  }
  return [];
}

export function registerLiveTree(context: vscode.ExtensionContext, view: BackgroundTasksView, sessions: HostSessions): void {
  context.subscriptions.push(
    view.provider.addSource(new LiveSource(sessions)),
    vscode.commands.registerCommand('bgtask.tree.runNow', async (node?: TreeNode) => {
      const names = await taskNamesOf(node, sessions);
      if (!names.length) {
        void vscode.window.showInformationMessage(`Background Tasks: ${node?.label ?? 'this item'} has no registration in the running task host (launch the app, or register it).`);
        return undefined;
      }
      return Promise.all([...new Set(names)].map((task) => vscode.commands.executeCommand('bgtask.runTaskNow', task)));
    }),
    vscode.commands.registerCommand('bgtask.tree.unregister', async (node?: TreeNode) => {
      const session = sessions.current();
      if (!session || !node) return undefined;
      const cancel = await vscode.window.showQuickPick([{ label: 'Unregister', cancel: false }, { label: 'Unregister and cancel running instances', cancel: true }], { placeHolder: `Unregister ${node.label}` });
      if (!cancel) return undefined;
      return session.session.customRequest('bgtask.unregister', { task: node.label, cancel: cancel.cancel }).then(undefined, (e: Error) => vscode.window.showErrorMessage(`Background Tasks: ${e.message}`));
    }),
    vscode.commands.registerCommand('bgtask.tree.cancelInstance', async (node?: TreeNode) => {
      const session = sessions.current();
      if (!session || !node) return undefined;
      return session.session.customRequest('bgtask.cancel', { task: node.label, reason: 'Abort' }).then(undefined, (e: Error) => vscode.window.showErrorMessage(`Background Tasks: ${e.message}`));
    }),
  );
}
