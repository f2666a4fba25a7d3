// Debugging in VS Code (issue 8): the `bgtask` debug type, Lifecycle Events and the palette
// commands, code lenses, live registrations in the tree, the status bar item, the task host output
// channel and the timeline. One call from extension.ts: registerDebugging(context, view).
import * as vscode from 'vscode';
import type { BackgroundTasksView } from '../treeView';
import { registerCodeLenses } from './codeLens';
import { registerDebugConfiguration } from './configuration';
import { registerHostOutput } from './hostOutput';
import { HostSessions } from './hostSessions';
import { registerLifecycleCommands } from './lifecycleCommands';
import { registerLiveTree } from './liveTree';
import { registerStatusBar } from './statusBar';
import { registerTaskCodeDebugging } from './taskCodeDebugging';
import { registerTimeline } from './timeline';

export function registerDebugging(context: vscode.ExtensionContext, view: BackgroundTasksView): HostSessions {
  const sessions = new HostSessions();
  context.subscriptions.push(sessions);
  registerDebugConfiguration(context);
  registerLifecycleCommands(context, sessions);
  registerCodeLenses(context, sessions);
  registerLiveTree(context, view, sessions);
  registerStatusBar(context, sessions);
  registerHostOutput(context, sessions);
  registerTimeline(context, sessions);
  registerTaskCodeDebugging(context);
  return sessions;
}
