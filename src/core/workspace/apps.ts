// Groups a workspace's files into apps (a manifest, its project and the projects it references) and
// links registrations made through helper methods to their call sites, so rules see one concrete
// registration per call (the official BackgroundTask sample registers through such a helper).
import type { CallFact, ClassFact, FileFacts, ProfileId, RegistrationFact, TaskClassFact, ValueFact } from '../facts/types';
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

/** Windows paths are case-insensitive: project references and folders compare lower-cased. */
const pathKey = (p: string) => p.toLowerCase();

/**
 * Build the apps of a workspace. A code file belongs to the app whose project (or a project it
 * references, or a Shared project one of them imports) holds it; a file outside any such project
 * belongs to the app whose manifest sits under its nearest ancestor folder holding a manifest, if that
 * folder holds only one; the rest form one app without a manifest. Each app keeps its own classes.
 */
export function buildApps(files: readonly FileFacts[], profileOverride: ProfileId | undefined, workspaceRoot: string): AppView[] {
  const manifests = files.filter((f) => f.kind === 'manifest');
  const projects = files.filter((f) => f.kind === 'project');
  const projectsByDir = new Map<string, FileFacts>();
  for (const p of projects) if (!projectsByDir.has(pathKey(dirname(p.path)))) projectsByDir.set(pathKey(dirname(p.path)), p);
  const projectByPath = new Map(projects.map((p) => [pathKey(p.path), p]));
  // Shared project folders → the projects importing them.
  const importersByShared = new Map<string, FileFacts[]>();
  for (const p of projects) for (const d of p.project?.sharedFolders ?? []) {
    const list = importersByShared.get(pathKey(d)) ?? [];
    list.push(p);
    importersByShared.set(pathKey(d), list);
  }

  /** The nearest folder above `dir` that holds a project or is a Shared project's folder. */
  const ownerOfDir = (dir: string): { project?: FileFacts; importers?: FileFacts[] } | undefined => {
    for (const d of ancestors(dir)) {
      const key = pathKey(d);
      const p = projectsByDir.get(key);
      if (p) return { project: p };
      const importers = importersByShared.get(key);
      if (importers) return { importers };
    }
    return undefined;
  };
  const projectOfDir = (dir: string): FileFacts | undefined => {
    for (const d of ancestors(dir)) {
      const p = projectsByDir.get(pathKey(d));
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
        const target = projectByPath.get(pathKey(ref.path));
        if (target) queue.push(target);
      }
    }
    return { root: dirname(m.path), manifest: m, profile, files: [], projects: appProjects, registrations: [], requestsAccess: false, hasOnBackgroundActivated: false, taskClassesByFullName: new Map() };
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
    const owner = ownerOfDir(dirname(f.path));
    const holders = owner?.project ? [owner.project] : owner?.importers ?? [];
    let owners = holders.length ? apps.filter((a) => holders.some((h) => a.projects.includes(h))) : [];
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
      loose ??= { root: workspaceRoot, profile: profileOverride ?? 'win10', files: [], projects: [], registrations: [], requestsAccess: false, hasOnBackgroundActivated: false, taskClassesByFullName: new Map() };
      owners = [loose];
    }
    for (const app of owners) app.files.push(f);
  }
  if (loose) apps.push(loose);

  for (const app of apps) {
    app.requestsAccess = app.files.some((f) => f.requestAccess.length > 0);
    app.hasOnBackgroundActivated = app.files.some((f) => !!f.onBackgroundActivated);
    app.registrations = linkRegistrations(app.files);
    const byName = app.taskClassesByFullName as Map<string, Array<{ file: FileFacts; cls: TaskClassFact }>>;
    for (const file of app.files) for (const cls of file.taskClasses) {
      const list = byName.get(cls.fullName);
      if (list) list.push({ file, cls });
      else byName.set(cls.fullName, [{ file, cls }]);
    }
  }
  for (const app of apps) {
    const derived = derivedTaskClasses(app, loose && app.manifest ? loose : undefined);
    if (derived.size) app.derivedTaskClasses = derived;
  }
  return apps;
}

/**
 * Classes that implement IBackgroundTask through base classes of the app (a project's own abstract
 * task base): a base is named by its full name or, as written, by a name the app's classes end with.
 */
function derivedTaskClasses(app: AppView, loose: AppView | undefined): Map<string, { file: FileFacts; cls: ClassFact; base: string }> {
  const out = new Map<string, { file: FileFacts; cls: ClassFact; base: string }>();
  const files = loose ? [...app.files, ...loose.files] : app.files;
  const candidates = files.flatMap((file) => file.classes.filter((c) => c.bases?.length).map((cls) => ({ file, cls })));
  if (!candidates.length) return out;
  const taskNames: string[] = files.flatMap((f) => f.taskClasses.map((c) => c.fullName));
  const isTask = (written: string) => {
    const name = written.replace(/^global::/, '');
    return taskNames.some((t) => t === name || t.endsWith(`.${name}`));
  };
  // Bases of bases: a few rounds reach any realistic depth.
  for (let round = 0, grew = true; grew && round < 6; round++) {
    grew = false;
    for (const { file, cls } of candidates) {
      if (out.has(cls.fullName)) continue;
      const base = cls.bases!.find((b) => isTask(b));
      if (!base) continue;
      out.set(cls.fullName, { file, cls, base });
      taskNames.push(cls.fullName);
      grew = true;
    }
  }
  return out;
}

/**
 * String constants of an app by full dotted name (`Ns.Class.X`), resolved as the languages do: the
 * reference's class, its enclosing classes and namespaces, then the file's usings; a name found
 * nowhere by scope resolves only when every constant it could mean has the same value.
 */
export class ConstantTable {
  private readonly byKey = new Map<string, Array<{ value: string; file: FileFacts }>>();
  private readonly byLast = new Map<string, Array<{ key: string; value: string; file: FileFacts }>>();

  constructor(files: readonly FileFacts[]) {
    for (const file of files) for (const [key, value] of Object.entries(file.constants)) {
      const list = this.byKey.get(key);
      if (list) list.push({ value, file });
      else this.byKey.set(key, [{ value, file }]);
      const last = key.slice(key.lastIndexOf('.') + 1);
      const named = this.byLast.get(last);
      if (named) named.push({ key, value, file });
      else this.byLast.set(last, [{ key, value, file }]);
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  private exact(key: string, file?: FileFacts): string | undefined {
    const list = this.byKey.get(key);
    if (!list) return undefined;
    return (list.find((e) => e.file === file) ?? list.find((e) => includes(file, e.file)) ?? list[0]).value;
  }

  resolve(written: string, scope: string | undefined, file?: FileFacts): string | undefined {
    const name = written.replace(/::/g, '.').replace(/^(this|global)\./, '');
    if (!name) return undefined;
    for (let s = scope; s; s = s.includes('.') ? s.slice(0, s.lastIndexOf('.')) : undefined) {
      const v = this.exact(`${s}.${name}`, file);
      if (v !== undefined) return v;
    }
    const direct = this.exact(name, file);
    if (direct !== undefined) return direct;
    for (const u of file?.usings ?? []) {
      const v = this.exact(`${u}.${name}`, file);
      if (v !== undefined) return v;
    }
    // Not found by scope (a class the extractor could not place, an include we do not follow): only an unambiguous name.
    const candidates = (this.byLast.get(name.slice(name.lastIndexOf('.') + 1)) ?? []).filter((e) => e.key === name || e.key.endsWith(`.${name}`));
    let local = candidates.filter((e) => e.file === file);
    if (!local.length) local = candidates.filter((e) => includes(file, e.file));
    const pool = local.length ? local : candidates;
    const values = new Set(pool.map((e) => e.value));
    return values.size === 1 ? pool[0].value : undefined;
  }
}

/** C++: `file` names `other` in an `#include` (compared by path ending, case-insensitively). */
function includes(file: FileFacts | undefined, other: FileFacts): boolean {
  if (!file?.includes) return false;
  const path = `/${other.path.toLowerCase()}`;
  return file.includes.some((i) => path.endsWith(`/${i.replace(/\\/g, '/').replace(/^(\.\.?\/)+/, '').toLowerCase()}`));
}

/** Resolve a `reference` value through the app's constants, by the reference's scope. */
export function resolveValue(value: ValueFact | undefined, constants: ConstantTable, file?: FileFacts): ValueFact | undefined {
  if (!value || value.kind !== 'reference') return value;
  const resolved = constants.resolve(value.name, value.scope, file);
  return resolved === undefined ? value : { kind: 'string', value: resolved, span: value.span };
}

/**
 * The app's concrete registrations: direct ones as they are (values resolved through constants),
 * and for each helper (a builder fed from its function's parameters) one registration per call site.
 */
export function linkRegistrations(files: readonly FileFacts[]): Array<{ file: FileFacts; registration: RegistrationFact }> {
  const constants = new ConstantTable(files);
  // Lookup helpers of the app (methods that look in AllTasks), for registrations whose class calls one.
  const lookups = new Set(files.flatMap((f) => f.allTasksFunctions ?? []));
  const checked = (r: RegistrationFact): RegistrationFact => (!r.allTasksChecked && r.classCalls?.some((c) => lookups.has(c)) ? { ...r, allTasksChecked: true } : r);

  const helpers = new Map<string, Array<{ file: FileFacts; registration: RegistrationFact }>>();
  const out: Array<{ file: FileFacts; registration: RegistrationFact }> = [];
  for (const file of files) {
    for (const registration of file.registrations) {
      if (registration.helperParameters && registration.enclosingFunction) {
        const list = helpers.get(registration.enclosingFunction) ?? [];
        list.push({ file, registration });
        helpers.set(registration.enclosingFunction, list);
      } else {
        out.push({ file, registration: checked(resolveRegistration(registration, constants, file)) });
      }
    }
  }
  if (!helpers.size) return out;

  for (const file of files) {
    for (const call of file.calls) {
      const callee = call.callee.slice(call.callee.lastIndexOf('.') + 1);
      for (const helper of helpers.get(callee) ?? []) {
        out.push({ file, registration: instantiateHelper(helper, file, call, constants) });
      }
    }
  }
  return out;
}

function resolveRegistration(r: RegistrationFact, constants: ConstantTable, file: FileFacts): RegistrationFact {
  if (r.name?.kind !== 'reference' && r.entryPoint?.kind !== 'reference') return r;
  return { ...r, name: resolveValue(r.name, constants, file), entryPoint: resolveValue(r.entryPoint, constants, file) };
}

function instantiateHelper(entry: { file: FileFacts; registration: RegistrationFact }, callFile: FileFacts, call: CallFact, constants: ConstantTable): RegistrationFact {
  const helper = entry.registration;
  const p = helper.helperParameters!;
  const arg = (i: number | undefined) => (i === undefined ? undefined : call.args[i]);
  // The helper's own values are written in the helper's file; the arguments at the call site.
  const valueOf = (i: number | undefined, own: ValueFact | undefined) => {
    const a = arg(i);
    if (i === undefined) return resolveValue(own, constants, entry.file);
    return a ? resolveValue(a.value, constants, callFile) : undefined;
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
