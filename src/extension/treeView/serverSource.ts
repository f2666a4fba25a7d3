// The tree's static source: asks the language server for bgtask/registrations (the extension never
// runs the engine itself). Changes are signalled by the provider's diagnostics listener.
import { RegistrationsRequest, type RegistrationsResult } from '../../shared/protocol';
import type { BackgroundTasksSource, Disposable, SourceSnapshot } from './model';

/** The slice of vscode-languageclient's LanguageClient the source needs. */
export interface RequestClient {
  sendRequest(method: string, params?: unknown): Promise<unknown>;
}

export class ServerRegistrationsSource implements BackgroundTasksSource {
  readonly id = 'bgtask.server';
  private readonly listeners = new Set<() => void>();

  /** `getClient` returns the running client, or undefined while the server is not started. */
  constructor(private readonly getClient: () => RequestClient | undefined | Promise<RequestClient | undefined>) {}

  async load(): Promise<SourceSnapshot | undefined> {
    const client = await this.getClient();
    if (!client) return undefined;
    const result = (await client.sendRequest(RegistrationsRequest.method, {})) as RegistrationsResult;
    return { apps: result.apps };
  }

  /** Call when the server (re)starts, so the view reloads. */
  fire(): void {
    for (const l of this.listeners) l();
  }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
