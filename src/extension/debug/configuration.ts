// The `bgtask` debug type on the VS Code side: launch configurations (initial and one dynamic per app,
// so F5 without launch.json works), the adapter as a separate Node process, and the trust gate (the
// host runs workspace code: only in a trusted workspace).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEBUG_TYPE } from './hostSessions';

export const MANIFEST_GLOB = '**/{*.appxmanifest,AppxManifest.xml}';
export const MANIFEST_EXCLUDE = '**/{node_modules,bin,obj,.git}/**';

export const UNTRUSTED_MESSAGE = 'Background Tasks: the task host runs the workspace\'s code, so it starts only in a trusted workspace. Trust this workspace (Manage Workspace Trust) to use it.';

/** Refuses with a message in restricted mode; true when the host may start. */
export function checkTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE, 'Manage Workspace Trust').then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

/** One launch configuration per app manifest in the workspace. */
export async function appConfigurations(folder?: vscode.WorkspaceFolder): Promise<vscode.DebugConfiguration[]> {
  const pattern = folder ? new vscode.RelativePattern(folder, MANIFEST_GLOB) : MANIFEST_GLOB;
  const manifests = (await vscode.workspace.findFiles(pattern, MANIFEST_EXCLUDE, 50)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  return manifests.map((m) => configFor(m));
}

export function configFor(manifest: vscode.Uri): vscode.DebugConfiguration {
  const ws = vscode.workspace.getWorkspaceFolder(manifest);
  const rel = ws ? path.relative(ws.uri.fsPath, path.dirname(manifest.fsPath)).replace(/\\/g, '/') : path.dirname(manifest.fsPath);
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Task host: ${rel || path.basename(path.dirname(manifest.fsPath))}`,
    // The engine scans from the workspace folder, so task classes in sibling projects are found.
    folder: ws?.uri.fsPath ?? path.dirname(manifest.fsPath),
    app: manifest.fsPath,
  };
}

/** The app whose manifest is nearest above `file` (the active editor's app). */
export async function manifestFor(file: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const all = await vscode.workspace.findFiles(MANIFEST_GLOB, MANIFEST_EXCLUDE, 200);
  if (!file) return all.length === 1 ? all[0] : undefined;
  const byDepth = all
    .filter((m) => file.fsPath.startsWith(path.dirname(m.fsPath) + path.sep) || path.dirname(file.fsPath) === path.dirname(m.fsPath))
    .sort((a, b) => b.fsPath.length - a.fsPath.length);
  if (byDepth[0]) return byDepth[0];
  // A task project beside the app project (Tasks/ next to App/): the closest manifest under the same parent.
  const parent = path.dirname(path.dirname(file.fsPath));
  return all.find((m) => m.fsPath.startsWith(parent + path.sep)) ?? (all.length === 1 ? all[0] : undefined);
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const configs = await appConfigurations(folder);
    return configs.length ? configs : [{ type: DEBUG_TYPE, request: 'launch', name: 'Background Task Host', folder: '${workspaceFolder}' }];
  }

  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    // F5 with no launch.json: an empty configuration. Use the active editor's app, else the first app.
    if (!config.type && !config.request && !config.name) {
      const manifest = (await manifestFor(vscode.window.activeTextEditor?.document.uri)) ?? (await vscode.workspace.findFiles(MANIFEST_GLOB, MANIFEST_EXCLUDE, 1))[0];
      if (!manifest) {
        void vscode.window.showInformationMessage('Background Tasks: no Package.appxmanifest in this workspace, so there is no app to run in the task host.');
        return undefined;
      }
      return this.resolveDebugConfiguration(folder, configFor(manifest));
    }
    if (!checkTrust()) return undefined;
    return { ...config, folder: config.folder ?? folder?.uri.fsPath ?? '${workspaceFolder}', trusted: vscode.workspace.isTrusted };
  }
}

/** node dist/debugAdapter.js: desktop VS Code's execPath is Electron, run as Node; elsewhere (server, web remote) it is Node. */
export function adapterExecutable(extensionPath: string): vscode.DebugAdapterExecutable {
  const adapter = path.join(extensionPath, 'dist', 'debugAdapter.js');
  const electron = !!process.versions.electron;
  return new vscode.DebugAdapterExecutable(process.execPath, [adapter], electron ? { env: { ELECTRON_RUN_AS_NODE: '1' } } : {});
}

export function registerDebugConfiguration(context: vscode.ExtensionContext): void {
  const provider = new ConfigurationProvider();
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider, vscode.DebugConfigurationProviderTriggerKind.Initial),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, { provideDebugConfigurations: (f) => appConfigurations(f) }, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: () => {
        if (!vscode.workspace.isTrusted) throw new Error(UNTRUSTED_MESSAGE);
        return adapterExecutable(context.extensionPath);
      },
    }),
  );
}

/** Starts a session for an app (the active editor's, else the only one, else the user picks). */
export async function startHost(manifest?: vscode.Uri, extra: Record<string, unknown> = {}): Promise<boolean> {
  if (!checkTrust()) return false;
  let target = manifest ?? (await manifestFor(vscode.window.activeTextEditor?.document.uri));
  if (!target) {
    const all = await vscode.workspace.findFiles(MANIFEST_GLOB, MANIFEST_EXCLUDE, 50);
    if (!all.length) {
      void vscode.window.showInformationMessage('Background Tasks: no Package.appxmanifest in this workspace.');
      return false;
    }
    const pick = all.length === 1 ? { uri: all[0] } : await vscode.window.showQuickPick(all.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { placeHolder: 'Which app should the task host run?' });
    if (!pick) return false;
    target = pick.uri;
  }
  const config = { ...configFor(target), ...extra };
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(target), config);
}
