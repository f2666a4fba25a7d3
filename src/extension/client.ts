// Starts the bgtask language server (dist/server.js, its own process) and the status item that shows
// its state, the profile and the time of the last check. Loaded lazily by extension.ts, so
// vscode-languageclient costs nothing until a workspace needs it.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { StatusNotification, type ServerStatus } from '../shared/protocol';
import { readSettings } from './settings';
import { statusDetail } from './statusText';

/** Every file the server analyses, by name: independent of which language extension owns it. */
export const DOCUMENT_SELECTOR: vscode.DocumentFilter[] = [
  { scheme: 'file', pattern: '**/*.{cs,cpp,h,hpp,cxx,cc,js,mjs,cjs,ts,appxmanifest,csproj,vcxproj}' },
  { scheme: 'file', pattern: '**/[Aa]ppx[Mm]anifest.xml' },
];

export interface RunningClient {
  client: LanguageClient;
  dispose(): Promise<void>;
}

export async function startClient(context: vscode.ExtensionContext, onStatus: (status: ServerStatus) => void): Promise<RunningClient> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env: { ...process.env, BGTASK_VERSION: String(context.extension.packageJSON.version) } } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    initializationOptions: { settings: readSettings(), rulePageLinks: 'command' },
    // Rule links in hovers open the rule page (rulePages.ts); no other command runs from server markdown.
    markdown: { isTrusted: { enabledCommands: ['bgtask.openRulePage'] } },
    outputChannelName: 'Background Tasks (bgtask)',
    // The server registers its own file watchers; settings are pulled with workspace/configuration.
  };
  const client = new LanguageClient('bgtask', 'Background Tasks (bgtask)', serverOptions, clientOptions);
  client.onNotification(StatusNotification.method, (status: ServerStatus) => onStatus(status));
  await client.start();
  return {
    client,
    dispose: async () => {
      if (client.isRunning()) await client.stop();
    },
  };
}

/** The language status item: server state, profile, last check; click for the output. */
export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('bgtask.status', DOCUMENT_SELECTOR);
    this.item.name = 'Background Tasks';
    this.item.text = '$(server-process) bgtask';
    this.item.detail = 'starting';
    this.item.busy = true;
    this.item.command = { title: 'Show Output', command: 'bgtask.showOutput' };
  }

  update(status: ServerStatus): void {
    this.item.busy = status.state !== 'ready';
    const when = status.lastCheck ? new Date(status.lastCheck).toLocaleTimeString() : undefined;
    const profile = `${status.profile}${status.profileForced ? ' (bgtask.profile)' : ''}`;
    this.item.text = `$(server-process) bgtask: ${profile}`;
    this.item.detail = status.state === 'ready' ? statusDetail(status, when) : status.state;
    this.item.severity = vscode.LanguageStatusSeverity.Information;
  }

  failed(message: string): void {
    this.item.busy = false;
    this.item.detail = `server failed: ${message}`;
    this.item.severity = vscode.LanguageStatusSeverity.Error;
  }

  dispose(): void {
    this.item.dispose();
  }
}
