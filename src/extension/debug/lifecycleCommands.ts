// "Background Tasks: Lifecycle Events…" (debug toolbar and palette) and the palette commands that fire
// from anywhere: Fire Trigger…, Run Task Now…, Suspend/Resume App, Advance Time…, Change Condition…,
// Run Scenario…, Start Task Host. With no session running they offer to start one for the active
// editor's app. Each command takes an optional argument that skips the picker (used by code lenses,
// tree items and tests) and returns the adapter's answer.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ACCESS_STATUSES } from '../../core/model/catalog';
import { checkTrust, configFor, manifestFor, startHost } from './configuration';
import type { HostSessions, HostSessionView } from './hostSessions';
import { SECTIONS, lifecycleItems, parseArguments, type LifecycleAction, type LifecycleItem, type Section } from './lifecycleItems';

/** Preselects an item by id (see lifecycleItems), with the text an input box would have asked for. */
export interface PickArgument {
  id: string;
  input?: string;
}

type Picked = LifecycleItem | undefined;

export function registerLifecycleCommands(context: vscode.ExtensionContext, sessions: HostSessions): void {
  /** The running session, or (after asking) a new one for the active editor's app. */
  const withSession = async (): Promise<HostSessionView | undefined> => {
    const current = sessions.current();
    if (current) return current;
    if (!checkTrust()) return undefined;
    const manifest = await manifestFor(vscode.window.activeTextEditor?.document.uri);
    const name = manifest ? vscode.workspace.asRelativePath(path.dirname(manifest.fsPath)) : 'this workspace';
    const pick = await vscode.window.showInformationMessage(`No task host is running. Start one for ${name}?`, 'Start Task Host');
    if (!pick || !(await startHost(manifest))) return undefined;
    return waitForSession(sessions);
  };

  const pick = async (sections: readonly Section[], arg: string | PickArgument | undefined, placeHolder: string, idOf: (s: string) => string): Promise<{ view: HostSessionView; item: LifecycleItem; input?: string } | undefined> => {
    const view = await withSession();
    if (!view) return undefined;
    const want = arg === undefined ? undefined : typeof arg === 'string' ? { id: idOf(arg) } : arg;
    // A preselected item that does not depend on the current state (not a condition toggle or the next
    // tick) is found in the last snapshot, so the request goes out without another round trip first.
    const cachedOk = want && view.snapshot && !/^(condition:|other:TimeTrigger)/i.test(want.id) && Date.now() - view.snapshotAt < 5000;
    const snap = cachedOk ? view.snapshot! : await sessions.snapshot(view);
    let items = lifecycleItems(snap).filter((i) => sections.includes(i.section));
    if (want && cachedOk && !items.some((i) => i.id.toLowerCase() === want.id.toLowerCase())) items = lifecycleItems(await sessions.snapshot(view)).filter((i) => sections.includes(i.section));
    if (want) {
      const item = items.find((i) => i.id === want.id || i.id.toLowerCase() === want.id.toLowerCase());
      if (!item) throw new Error(`no Lifecycle Events item '${want.id}' (have ${items.map((i) => i.id).join(', ')})`);
      return { view, item, input: want.input };
    }
    const chosen = await showPicker(items, placeHolder);
    return chosen ? { view, item: chosen } : undefined;
  };

  const run = async (picked: { view: HostSessionView; item: LifecycleItem; input?: string } | undefined): Promise<unknown> => {
    if (!picked) return undefined;
    const request = await resolveAction(picked.item.action, picked.input);
    if (!request) return undefined;
    try {
      return await picked.view.session.customRequest(request.request, request.args);
    } catch (error) {
      void vscode.window.showErrorMessage(`Background Tasks: ${(error as Error).message}`);
      return undefined;
    }
  };

  const command = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  command('bgtask.lifecycleEvents', async (arg?: string | PickArgument) => run(await pick(SECTIONS, arg, 'Lifecycle Events: the app, its tasks, system events, conditions, time', (s) => s)));
  command('bgtask.fireTrigger', async (arg?: string | PickArgument) => run(await pick(['System events', 'Other triggers'], arg, 'Fire a trigger', (s) => `system:${s}`)));
  command('bgtask.runTaskNow', async (arg?: string | PickArgument) => run(await pick(['Registered tasks'], arg, 'Run a registered task now (as Visual Studio does)', (s) => `task:${s}`)));
  command('bgtask.suspendApp', async () => run(await pick(['App'], 'app:suspend', '', (s) => s)));
  command('bgtask.resumeApp', async () => run(await pick(['App'], 'app:resume', '', (s) => s)));
  command('bgtask.advanceTime', async (arg?: string | PickArgument) => run(await pick(['Time', 'Other triggers'], typeof arg === 'string' ? { id: 'time:custom', input: arg } : arg, 'Advance virtual time', (s) => s)));
  command('bgtask.changeCondition', async (arg?: string | PickArgument) => run(await pick(['Conditions'], arg, 'Change a condition (system state)', (s) => `condition:${s}`)));
  command('bgtask.startHost', async (manifest?: vscode.Uri) => startHost(manifest instanceof vscode.Uri ? manifest : undefined));
  command('bgtask.runScenario', async (uri?: vscode.Uri) => {
    if (!checkTrust()) return false;
    let scenario = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri.fsPath.endsWith('.bgscenario.json') ? vscode.window.activeTextEditor.document.uri : undefined;
    if (!scenario) {
      const all = await vscode.workspace.findFiles('**/*.bgscenario.json', '**/node_modules/**', 100);
      const chosen = await vscode.window.showQuickPick(all.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { placeHolder: all.length ? 'Which scenario?' : 'No *.bgscenario.json in this workspace' });
      scenario = chosen?.uri;
    }
    if (!scenario) return false;
    const manifest = await manifestFor(scenario);
    if (!manifest) {
      void vscode.window.showErrorMessage(`Background Tasks: no app manifest found for ${vscode.workspace.asRelativePath(scenario)}.`);
      return false;
    }
    return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(scenario), { ...configFor(manifest), name: `Scenario: ${path.basename(scenario.fsPath)}`, scenario: scenario.fsPath, store: path.join(context.globalStorageUri.fsPath, 'scenario-store', String(Date.now())) });
  });
}

async function waitForSession(sessions: HostSessions, ms = 30_000): Promise<HostSessionView | undefined> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const view = sessions.current();
    if (view?.snapshot) return view;
    await new Promise((r) => setTimeout(r, 50));
  }
  return sessions.current();
}

async function showPicker(items: LifecycleItem[], placeHolder: string): Promise<Picked> {
  type QP = vscode.QuickPickItem & { item?: LifecycleItem };
  const entries: QP[] = [];
  let section: Section | undefined;
  for (const item of items) {
    if (item.section !== section) {
      section = item.section;
      entries.push({ label: section, kind: vscode.QuickPickItemKind.Separator });
    }
    entries.push({ label: item.label, description: item.description, detail: item.detail, item });
  }
  const chosen = await vscode.window.showQuickPick(entries, { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return chosen?.item;
}

/** Turns an action into the request to send, asking for input when the item needs it. */
async function resolveAction(action: LifecycleAction, given?: string): Promise<{ request: string; args: Record<string, unknown> } | undefined> {
  if ('request' in action) return action;
  const ask = async (prompt: string, value?: string, validate?: (v: string) => string | undefined) => given ?? (await vscode.window.showInputBox({ prompt, value, validateInput: validate }));
  const choose = async (options: readonly string[], placeHolder: string) => given ?? (await vscode.window.showQuickPick([...options], { placeHolder }));
  switch (action.input) {
    case 'applicationTrigger': {
      const text = await ask(`Arguments for ${action.task} (key=value, … or a JSON object)`, '', (v) => (parseArguments(v) ? undefined : 'Write key=value pairs separated by commas, or a JSON object'));
      const args = text === undefined ? undefined : parseArguments(text);
      return args ? { request: 'bgtask.applicationTrigger', args: { task: action.task, arguments: args } } : undefined;
    }
    case 'push': {
      const payload = await ask(`Raw notification payload for ${action.task}`, '');
      return payload === undefined ? undefined : { request: 'bgtask.push', args: { task: action.task, payload } };
    }
    case 'duration': {
      const d = await ask('Advance virtual time by (20m, 2h, 1d)', '20m', (v) => (/^\s*(\d+(\.\d+)?\s*(ms|min|s|m|h|d)\s*)+$/i.test(v) ? undefined : 'A duration like 20m, 2h30m or 1d'));
      return d ? { request: 'bgtask.advance', args: { duration: d } } : undefined;
    }
    case 'accessStatus': {
      const v = await choose(ACCESS_STATUSES, 'What RequestAccessAsync returns (BackgroundAccessStatus)');
      return v ? { request: 'bgtask.setState', args: { accessStatus: v } } : undefined;
    }
    case 'backgroundWorkCost': {
      const v = await choose(['Low', 'Medium', 'High'], 'BackgroundWorkCost');
      return v ? { request: 'bgtask.setState', args: { backgroundWorkCost: v } } : undefined;
    }
    case 'timeZone': {
      const v = await ask('Time zone (an IANA or Windows name); TimeZoneChange fires', 'Pacific Standard Time');
      return v ? { request: 'bgtask.setState', args: { timeZone: v } } : undefined;
    }
  }
}
