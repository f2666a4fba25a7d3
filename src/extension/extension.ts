// bgtask's VS Code entry point: registers each feature from its own module and starts the language
// server lazily (see activation.ts). activate() stays small and synchronous in its work.
import * as vscode from 'vscode';
import type { ServerStatus } from '../shared/protocol';
import { whenNeeded } from './activation';
import { registerAddTaskCommand } from './addTask';
import { registerPeekCommand } from './peek';
import { registerRulePages } from './rulePages';
import type { RunningClient, StatusItem } from './client';
import { registerBackgroundTasksView } from './treeView';
import { registerDebugging } from './debug';

let running: Promise<RunningClient | undefined> | undefined;

/** What activate() returns to other extensions and to the integration suite. */
export interface BgtaskApi {
  /** How long activate() itself took, in milliseconds. */
  activationMs: number;
  /** When (performance.now() of the extension host) activate() ran, the server was needed, and its client was running. */
  marks: { activated: number; serverNeeded?: number; serverRunning?: number };
}

export function activate(context: vscode.ExtensionContext): BgtaskApi {
  const started = performance.now();
  const marks: BgtaskApi['marks'] = { activated: started };
  let status: StatusItem | undefined;
  const getClient = () => running?.then((r) => r?.client);
  const view = registerBackgroundTasksView(context, getClient);
  registerAddTaskCommand(context, getClient);
  registerDebugging(context, view);
  registerRulePages(context);
  registerPeekCommand(context);

  const start = () => {
    marks.serverNeeded = performance.now();
    running = (async () => {
      try {
        const { startClient, StatusItem } = await import('./client');
        status ??= new StatusItem();
        context.subscriptions.push(status);
        const r = await startClient(context, (s: ServerStatus) => status?.update(s));
        marks.serverRunning = performance.now();
        context.subscriptions.push({ dispose: () => void r.dispose() });
        view.serverSource.fire();
        return r;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        status?.failed(message);
        void vscode.window.showErrorMessage(`Background Tasks: the language server could not start: ${message}`);
        return undefined;
      }
    })();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('bgtask.showOutput', async () => (await getClient())?.outputChannel.show()),
    vscode.commands.registerCommand('bgtask.restartServer', async () => {
      const client = await getClient();
      if (client) {
        await client.restart();
        view.serverSource.fire();
      } else start();
    }),
  );
  whenNeeded(context, start);
  return { activationMs: performance.now() - started, marks };
}

export async function deactivate(): Promise<void> {
  const r = await running?.catch(() => undefined);
  await r?.dispose();
}
