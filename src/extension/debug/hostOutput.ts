// The "Background Task Host" output channel: every trace line of the running sessions, in the
// bgtask-host-log language (syntaxes/bgtask-host-log.tmLanguage.json colours times, events, tasks, reasons, errors).
import * as vscode from 'vscode';
import { formatTrace } from '../../host/format';
import type { HostSessions } from './hostSessions';

export const OUTPUT_NAME = 'Background Task Host';
export const OUTPUT_LANGUAGE = 'bgtask-host-log';

export function registerHostOutput(context: vscode.ExtensionContext, sessions: HostSessions): void {
  // Created on first use, so a workspace that never starts the host has no empty channel.
  let made: vscode.OutputChannel | undefined;
  const channel = () => {
    if (!made) {
      made = vscode.window.createOutputChannel(OUTPUT_NAME, OUTPUT_LANGUAGE);
      context.subscriptions.push(made);
    }
    return made;
  };
  let buffer: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Appends are batched per 50 ms: a burst of thousands of events is one append.
  const flush = () => {
    timer = undefined;
    if (buffer.length) channel().append(buffer.join(''));
    buffer = [];
  };
  context.subscriptions.push(
    sessions.onTrace(({ ev }) => {
      buffer.push(formatTrace(ev) + '\n');
      timer ??= setTimeout(flush, 50);
    }),
    vscode.debug.onDidStartDebugSession((s) => {
      if (s.type === 'bgtask') channel().appendLine(`── ${s.name} ──`);
    }),
    vscode.commands.registerCommand('bgtask.showHostOutput', () => channel().show(true)),
    { dispose: () => timer && clearTimeout(timer) },
  );
}
