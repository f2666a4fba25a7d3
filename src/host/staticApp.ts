// Builds the host's AppModel from the engine's facts: the registrations found in the app's code
// (replayed on launch), the manifest declarations (for Register-time validation), the task classes
// (for modeled instances) and a WinJS app's start page scripts (run on launch).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../core/engine';
import { loadWorkspace } from '../core/workspace/scan';
import { pascalCase, systemConditionType, systemTriggerType } from '../core/model/catalog';
import type { FileFacts, ProfileId, RegistrationFact, TaskClassFact, ValueFact } from '../core/facts/types';
import type { AppView } from '../core/rules/types';
import type { AppModel } from './host';
import { enclosingAt, reachableFromLaunch, type CodeFile } from './launchReach';
import type { BuilderSpec } from './worker/windowsApi';

function valueOf(v: ValueFact | undefined, file: FileFacts): string | number | boolean | undefined {
  if (!v) return undefined;
  switch (v.kind) {
    case 'string': case 'number': case 'boolean': return v.value;
    case 'reference': return file.constants[v.name] ?? file.constants[v.name.split('.').pop()!] ?? v.name;
    case 'typeName': return v.name;
    default: return undefined;
  }
}

export function specFromFact(r: RegistrationFact, file: FileFacts): BuilderSpec {
  const t = r.trigger;
  const num = (v: ValueFact | undefined) => {
    const x = valueOf(v, file);
    return typeof x === 'number' ? x : typeof x === 'string' && /^\d+$/.test(x) ? Number(x) : undefined;
  };
  const oneShot = valueOf(t?.oneShot, file);
  const group = valueOf(r.taskGroup, file);
  return {
    name: String(valueOf(r.name, file) ?? ''),
    entryPoint: valueOf(r.entryPoint, file) as string | undefined ?? (valueOf(r.entryPointClsid, file) as string | undefined),
    trigger: t && (!t.unresolved || t.className) ? {
      type: t.className,
      ...(t.systemTriggerType ? { systemTriggerType: systemTriggerType(t.systemTriggerType.name)?.name ?? pascalCase(t.systemTriggerType.name) } : {}),
      ...(t.freshness ? { freshness: num(t.freshness) } : {}),
      ...(t.oneShot ? { oneShot: oneShot === true } : {}),
    } : undefined,
    conditions: r.conditions.map((c) => (c.type ? systemConditionType(c.type)?.name ?? c.type : 'Invalid')),
    cancelOnConditionLoss: valueOf(r.cancelOnConditionLoss, file) === true,
    isNetworkRequested: valueOf(r.isNetworkRequested, file) === true,
    ...(group !== undefined && group !== null && group !== '' ? { group: String(group) } : {}),
  };
}

/** Manifest declarations and start page, from the manifest facts or (until they are present) the raw XML. */
function manifestInfo(app: AppView | undefined, folder: string): { declarations?: Map<string, string[]>; startPage?: string; manifestDir: string } {
  const m = app?.manifest;
  if (m?.manifest) {
    const declarations = new Map<string, string[]>();
    for (const e of m.manifest.extensions) {
      if (!/backgroundTasks$/.test(e.category)) continue;
      const key = e.entryPoint?.value ?? e.startPage?.value;
      if (key) declarations.set(key, [...(declarations.get(key) ?? []), ...e.tasks.map((t) => t.type)]);
    }
    return { declarations, startPage: m.manifest.applications[0]?.startPage, manifestDir: path.dirname(m.path) };
  }
  const file = findManifest(folder);
  if (!file) return { manifestDir: folder };
  const xml = fs.readFileSync(file, 'utf8');
  const declarations = new Map<string, string[]>();
  for (const ext of xml.matchAll(/<(?:\w+:)?Extension\b([^>]*Category="windows\.backgroundTasks"[^>]*)>([\s\S]*?)<\/(?:\w+:)?Extension>/g)) {
    const key = /\b(?:EntryPoint|StartPage)="([^"]+)"/.exec(ext[1])?.[1];
    if (key) declarations.set(key, [...ext[2].matchAll(/<(?:\w+:)?Task\s+Type="([^"]+)"/g)].map((x) => x[1]));
  }
  const startPage = /<Application\b[^>]*\bStartPage="([^"]+)"/.exec(xml)?.[1];
  return { declarations, startPage, manifestDir: path.dirname(file) };
}

function findManifest(dir: string, depth = 3): string | undefined {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const hit = entries.find((e) => e.isFile() && (e.name.endsWith('.appxmanifest') || e.name.toLowerCase() === 'appxmanifest.xml'));
  if (hit) return path.join(dir, hit.name);
  if (!depth) return undefined;
  for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && e.name !== 'bin' && e.name !== 'obj') {
    const f = findManifest(path.join(dir, e.name), depth - 1);
    if (f) return f;
  }
  return undefined;
}

/** Local scripts of a start page, in order; WinJS library scripts are provided by the host. */
export function startScripts(manifestDir: string, startPage: string | undefined): string[] {
  if (!startPage || !/\.html?$/i.test(startPage)) return [];
  const page = path.join(manifestDir, startPage.replace(/\\/g, '/'));
  let html: string;
  try {
    html = fs.readFileSync(page, 'utf8');
  } catch {
    return [];
  }
  return [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/gi)]
    .map((m) => m[1])
    .filter((src) => !src.startsWith('//') && !/^[a-z-]+:/i.test(src))
    .map((src) => path.join(src.startsWith('/') ? manifestDir : path.dirname(page), src.replace(/^\//, '')))
    .filter((f) => fs.existsSync(f));
}

export function appModelFromView(app: AppView | undefined, folder: string, profile?: ProfileId): AppModel {
  const info = manifestInfo(app, folder);
  const classes = new Map<string, TaskClassFact>();
  // A C++ class may come as a header (declaration) and a .cpp (Run's body): model the one with the body.
  const score = (c: TaskClassFact) => (c.run?.bodySpan ? 2 : c.run ? 1 : 0);
  for (const f of app?.files ?? []) for (const c of f.taskClasses) if (!classes.has(c.fullName) || score(c) > score(classes.get(c.fullName)!)) classes.set(c.fullName, c);
  const scripts = startScripts(info.manifestDir, info.startPage);
  // The start page's scripts run for real on launch (appCode.ts): their registrations are not replayed too.
  const running = new Set(scripts.map((s) => path.resolve(s).replace(/\\/g, '/')));
  const found = (app?.registrations ?? []).filter(({ registration, file }) => !registration.helperParameters && !running.has(path.resolve(file.path).replace(/\\/g, '/')));
  const code = found.some(({ file }) => !/^(javascript|typescript)$/.test(file.kind)) ? codeFiles(info.manifestDir) : [];
  const registrations = found.map(({ file, registration }) => {
    const where = path.relative(folder, file.path);
    // JS/TS app code that is not a start script is replayed at launch as before; C#/C++ only when start reaches it.
    if (/^(javascript|typescript)$/.test(file.kind)) return { spec: specFromFact(registration, file), allTasksChecked: registration.allTasksChecked, where, onLaunch: true };
    const text = code.find((c) => path.resolve(c.path) === path.resolve(file.path))?.text ?? readText(file.path);
    const at = enclosingAt(text, (registration.viaHelperCall ?? registration.span).start);
    const method = registration.enclosingFunction?.split(/[.:]/).pop() ?? at.method;
    const onLaunch = reachableFromLaunch(method, at.cls, code);
    const spec = specFromFact(registration, file);
    if (spec.group) spec.group = groupId(spec.group, text, code);
    return { spec, allTasksChecked: registration.allTasksChecked, where, onLaunch, registeredBy: `${at.cls ? at.cls + '.' : ''}${method ?? '?'} (${where})` };
  });
  return {
    folder: info.manifestDir,
    profile: profile ?? app?.profile ?? 'win10',
    declarations: info.declarations,
    classes,
    registrations,
    startScripts: scripts,
    hasOnBackgroundActivated: app?.hasOnBackgroundActivated ?? false,
  };
}

/**
 * A task group as the code names it (a variable or field holding the group) → its id (§5 TaskGroup):
 * the first argument of `new BackgroundTaskRegistrationGroup(id, ...)` or `GetTaskGroup(id)` assigned to
 * that name, with a string constant resolved through the app's sources.
 */
export function groupId(group: string, text: string, code: readonly CodeFile[]): string {
  const literal = (expr: string): string | undefined => {
    const e = expr.trim();
    const q = /^L?"([^"]*)"$/.exec(e);
    if (q) return q[1];
    const name = e.split(/[.:]+/).pop();
    if (!name || !/^\w+$/.test(name)) return undefined;
    const decl = new RegExp(`\\b${name}\\s*(?:=|\\{)\\s*L?"([^"]*)"`);
    for (const f of [{ path: '', text }, ...code]) {
      const m = decl.exec(f.text);
      if (m) return m[1];
    }
    return undefined;
  };
  const inline = /(?:BackgroundTaskRegistrationGroup|GetTaskGroup)\s*\(\s*([^,)]+)/.exec(group);
  if (inline) return literal(inline[1]) ?? group;
  if (!/^[\w.]+$/.test(group) || /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(group)) return group;
  const last = group.split('.').pop()!;
  const assigned = new RegExp(`\\b${last}\\s*=[^;]*?(?:BackgroundTaskRegistrationGroup|GetTaskGroup)\\s*\\(\\s*([^,)]+)`);
  for (const f of [{ path: '', text }, ...code]) {
    const m = assigned.exec(f.text);
    if (m) return literal(m[1]) ?? group;
  }
  return group;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The app's C#/C++/VB sources (for the launch reachability walk), bounded in count and size. */
function codeFiles(dir: string, out: CodeFile[] = [], depth = 6): CodeFile[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (out.length >= 3000) break;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (depth > 0 && !e.name.startsWith('.') && !/^(node_modules|bin|obj|packages|x64|x86|ARM|ARM64|Debug|Release)$/i.test(e.name)) codeFiles(full, out, depth - 1);
    } else if (/\.(cs|cpp|cxx|cc|h|hpp|vb)$/i.test(e.name)) {
      try {
        if (fs.statSync(full).size <= 2 * 1024 * 1024) out.push({ path: full, text: fs.readFileSync(full, 'utf8') });
      } catch {
        // unreadable: not walked
      }
    }
  }
  return out;
}

/** Analyse an app folder with the engine and build its model (the first app found in the folder). */
/**
 * The host's model of the app in `folder`. With `manifest` (a path under the folder, or the folder
 * argument itself naming a manifest file) the app of that manifest; otherwise the first app with one.
 */
export async function loadApp(folder: string, profile?: ProfileId, manifest?: string): Promise<AppModel> {
  let root = path.resolve(folder);
  let wanted = manifest ? path.resolve(manifest) : undefined;
  if (!wanted && fs.statSync(root, { throwIfNoEntry: false })?.isFile()) {
    wanted = root;
    root = path.dirname(root);
  }
  const engine = new Engine({ profile });
  await loadWorkspace(engine, [root]);
  const apps = engine.workspace().apps;
  const app = wanted ? apps.find((a) => a.manifest && path.resolve(a.manifest.path) === wanted) : apps.find((a) => a.manifest) ?? apps[0];
  if (wanted && !app) throw new Error(`no app with the manifest ${wanted} under ${root}`);
  return appModelFromView(app, wanted ? path.dirname(wanted) : root, profile);
}
