// A real LSP client for tests: spawns the bundled server (dist/server.js) over stdio and speaks the
// protocol with vscode-languageserver-protocol, answering the server's requests like an editor would
// (configuration, capability registration, work-done progress). Waits poll, never sleep.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { REPO } from './ruleHarness';

export interface TestServer {
  connection: ProtocolConnection;
  process: ChildProcess;
  diagnostics: Map<string, Diagnostic[]>;
  notifications: Array<{ method: string; params: unknown }>;
  /** What workspace/configuration answers for section bgtask (a function: per workspace folder). */
  settings: Settings;
  stderr: string[];
  waitFor<T>(what: string, probe: () => T | undefined | false, ms?: number): Promise<T>;
  stop(): Promise<void>;
}

export const uriOf = (p: string) => pathToFileURL(p).href;

type Settings = Record<string, unknown> | ((scopeUri: string | undefined) => Record<string, unknown>);

/** Start the server on one workspace folder, or several (a multi-root workspace). */
export async function startServer(rootOrRoots: string | string[], settings: Settings = {}, client: { initializationOptions?: unknown; codeLensRefresh?: boolean } = {}): Promise<TestServer> {
  const roots = Array.isArray(rootOrRoots) ? rootOrRoots : [rootOrRoots];
  const root = roots[0];
  const child = spawn(process.execPath, [path.join(REPO, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const arrived = new Set<() => void>();
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const server: TestServer = {
    connection,
    process: child,
    diagnostics: new Map(),
    notifications: [],
    settings,
    stderr: [],
    async waitFor(what, probe, ms = 20000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const value = probe();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server stderr: ${server.stderr.join('').slice(-2000)}`);
        // Re-check on the next message from the server, or after a short poll interval.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, 25);
          function done() {
            clearTimeout(timer);
            arrived.delete(done);
            resolve();
          }
          arrived.add(done);
        });
      }
    },
    async stop() {
      try {
        await connection.sendRequest('shutdown');
        void connection.sendNotification('exit', undefined);
      } catch {
        // already gone
      }
      connection.dispose();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        setTimeout(() => child.kill(), 2000).unref();
        await exited;
      }
    },
  };
  child.stderr!.on('data', (d) => server.stderr.push(String(d)));
  const wake = () => {
    for (const f of [...arrived]) f();
  };
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    server.diagnostics.set(p.uri, p.diagnostics);
    wake();
  });
  connection.onUnhandledNotification((n: { method: string; params?: unknown }) => {
    server.notifications.push({ method: n.method, params: n.params });
    wake();
  });
  connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string; scopeUri?: string }> }) =>
    p.items.map((i) => (i.section !== 'bgtask' ? null : typeof server.settings === 'function' ? server.settings(i.scopeUri) : server.settings)),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/codeLens/refresh', () => {
    server.notifications.push({ method: 'workspace/codeLens/refresh', params: null });
    wake();
    return null;
  });
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uriOf(root),
    workspaceFolders: roots.map((r) => ({ uri: uriOf(r), name: path.basename(r) })),
    initializationOptions: client.initializationOptions,
    capabilities: {
      workspace: { ...(client.codeLensRefresh ? { codeLens: { refreshSupport: true } } : {}), configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
      window: { workDoneProgress: true },
      textDocument: { publishDiagnostics: { codeDescriptionSupport: true }, hover: { contentFormat: ['markdown', 'plaintext'] } },
    },
  });
  connection.sendNotification('initialized', {});
  return server;
}
