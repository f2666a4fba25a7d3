// Serves bgtask/registrations (the "Background Tasks" tree's data) from the server's engine.
// Hooked into the server with one call: registerRegistrationsRequest(connection, getEngine).
import type { Engine } from '../core/engine';
import { RegistrationsRequest, type RegistrationsResult } from '../shared/protocol';
import { registrationsModel } from './registrationsModel';

/** The slice of vscode-languageserver's Connection this needs (kept structural so tests can pass a fake). */
export interface RequestConnection {
  onRequest(method: string, handler: (params: never) => unknown): unknown;
}

/** `getEngine` may wait for the first workspace load; undefined means no workspace yet. */
export function registerRegistrationsRequest(connection: RequestConnection, getEngine: () => Engine | undefined | Promise<Engine | undefined>): void {
  connection.onRequest(RegistrationsRequest.method, async (): Promise<RegistrationsResult> => {
    const engine = await getEngine();
    return engine ? registrationsModel(engine) : { apps: [] };
  });
}
