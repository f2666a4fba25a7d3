// The bgtask language server (its own bundle, dist/server.js, and process): wires LSP to the session
// and the editor features. Thin on purpose: analysis lives in src/core, features in ./features.
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type DidChangeConfigurationParams,
  type DidChangeWatchedFilesParams,
  type InitializeParams,
  type TextDocumentChangeEvent,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from './features/codeActions';
import { completion } from './features/completion';
import { hover } from './features/hover';
import { codeLenses, definition, references } from './features/navigation';
import { registerRegistrationsRequest } from './registrationsRequest';
import { setRuleLinks, uriOfPath } from './convert';
import { readSettings, Session, type Settings } from './session';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const session = new Session(connection, documents);
let canPullConfiguration = false;
let canWatchFiles = false;
let initialSettings: unknown;
let roots: string[] = [];

/** A handler that never throws at the client: a bug in one feature must not take the server down. */
function safe<P, R>(name: string, fallback: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
  return async (params: P) => {
    try {
      await session.whenReady();
      return await handler(params);
    } catch (error) {
      connection.console.error(`bgtask: ${name} failed: ${(error as Error).stack ?? error}`);
      return fallback;
    }
  };
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  const init = params.initializationOptions as { settings?: unknown; rulePageLinks?: string } | undefined;
  initialSettings = init?.settings;
  if (init?.rulePageLinks === 'command') setRuleLinks('command');
  session.canRefreshCodeLens = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  roots = folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u).replace(/\\/g, '/'));
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      completionProvider: { triggerCharacters: ['"', '.', ':', "'"] },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      codeLensProvider: { resolveProvider: false },
      workspace: { workspaceFolders: { supported: true } },
    },
    serverInfo: { name: 'bgtask', version: process.env.BGTASK_VERSION ?? 'dev' },
  };
});

/** The bgtask settings of each workspace folder (per-resource), in the order of `roots`. */
async function currentSettings(): Promise<Settings[]> {
  const fallback = () => (roots.length ? roots : ['']).map(() => readSettings(initialSettings));
  if (!canPullConfiguration) return fallback();
  try {
    const items = roots.length ? roots.map((r) => ({ section: 'bgtask', scopeUri: uriOfPath(r) })) : [{ section: 'bgtask' }];
    const values: unknown[] = await connection.workspace.getConfiguration(items);
    return values.map(readSettings);
  } catch {
    return fallback();
  }
}

connection.onInitialized(async () => {
  if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'bgtask' });
  if (canWatchFiles) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{cs,cpp,h,hpp,cxx,cc,js,mjs,cjs,ts,appxmanifest,csproj,vcxproj}' }, { globPattern: '**/[Aa]ppx[Mm]anifest.xml' }],
    });
  }
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  await session.start(roots, await currentSettings(), progress);
});

connection.onDidChangeConfiguration(async (change: DidChangeConfigurationParams) => {
  const settings = canPullConfiguration ? await currentSettings() : roots.map(() => readSettings((change.settings as { bgtask?: unknown } | undefined)?.bgtask));
  await session.whenReady();
  await session.setSettings(settings);
});

connection.onDidChangeWatchedFiles(async ({ changes }: DidChangeWatchedFilesParams) => {
  await session.whenReady();
  for (const c of changes) {
    try {
      await session.updateFromDisk(c.uri, c.type === FileChangeType.Deleted);
    } catch (error) {
      connection.console.error(`bgtask: reading ${c.uri} failed: ${(error as Error).message}`);
    }
  }
});

documents.onDidChangeContent(async ({ document }: TextDocumentChangeEvent<TextDocument>) => {
  await session.whenReady();
  try {
    await session.updateFromDocument(document);
  } catch (error) {
    connection.console.error(`bgtask: analysing ${document.uri} failed: ${(error as Error).stack ?? error}`);
  }
});

documents.onDidClose(async ({ document }: TextDocumentChangeEvent<TextDocument>) => {
  await session.whenReady();
  // The editor may have held unsaved text: go back to what is on disk.
  await session.updateFromDisk(document.uri, false).catch(() => undefined);
});

connection.onCodeAction(safe('code actions', [], (params) => codeActions(session, params)));
connection.onCompletion(safe('completion', [], (params) => completion(session, documents, params)));
connection.onHover(safe('hover', null, (params) => hover(session, documents, params)));
connection.onDefinition(safe('definition', [], (params) => definition(session, documents, params)));
connection.onReferences(safe('references', [], (params) => references(session, documents, params)));
connection.onCodeLens(safe('code lens', [], (params) => codeLenses(session, params)));
registerRegistrationsRequest(connection, async () => {
  await session.whenReady();
  return session.engine;
});

process.on('uncaughtException', (error) => connection.console.error(`bgtask: unexpected error: ${error.stack ?? error}`));
process.on('unhandledRejection', (error) => connection.console.error(`bgtask: unexpected rejection: ${(error as Error)?.stack ?? error}`));

documents.listen(connection);
connection.listen();
