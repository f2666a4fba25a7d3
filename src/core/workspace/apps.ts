// Groups a workspace's files into apps (a manifest, its project and the projects it references) and
// links registrations made through helper methods to their call sites, so rules see one concrete
// registration per call (the official BackgroundTask sample registers through such a helper).
import type { CallFact, FileFacts, ProfileId, RegistrationFact, ValueFact } from '../facts/types';
import type { AppView } from '../rules/types';

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    out.push(d);
    if (d === '/' || dirname(d) === d) break;
  }
  return out;
}

const isCode = (f: FileFacts) => f.kind !== 'manifest' && f.kind !== 'project';

/**
 * Build the apps of a workspace. A code file belongs to the app whose project (or a project it
 * references) holds it; a file outside any such project belongs to the app whose manifest sits under
 * its nearest ancestor folder holding a manifest, if that folder holds only one; the rest form one
 * app without a manifest.
 */
export function buildApps(files: readonly FileFacts[], profileOverride: ProfileId | undefined, workspaceRoot: string): AppView[] {
  const manifests = files.filter((f) => f.kind === 'manifest');
  const projects = files.filter((f) => f.kind === 'project');
  const projectsByDir = new Map<string, FileFacts>();
  for (const p of projects) if (!projectsByDir.has(dirname(p.path))) projectsByDir.set(dirname(p.path), p);
  const projectByPath = new Map(projects.map((p) => [p.path, p]));

  const projectOfDir = (dir: string): FileFacts | undefined => {
    for (const d of ancestors(dir)) {
      const p = projectsByDir.get(d);
      if (p) return p;
    }
    return undefined;
  };

  const apps: AppView[] = manifests.map((m) => {
    const profile = profileOverride ?? m.manifest?.profile ?? 'win10';
    const appProjects: FileFacts[] = [];
    const root = projectOfDir(dirname(m.path));
    const queue = root ? [root] : [];
    while (queue.length) {
      const p = queue.shift()!;
      if (appProjects.includes(p)) continue;
      appProjects.push(p);
      for (const ref of p.project?.projectReferences ?? []) {
        const target = projectByPath.get(ref.path);
        if (target) queue.push(target);
      }
    }
    return { root: dirname(m.path), manifest: m, profile, files: [], projects: appProjects, registrations: [], requestsAccess: false, hasOnBackgroundActivated: false };
  });

  // Folders whose subtree holds manifests, for files that no project claims.
  const manifestScopes = new Map<string, AppView[]>();
  for (const app of apps) for (const d of ancestors(app.root)) {
    const list = manifestScopes.get(d) ?? [];
    list.push(app);
    manifestScopes.set(d, list);
  }

  let loose: AppView | undefined;
  for (const f of files) {
    if (!isCode(f)) continue;
    const project = projectOfDir(dirname(f.path));
    let owners = project ? apps.filter((a) => a.projects.includes(project)) : [];
    if (!owners.length) {
      for (const d of ancestors(dirname(f.path))) {
        const scoped = manifestScopes.get(d);
        if (scoped) {
          // Several apps under the same folder: the file could be any one's, so it is no one's.
          if (scoped.length === 1) owners = scoped;
          break;
        }
      }
    }
    if (!owners.length) {
      loose ??= { root: workspaceRoot, profile: profileOverride ?? 'win10', files: [], projects: [], registrations: [], requestsAccess: false, hasOnBackgroundActivated: false };
      owners = [loose];
    }
    for (const app of owners) app.files.push(f);
  }
  if (loose) apps.push(loose);

  for (const app of apps) {
    app.requestsAccess = app.files.some((f) => f.requestAccess.length > 0);
    app.hasOnBackgroundActivated = app.files.some((f) => !!f.onBackgroundActivated);
    app.registrations = linkRegistrations(app.files);
  }
  return apps;
}

/** Resolve `reference` values through the constants of the given files (`X`, `Class.X`, `Ns.Class.X`). */
export function resolveValue(value: ValueFact | undefined, constants: ReadonlyMap<string, string>): ValueFact | undefined {
  if (!value || value.kind !== 'reference') return value;
  const name = value.name.replace(/::/g, '.').replace(/^this\./, '');
  let resolved = constants.get(name);
  if (resolved === undefined) {
    const parts = name.split('.');
    for (let i = 1; i < parts.length && resolved === undefined; i++) resolved = constants.get(parts.slice(i).join('.'));
  }
  return resolved === undefined ? value : { kind: 'string', value: resolved, span: value.span };
}

/**
 * The app's concrete registrations: direct ones as they are (values resolved through constants),
 * and for each helper (a builder fed from its function's parameters) one registration per call site.
 */
export function linkRegistrations(files: readonly FileFacts[]): Array<{ file: FileFacts; registration: RegistrationFact }> {
  const constants = new Map<string, string>();
  for (const f of files) for (const [k, v] of Object.entries(f.constants)) if (!constants.has(k)) constants.set(k, v);

  const helpers = new Map<string, Array<{ file: FileFacts; registration: RegistrationFact }>>();
  const out: Array<{ file: FileFacts; registration: RegistrationFact }> = [];
  for (const file of files) {
    for (const registration of file.registrations) {
      if (registration.helperParameters && registration.enclosingFunction) {
        const list = helpers.get(registration.enclosingFunction) ?? [];
        list.push({ file, registration });
        helpers.set(registration.enclosingFunction, list);
      } else {
        out.push({ file, registration: resolveRegistration(registration, constants) });
      }
    }
  }
  if (!helpers.size) return out;

  for (const file of files) {
    for (const call of file.calls) {
      const callee = call.callee.slice(call.callee.lastIndexOf('.') + 1);
      for (const helper of helpers.get(callee) ?? []) {
        out.push({ file, registration: instantiateHelper(helper.registration, call, constants) });
      }
    }
  }
  return out;
}

function resolveRegistration(r: RegistrationFact, constants: ReadonlyMap<string, string>): RegistrationFact {
  if (r.name?.kind !== 'reference' && r.entryPoint?.kind !== 'reference') return r;
  return { ...r, name: resolveValue(r.name, constants), entryPoint: resolveValue(r.entryPoint, constants) };
}

function instantiateHelper(helper: RegistrationFact, call: CallFact, constants: ReadonlyMap<string, string>): RegistrationFact {
  const p = helper.helperParameters!;
  const arg = (i: number | undefined) => (i === undefined ? undefined : call.args[i]);
  const valueOf = (i: number | undefined, own: ValueFact | undefined) => {
    const a = arg(i);
    if (i === undefined) return resolveValue(own, constants);
    return a ? resolveValue(a.value, constants) : undefined;
  };
  const triggerArg = arg(p.trigger);
  const conditionArg = arg(p.condition);
  const conditions = p.condition === undefined ? helper.conditions : conditionArg?.condition ? [conditionArg.condition] : [];
  const isNull = conditionArg?.value.kind === 'expression' && /^(null|nullptr|undefined)$/.test(conditionArg.value.text);
  return {
    ...helper,
    span: call.span,
    name: valueOf(p.name, helper.name),
    entryPoint: valueOf(p.entryPoint, helper.entryPoint),
    taskGroup: p.taskGroup === undefined ? helper.taskGroup : arg(p.taskGroup)?.value,
    trigger: p.trigger === undefined ? helper.trigger : triggerArg?.trigger ?? (triggerArg ? { className: 'unknown', span: triggerArg.value.span, unresolved: true } : undefined),
    conditions,
    // A helper that adds CancelOnConditionLoss only with a condition keeps it only when one was passed.
    cancelOnConditionLoss: p.condition !== undefined && (isNull || !conditionArg) ? undefined : helper.cancelOnConditionLoss,
    registerGuarded: helper.registerGuarded || call.guarded,
    allTasksChecked: helper.allTasksChecked || call.allTasksChecked,
    helperParameters: undefined,
    viaHelperCall: call.span,
    statementStart: call.span.start,
    enclosingFunction: call.enclosingFunction,
  };
}
