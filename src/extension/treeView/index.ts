// Registers the "Background Tasks" view (Explorer), its commands and its refresh on diagnostics.
// One call from extension.ts: registerBackgroundTasksView(context, getClient). Returns the provider,
// so a later live task-host source can be added with addSource().
import * as vscode from 'vscode';
import type { BackgroundTasksSource } from './model';
import { BackgroundTasksProvider, goTo, renderTree, VIEW_ID } from './provider';
import { ServerRegistrationsSource, type RequestClient } from './serverSource';

export interface BackgroundTasksView {
  provider: BackgroundTasksProvider;
  serverSource: ServerRegistrationsSource;
}

export function registerBackgroundTasksView(context: vscode.ExtensionContext, getClient: () => RequestClient | undefined | Promise<RequestClient | undefined>, extraSources: BackgroundTasksSource[] = []): BackgroundTasksView {
  const serverSource = new ServerRegistrationsSource(getClient);
  const provider = new BackgroundTasksProvider([serverSource, ...extraSources]);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(
    provider,
    view,
    vscode.languages.onDidChangeDiagnostics(() => provider.scheduleRefresh()),
    vscode.commands.registerCommand('bgtask.tree.refresh', () => provider.refresh()),
    vscode.commands.registerCommand('bgtask.tree.goTo', goTo),
    // Not contributed (no palette entry): lets tests read the tree as VS Code renders it.
    vscode.commands.registerCommand('bgtask.tree.items', async (opts?: { refresh?: boolean }) => {
      if (opts?.refresh) provider.refresh();
      return renderTree(provider);
    }),
  );
  return { provider, serverSource };
}
