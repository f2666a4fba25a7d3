// The "Background Tasks: Add Background Task…" command: a multi-step quick pick (manifest, language,
// name, trigger, conditions) that writes the task class, a registration helper and the manifest
// Extension in one WorkspaceEdit. The text comes from addTaskTemplates; arguments skip steps (tests).
import * as vscode from 'vscode';
import type { ManifestFacts, ProfileId } from '../core/facts/types';
import { SYSTEM_CONDITION_TYPES } from '../core/model/catalog';
import { extractManifest } from '../core/parsers/manifest';
import { RegistrationsRequest, type AppDto, type RegistrationsResult } from '../shared/protocol';
import { isIdentifier, manifestInsert, registrationFileName, registrationText, taskClassText, taskFileName, triggerChoices, type AddTaskLanguage, type AddTaskOptions, type TriggerChoice } from './addTaskTemplates';
import type { RequestClient } from './treeView/serverSource';

export interface AddTaskArgs {
  manifest?: string;
  language?: AddTaskLanguage;
  name?: string;
  /** Label of a trigger choice, e.g. `SystemTrigger: TimeZoneChange` or `TimeTrigger (15 minutes)`. */
  trigger?: string;
  conditions?: string[];
}

export interface AddTaskResult {
  taskFile: string;
  registrationFile: string;
  manifest: string;
}

const TITLE = 'Add Background Task';
const MANIFEST_GLOB = '**/{*.appxmanifest,AppxManifest.xml}';

export function registerAddTaskCommand(context: vscode.ExtensionContext, getClient: () => RequestClient | undefined | Promise<RequestClient | undefined>): void {
  context.subscriptions.push(vscode.commands.registerCommand('bgtask.addBackgroundTask', (args?: AddTaskArgs) => addBackgroundTask(getClient, args ?? {})));
}

async function serverApps(getClient: () => RequestClient | undefined | Promise<RequestClient | undefined>): Promise<AppDto[]> {
  try {
    const client = await getClient();
    if (!client) return [];
    return ((await client.sendRequest(RegistrationsRequest.method, {})) as RegistrationsResult).apps;
  } catch {
    return [];
  }
}

const norm = (p: string) => p.replace(/\\/g, '/');
const dirOf = (p: string) => p.slice(0, norm(p).lastIndexOf('/'));

async function addBackgroundTask(getClient: () => RequestClient | undefined | Promise<RequestClient | undefined>, args: AddTaskArgs): Promise<AddTaskResult | undefined> {
  // 1. The app: its manifest.
  let manifestUri: vscode.Uri | undefined = args.manifest ? vscode.Uri.file(args.manifest) : undefined;
  if (!manifestUri) {
    const found = (await vscode.workspace.findFiles(MANIFEST_GLOB, '**/{node_modules,bin,obj,AppPackages}/**')).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    if (!found.length) {
      void vscode.window.showErrorMessage('Add Background Task: no Package.appxmanifest or AppxManifest.xml in this workspace.');
      return undefined;
    }
    if (found.length === 1) manifestUri = found[0];
    else {
      const pick = await vscode.window.showQuickPick(found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { title: `${TITLE}: app (manifest)`, placeHolder: 'Which app gets the task?' });
      manifestUri = pick?.uri;
    }
  }
  if (!manifestUri) return undefined;
  const manifestDoc = await vscode.workspace.openTextDocument(manifestUri);
  const manifestText = manifestDoc.getText();
  const manifest: ManifestFacts | undefined = extractManifest(norm(manifestUri.fsPath), manifestText).manifest;
  if (!manifest || manifest.syntaxError) {
    void vscode.window.showErrorMessage(`Add Background Task: ${vscode.workspace.asRelativePath(manifestUri)} is not well-formed XML${manifest?.syntaxError ? `: ${manifest.syntaxError.message}` : ''}.`);
    return undefined;
  }
  const profile: ProfileId = manifest.profile;
  const app = (await serverApps(getClient)).find((a) => a.manifest && norm(a.manifest.path) === norm(manifestUri!.fsPath));

  // 2. Language.
  const jsApp = !!manifest.applications[0]?.startPage;
  let language = args.language;
  if (!language) {
    const items: Array<vscode.QuickPickItem & { id: AddTaskLanguage }> = [
      { label: 'C#', description: 'IBackgroundTask class (Windows Runtime Component)', id: 'csharp' },
      { label: 'JavaScript', description: 'background task script (StartPage)', id: 'javascript' },
    ];
    if (jsApp) items.reverse();
    language = (await vscode.window.showQuickPick(items, { title: `${TITLE} (1/4): language`, placeHolder: `Profile ${profile}` }))?.id;
  }
  if (!language) return undefined;

  // 3. Name.
  const taken = new Set([...(app?.taskClasses.map((c) => c.fullName.split('.').pop()!) ?? []), ...(app?.registrations.map((r) => r.name ?? '') ?? [])]);
  const validate = (v: string) => (!isIdentifier(v) ? 'A name is letters, digits and _ , not starting with a digit.' : taken.has(v) ? `${v} already exists in this app.` : undefined);
  let name = args.name;
  if (name === undefined) name = await vscode.window.showInputBox({ title: `${TITLE} (2/4): name`, prompt: 'Task class and registration name', value: 'MyBackgroundTask', validateInput: validate });
  if (!name) return undefined;
  const invalid = validate(name);
  if (invalid) {
    void vscode.window.showErrorMessage(`Add Background Task: ${invalid}`);
    return undefined;
  }

  // 4. Trigger: only those the profile has; single-instance triggers the app already uses are left out.
  const choices = triggerChoices(profile, app?.registrations.map((r) => r.triggerClass ?? '') ?? []);
  let trigger: (TriggerChoice & { label: string; taskType: string }) | undefined;
  if (args.trigger) trigger = choices.find((c) => c.label === args.trigger);
  else trigger = await vscode.window.showQuickPick(choices.map((c) => ({ ...c, description: `Task Type ${c.taskType}` })), { title: `${TITLE} (3/4): trigger`, placeHolder: 'What starts the task?' });
  if (!trigger) return undefined;

  // 5. Conditions (conflicting pairs are refused: the rule conflicting-conditions is an error).
  let conditions = args.conditions;
  while (!conditions) {
    const picked = await vscode.window.showQuickPick(SYSTEM_CONDITION_TYPES.map((c) => ({ label: c.name, description: c.description })), { title: `${TITLE} (4/4): conditions`, placeHolder: 'Conditions the task waits for (none is fine)', canPickMany: true });
    if (!picked) return undefined;
    const names = picked.map((p) => p.label);
    const conflict = SYSTEM_CONDITION_TYPES.find((c) => c.conflictsWith && names.includes(c.name) && names.includes(c.conflictsWith));
    if (conflict) void vscode.window.showWarningMessage(`${conflict.name} and ${conflict.conflictsWith} can never hold together; pick one.`);
    else conditions = names;
  }

  // Where things go: beside an existing C# task class of the app (its project and namespace), else beside the manifest.
  const manifestDir = dirOf(manifestUri.fsPath);
  const existing = language === 'csharp' ? app?.taskClasses.find((c) => c.language === 'csharp') : undefined;
  const appEntry = manifest.applications[0]?.entryPoint;
  const appNamespace = appEntry?.includes('.') ? appEntry.slice(0, appEntry.lastIndexOf('.')) : 'App';
  const namespace = existing?.fullName.includes('.') ? existing.fullName.slice(0, existing.fullName.lastIndexOf('.')) : language === 'csharp' ? 'Tasks' : '';
  const taskDir = existing ? dirOf(existing.location.path) : manifestDir;
  const options: AddTaskOptions = { language, name, namespace, appNamespace, trigger, conditions, profile };

  const edit = manifestInsert(options, manifest, manifestText);
  if ('error' in edit) {
    void vscode.window.showErrorMessage(`Add Background Task: ${edit.error}`);
    return undefined;
  }
  const taskUri = vscode.Uri.joinPath(vscode.Uri.file(taskDir), taskFileName(options));
  const registrationUri = vscode.Uri.joinPath(vscode.Uri.file(manifestDir), registrationFileName(options));
  const we = new vscode.WorkspaceEdit();
  we.createFile(taskUri, { ignoreIfExists: false, contents: new TextEncoder().encode(taskClassText(options)) });
  we.createFile(registrationUri, { ignoreIfExists: false, contents: new TextEncoder().encode(registrationText(options)) });
  if (edit.text) we.insert(manifestUri, manifestDoc.positionAt(edit.offset), edit.text);
  if (!(await vscode.workspace.applyEdit(we))) {
    void vscode.window.showErrorMessage(`Add Background Task: could not create ${vscode.workspace.asRelativePath(taskUri)} (does it exist?).`);
    return undefined;
  }
  await manifestDoc.save();
  await vscode.window.showTextDocument(taskUri, { preview: false });
  void vscode.window.showInformationMessage(`Added ${name}: ${vscode.workspace.asRelativePath(taskUri)}, ${vscode.workspace.asRelativePath(registrationUri)} (call its register function at startup) and the manifest declaration.`);
  return { taskFile: taskUri.fsPath, registrationFile: registrationUri.fsPath, manifest: manifestUri.fsPath };
}
