// Breakpoints in JavaScript/TypeScript task code: the adapter reports each task runner process the
// host starts under the Node inspector (`bgtask.inspector`, 127.0.0.1 only) and this attaches VS Code's
// JavaScript debugger to it as a child of the bgtask session (stopped with it).
import * as vscode from 'vscode';
import { DEBUG_TYPE } from './hostSessions';

export interface InspectorEvent {
  pid: number;
  port: number;
  address: string;
}

export function attachConfiguration(ev: InspectorEvent): vscode.DebugConfiguration {
  return { type: 'pwa-node', request: 'attach', name: `Task code (pid ${ev.pid})`, address: '127.0.0.1', port: ev.port, continueOnAttach: true, skipFiles: ['<node_internals>/**'] };
}

export function registerTaskCodeDebugging(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== DEBUG_TYPE || e.event !== 'bgtask.inspector') return;
      const ev = e.body as InspectorEvent;
      if (!ev?.port || ev.address !== '127.0.0.1') return;
      void vscode.debug.startDebugging(e.session.workspaceFolder, attachConfiguration(ev), {
        parentSession: e.session,
        lifecycleManagedByParent: true,
        consoleMode: vscode.DebugConsoleMode.MergeWithParent,
        compact: true,
      }).then((ok) => {
        if (!ok) void vscode.window.showWarningMessage(`Background Tasks: could not attach the JavaScript debugger to the task runner (pid ${ev.pid}); breakpoints in task code will not stop.`);
      });
    }),
  );
}
