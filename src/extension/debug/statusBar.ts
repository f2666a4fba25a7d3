// The status bar item while a bgtask session runs: app state, virtual clock, running count
// ("$(debug-pause) Suspended · 00:31:00 · 2 running"); a click opens Lifecycle Events.
import * as vscode from 'vscode';
import type { HostSessions } from './hostSessions';
import { clockText, statusText } from './statusText';

export function registerStatusBar(context: vscode.ExtensionContext, sessions: HostSessions): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('bgtask.hostStatus', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Background Task Host';
  item.command = 'bgtask.lifecycleEvents';
  let shown = false;
  const update = () => {
    const snap = sessions.current()?.snapshot;
    shown = !!snap;
    if (!snap) return item.hide();
    item.text = statusText(snap);
    item.tooltip = `Background Task Host: the app is ${snap.appState === 'notRunning' ? 'not running' : snap.appState}, virtual time ${clockText(snap.now)}, ${snap.registrations.length} registration(s), ${snap.running.length} running, ${snap.latched.length} latched.\nClick for Lifecycle Events.`;
    item.show();
  };
  context.subscriptions.push(
    item,
    sessions.onDidChange(update),
    // Not contributed: lets tests read the item as shown.
    vscode.commands.registerCommand('bgtask.host.status', () => ({ visible: shown, text: shown ? item.text : undefined, sessions: sessions.all().map((v) => ({ name: v.session.name, snapshot: !!v.snapshot, trace: v.trace.length })), active: vscode.debug.activeDebugSession?.name })),
  );
  return item;
}
