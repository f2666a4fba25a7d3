// The "Background Tasks: Add Background Task…" command: a multi-step quick pick (app, language offered by
// what the app is, name, trigger, conditions, call at start-up) that writes the task, a registration
// helper, the manifest declaration, the project items and the start-up call in one WorkspaceEdit.
// The text comes from addTaskTemplates and addTaskProject; arguments skip steps (tests).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ManifestFacts, ProfileId } from '../core/facts/types';
import { SYSTEM_CONDITION_TYPES } from '../core/model/catalog';
import { extractManifest } from '../core/parsers/manifest';
import { RegistrationsRequest, type AppDto, type RegistrationsResult } from '../shared/protocol';
import { componentProject, findStartup, languageChoices, PROJECT_EXTENSIONS, projectAccepts, projectItemInsert, scriptTagInsert, startupInserts, type StartupTarget, type TextFile } from './addTaskProject';
import { conditionSelection, generatedFiles, isIdentifier, LANGUAGES, manifestInserts, newClsid, registrationCall, triggerChoices, type AddTaskLanguage, type AddTaskOptions, type TextInsert, type TriggerPick } from './addTaskTemplates';
import type { RequestClient } from './treeView/serverSource';

export interface AddTaskArgs {
  manifest?: string;
  language?: AddTaskLanguage;
  name?: string;
  /** Label of a trigger choice, e.g. `SystemTrigger: TimeZoneChange` or `TimeTrigger (15 minutes)`. */
  trigger?: string;
  conditions?: string[];
  /** Insert the registration call at app start (skips the question). */
  callAtStart?: boolean;
}

export interface AddTaskResult {
  taskFile: string;
  registrationFile: string;
  manifest: string;
  files: string[];
  /** Project files that gained items. */
  projects: string[];
  /** The file the start-up call went into. */
  startup?: string;
}

const TITLE = 'Add Background Task';
const MANIFEST_GLOB = '**/{*.appxmanifest,AppxManifest.xml}';
const EXCLUDE = '**/{node_modules,bin,obj,AppPackages,Generated Files}/**';
type GetClient = () => RequestClient | undefined | Promise<RequestClient | undefined>;

export function registerAddTaskCommand(context: vscode.ExtensionContext, getClient: GetClient): void {
  context.subscriptions.push(vscode.commands.registerCommand('bgtask.addBackgroundTask', (args?: AddTaskArgs) => addBackgroundTask(getClient, args ?? {})));
}

async function serverApps(getClient: GetClient): Promise<AppDto[]> {
  try {
    const client = await getClient();
    if (!client) return [];
    return ((await client.sendRequest(RegistrationsRequest.method, {})) as RegistrationsResult).apps;
  } catch {
    return [];
  }
}

const norm = (p: string) => p.replace(/\\/g, '/');
const dirOf = (p: string) => path.dirname(p);
const fail = (message: string): undefined => {
  void vscode.window.showErrorMessage(`${TITLE}: ${message}`);
  return undefined;
};

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Project files in `dir`, by preference (a shared project's .projitems before anything else). */
async function projectsIn(dir: string): Promise<string[]> {
  try {
    const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(dir));
    const names = entries.filter(([, t]) => t === vscode.FileType.File).map(([n]) => n);
    return PROJECT_EXTENSIONS.flatMap((ext) => names.filter((n) => n.toLowerCase().endsWith(ext)).map((n) => path.join(dir, n)));
  } catch {
    return [];
  }
}

/** The project that builds `file`: the nearest folder upwards (not above the workspace folder) with a project that takes its kind. */
async function owningProject(file: string, kind: Parameters<typeof projectAccepts>[1]): Promise<string | undefined> {
  const top = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath ?? path.parse(file).root;
  for (let dir = dirOf(file); ; dir = dirOf(dir)) {
    const hit = (await projectsIn(dir)).find((p) => projectAccepts(p, kind));
    if (hit) return hit;
    if (dir === top || dirOf(dir) === dir || !dir.startsWith(top)) return undefined;
  }
}

/** The languages that fit the app, from its manifest, its projects and its task classes (see languageChoices). */
async function languagesFor(manifest: ManifestFacts, manifestDir: string, app: AppDto | undefined): Promise<{ fits: AddTaskLanguage[]; others: AddTaskLanguage[] }> {
  const projects: TextFile[] = [];
  for (const p of await projectsIn(manifestDir)) projects.push({ path: p, text: (await readText(vscode.Uri.file(p))) ?? '' });
  return languageChoices(manifest, projects, app?.taskClasses.map((c) => c.language) ?? []);
}

async function pickLanguage(fits: AddTaskLanguage[], others: AddTaskLanguage[], profile: ProfileId): Promise<AddTaskLanguage | undefined> {
  type Item = vscode.QuickPickItem & { id?: AddTaskLanguage };
  const item = (id: AddTaskLanguage): Item => ({ label: LANGUAGES[id].label, description: LANGUAGES[id].description, id });
  const items: Item[] = [...fits.map(item)];
  if (others.length) items.push({ label: 'Other languages (the app does not use them yet)', kind: vscode.QuickPickItemKind.Separator }, ...others.map(item));
  return (await vscode.window.showQuickPick(items, { title: `${TITLE} (1/5): language`, placeHolder: `Profile ${profile}` }))?.id;
}

/** Every trigger, with what it needs; one the app cannot add stays listed with the reason, and picking it explains. */
async function pickTrigger(choices: TriggerPick[]): Promise<TriggerPick | undefined> {
  for (;;) {
    const items = choices.map((c) => ({
      label: c.unavailable ? `$(circle-slash) ${c.label}` : c.label,
      description: c.needs,
      detail: c.unavailable ? `Not available: ${c.unavailable}.` : c.description,
      choice: c,
    }));
    const picked = await vscode.window.showQuickPick(items, { title: `${TITLE} (3/5): trigger`, placeHolder: 'What starts the task? (the description says what each needs)', matchOnDescription: true, matchOnDetail: true });
    if (!picked) return undefined;
    if (!picked.choice.unavailable) return picked.choice;
    await vscode.window.showWarningMessage(`${picked.choice.className} cannot be added: ${picked.choice.unavailable}.`, { modal: false });
  }
}

/** Conditions: picking one that can never hold together with a picked one is refused, with the reason; the rest of the selection stays. */
function pickConditions(): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { name: string; conflictsWith?: string }>();
    qp.title = `${TITLE} (4/5): conditions`;
    qp.placeholder = 'Conditions the task waits for (none is fine); Enter to accept';
    qp.canSelectMany = true;
    const base = SYSTEM_CONDITION_TYPES.map((c) => ({ label: c.name, description: c.description, name: c.name, conflictsWith: c.conflictsWith }));
    // Re-render only when the selection really changed: the picker echoes programmatic selections back.
    let shown = '\u0000';
    const render = (selected: readonly string[]) => {
      const key = [...selected].sort().join(',');
      if (key === shown) return;
      shown = key;
      qp.items = base.map((b) => ({ ...b, picked: selected.includes(b.name), detail: b.conflictsWith && selected.includes(b.conflictsWith) ? `$(circle-slash) Not with ${b.conflictsWith}: the two can never hold together, so the task would never run` : undefined }));
      qp.selectedItems = qp.items.filter((i) => selected.includes(i.name));
    };
    let selected: string[] = [];
    render(selected);
    qp.onDidChangeSelection((items) => {
      const next = conditionSelection(selected, items.map((i) => i.name));
      if (next.refused) qp.placeholder = next.refused;
      const refusedNow = next.selected.length !== items.length;
      selected = next.selected;
      if (refusedNow) shown = '\u0000';
      render(selected);
    });
    let done = false;
    qp.onDidAccept(() => {
      done = true;
      resolve(selected);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

async function addBackgroundTask(getClient: GetClient, args: AddTaskArgs): Promise<AddTaskResult | undefined> {
  // 1. The app: its manifest.
  let manifestUri: vscode.Uri | undefined = args.manifest ? vscode.Uri.file(args.manifest) : undefined;
  if (!manifestUri) {
    const found = (await vscode.workspace.findFiles(MANIFEST_GLOB, EXCLUDE)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    if (!found.length) return fail('no Package.appxmanifest or AppxManifest.xml in this workspace.');
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
  if (!manifest || manifest.syntaxError) return fail(`${vscode.workspace.asRelativePath(manifestUri)} is not well-formed XML${manifest?.syntaxError ? `: ${manifest.syntaxError.message}` : ''}.`);
  const profile: ProfileId = manifest.profile;
  const manifestDir = dirOf(manifestUri.fsPath);
  const app = (await serverApps(getClient)).find((a) => a.manifest && norm(a.manifest.path) === norm(manifestUri!.fsPath));

  // 2. Language, offered by what the app is.
  let language = args.language;
  if (!language) {
    const { fits, others } = await languagesFor(manifest, manifestDir, app);
    language = await pickLanguage(fits, others, profile);
  }
  if (!language) return undefined;

  // 3. Name.
  const taken = new Set([...(app?.taskClasses.map((c) => c.fullName.split(/[.\\/]/).pop()!) ?? []), ...(app?.registrations.map((r) => r.name ?? '') ?? [])]);
  const validate = (v: string) => (!isIdentifier(v) ? 'A name is letters, digits and _ , not starting with a digit.' : taken.has(v) ? `${v} already exists in this app.` : undefined);
  let name = args.name;
  if (name === undefined) name = await vscode.window.showInputBox({ title: `${TITLE} (2/5): name`, prompt: 'Task class and registration name', value: 'MyBackgroundTask', validateInput: validate });
  if (!name) return undefined;
  const invalid = validate(name);
  if (invalid) return fail(invalid);

  // 4. Trigger: every one the profile has, with what it needs.
  const choices = triggerChoices(profile, app?.registrations.map((r) => r.triggerClass ?? '') ?? []);
  let trigger: TriggerPick | undefined;
  if (args.trigger) {
    trigger = choices.find((c) => c.label === args.trigger);
    if (trigger?.unavailable) return fail(`${trigger.className} cannot be added: ${trigger.unavailable}.`);
  } else trigger = await pickTrigger(choices);
  if (!trigger) return undefined;

  // 5. Conditions (none on a DeviceUseTrigger, §3.1).
  let conditions = args.conditions;
  if (trigger.className === 'DeviceUseTrigger') conditions = [];
  if (!conditions) conditions = await pickConditions();
  if (!conditions) return undefined;
  const conflict = SYSTEM_CONDITION_TYPES.find((c) => c.conflictsWith && conditions!.includes(c.name) && conditions!.includes(c.conflictsWith));
  if (conflict) return fail(`${conflict.name} and ${conflict.conflictsWith} can never hold together; pick one.`);

  // Where things go: beside an existing task class of the same language (its project and namespace), else beside the manifest.
  const cppLike = language === 'cppcx' || language === 'cppwinrt';
  const existing = language === 'csharp' || cppLike ? app?.taskClasses.find((c) => c.language === language) : undefined;
  const appEntry = manifest.applications[0]?.entryPoint;
  let appNamespace = appEntry?.includes('.') && !appEntry.startsWith('$') ? appEntry.slice(0, appEntry.lastIndexOf('.')) : 'App';
  // No task class yet: the Windows Runtime Component the app project references, where out-of-process tasks live.
  let component: ReturnType<typeof componentProject> | undefined;
  if (!existing && (language === 'csharp' || cppLike)) {
    const appProject = (await projectsIn(manifestDir)).find((p) => path.extname(p).toLowerCase() === (language === 'csharp' ? '.csproj' : '.vcxproj'));
    const texts = new Map<string, string | undefined>();
    for (const p of appProject ? [appProject] : []) texts.set(p, await readText(vscode.Uri.file(p)));
    if (appProject && texts.get(appProject) !== undefined) {
      // extractProject resolves references to absolute paths; read them up front (the pure function reads synchronously).
      const refs = [...(texts.get(appProject)!.matchAll(/<ProjectReference\s+Include="([^"]+)"/g))].map((m) => norm(path.resolve(manifestDir, m[1].replace(/\\/g, '/'))));
      for (const r of refs) texts.set(r, await readText(vscode.Uri.file(r)));
      component = componentProject({ path: norm(appProject), text: texts.get(appProject)! }, (p) => texts.get(norm(p)));
    }
  }
  const taskDir = existing ? dirOf(existing.location.path) : component ? dirOf(component.project) : manifestDir;

  // Start-up code of the app (App.OnLaunched, else the MainPage constructor).
  const codeUris = await vscode.workspace.findFiles(new vscode.RelativePattern(manifestDir, '**/*.{cs,cpp,cc,cxx,js,ts}'), EXCLUDE, 400);
  const codeFiles: TextFile[] = [];
  for (const u of codeUris.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    const text = await readText(u);
    if (text !== undefined) codeFiles.push({ path: u.fsPath, text });
  }
  const startup: StartupTarget | undefined = findStartup(language, codeFiles);
  if (startup?.namespace && (language === 'csharp' || language === 'appsdk')) {
    appNamespace = startup.namespace;
  }
  const namespace = existing?.fullName.includes('.') ? existing.fullName.slice(0, existing.fullName.lastIndexOf('.')) : language === 'appsdk' ? appNamespace : component?.namespace ?? 'Tasks';
  let pch: boolean | undefined;
  if (cppLike) {
    // The task project uses a precompiled header when it has pch.h or its .cpp files include it first.
    const siblings = (await vscode.workspace.fs.readDirectory(vscode.Uri.file(taskDir)).then((e) => e, () => [] as [string, vscode.FileType][])).filter(([n]) => /\.(cpp|cc|cxx)$/i.test(n));
    const includesPch = async (n: string) => /^\s*#include\s+"pch\.h"/m.test((await readText(vscode.Uri.file(path.join(taskDir, n)))) ?? '');
    pch = (await exists(vscode.Uri.file(path.join(taskDir, 'pch.h')))) || (siblings.length > 0 && (await includesPch(siblings[0][0])));
  }
  const options: AddTaskOptions = { language, name, namespace, appNamespace, trigger, conditions, profile, pch, clsid: language === 'appsdk' ? newClsid() : undefined };

  const edits = manifestInserts(options, manifest, manifestText);
  if ('error' in edits) return fail(edits.error);
  const files = generatedFiles(options).map((f) => ({ ...f, abs: path.join(f.place === 'task' ? taskDir : manifestDir, ...f.rel.split('/')) }));
  for (const f of files) if (await exists(vscode.Uri.file(f.abs))) return fail(`${vscode.workspace.asRelativePath(f.abs)} already exists.`);

  // Project items, grouped per project file.
  const projectEdits = new Map<string, TextInsert[]>();
  const projectTexts = new Map<string, string>();
  for (const f of files) {
    const project = await owningProject(f.abs, f.item);
    if (!project) continue;
    if (!projectTexts.has(project)) projectTexts.set(project, (await readText(vscode.Uri.file(project))) ?? '');
    const insert = projectItemInsert({ path: project, text: projectTexts.get(project)! }, f.abs, f.item);
    if (insert) projectEdits.set(project, [...(projectEdits.get(project) ?? []), insert]);
  }

  // The start-up call: offered, since it changes the app's own code.
  const call = registrationCall(options);
  const registration = files.find((f) => /registration\.\w+$/i.test(f.rel))!;
  let callAtStart = args.callAtStart;
  if (callAtStart === undefined && startup && !trigger.parameter) {
    const yes = `Call it from ${startup.where}`;
    const picked = await vscode.window.showQuickPick([{ label: yes, description: `${call} in ${vscode.workspace.asRelativePath(startup.path)}` }, { label: 'No, I will call it myself' }], { title: `${TITLE} (5/5): register at start-up`, placeHolder: `The task runs only once ${call.replace(/^_ = /, '')} has run` });
    if (!picked) return undefined;
    callAtStart = picked.label === yes;
  }
  const startupEdits = new Map<string, TextInsert[]>();
  if (callAtStart && startup && !trigger.parameter) {
    const text = codeFiles.find((f) => f.path === startup.path)!.text;
    const include = cppLike ? `#include "${path.relative(dirOf(startup.path), registration.abs).split(path.sep).join('/')}"` : undefined;
    startupEdits.set(startup.path, startupInserts(startup, text, call, include));
    if (language === 'javascript' || language === 'typescript') {
      const page = manifest.applications[0]?.startPage;
      const html = page ? path.join(manifestDir, ...page.split(/[\\/]/)) : undefined;
      const htmlText = html ? await readText(vscode.Uri.file(html)) : undefined;
      const tag = htmlText !== undefined ? scriptTagInsert(htmlText, `/js/${name.toLowerCase()}-registration.js`) : undefined;
      if (html && tag) startupEdits.set(html, [tag]);
    }
  }

  const we = new vscode.WorkspaceEdit();
  for (const f of files) we.createFile(vscode.Uri.file(f.abs), { ignoreIfExists: false, contents: new TextEncoder().encode(f.text) });
  const changed: vscode.Uri[] = [manifestUri];
  for (const e of edits) we.insert(manifestUri, manifestDoc.positionAt(e.offset), e.text);
  for (const [file, inserts] of [...projectEdits, ...startupEdits]) {
    const uri = vscode.Uri.file(file);
    const doc = await vscode.workspace.openTextDocument(uri);
    for (const i of inserts) we.insert(uri, doc.positionAt(i.offset), i.text);
    changed.push(uri);
  }
  if (!(await vscode.workspace.applyEdit(we))) return fail(`could not create ${vscode.workspace.asRelativePath(files[0].abs)}.`);
  for (const uri of changed) await (await vscode.workspace.openTextDocument(uri)).save();
  const taskFile = files.find((f) => f.place === 'task')?.abs ?? files[0].abs;
  await vscode.window.showTextDocument(vscode.Uri.file(taskFile), { preview: false });
  const projects = [...projectEdits.keys()];
  const where = callAtStart && startupEdits.has(startup?.path ?? '') ? `called from ${startup!.where}` : `call ${call.replace(/^_ = /, '')} at start-up`;
  const noComponent = (language === 'csharp' || cppLike) && !existing && !component;
  const extra = noComponent
    ? ' The app references no Windows Runtime Component project: an out-of-process task must live in one (create it, reference it from the app and move the class there).'
    : language === 'appsdk' ? ' The app must also serve the COM class when started with -RegisterProcessAsComServer.' : language === 'typescript' ? ' The .ts files need the WinRT typings of your project.' : '';
  void vscode.window.showInformationMessage(`Added ${name}: ${files.map((f) => path.basename(f.abs)).join(', ')} (${where}), the manifest declaration${projects.length ? ` and ${projects.map((p) => path.basename(p)).join(', ')} items` : ''}.${extra}`);
  return {
    taskFile,
    registrationFile: registration.abs,
    manifest: manifestUri.fsPath,
    files: files.map((f) => f.abs),
    projects,
    startup: startupEdits.has(startup?.path ?? '') ? startup!.path : undefined,
  };
}
