// Shared helpers of the code rules (RULES.md "Task classes" and "Registration code"): where a value of
// a linked registration lives, manifest look-ups by entry point, closest names, and text helpers for
// fixes. Pure functions over facts and file text.
import type { FileFacts, ManifestExtensionFact, ManifestFacts, ProfileId, RegistrationFact, Span, TaskClassFact, ValueFact } from '../facts/types';
import { APPSDK_ENTRY_POINT, NS, TASK_TYPES_BY_NAMESPACE } from '../model/catalog';
import type { AppView, WorkspaceView } from './types';

export interface AppRegistration {
  app: AppView;
  file: FileFacts;
  registration: RegistrationFact;
}

/** Every concrete registration of every app (a file in two apps yields twice; the engine dedupes findings). */
export function* registrations(ws: WorkspaceView): Generator<AppRegistration> {
  for (const app of ws.apps) for (const { file, registration } of app.registrations) yield { app, file, registration };
}

/**
 * The task classes an app can name: its own, else (for an app with a manifest) those of code that no
 * app claims (loose files), never another app's classes. A VB class outside `Namespace Global…` is named
 * with its project's RootNamespace in front (vbFullName).
 */
export function classesOf(ws: WorkspaceView, app: AppView | undefined, fullName: string): Array<{ file: FileFacts; cls: TaskClassFact }> {
  if (!app) return [...(ws.taskClassesByFullName.get(fullName) ?? []), ...vbRooted(ws, ws.files, fullName)];
  const own = app.taskClassesByFullName.get(fullName);
  if (own?.length) return [...own];
  const ownVb = vbRooted(ws, app.files, fullName);
  if (ownVb.length) return ownVb;
  if (!app.manifest) return [];
  for (const other of ws.apps) if (!other.manifest && other !== app) {
    const loose = other.taskClassesByFullName.get(fullName);
    if (loose?.length) return [...loose];
    const looseVb = vbRooted(ws, other.files, fullName);
    if (looseVb.length) return looseVb;
  }
  return [];
}

/**
 * The RootNamespace of the VB project building a .vb file: a .vbproj listing it, else the nearest .vbproj
 * in a folder above it. VB puts every namespace a file declares (and a class outside any) under it.
 */
export function vbRootNamespace(ws: WorkspaceView, path: string): string | undefined {
  let best: { depth: number; root: string } | undefined;
  for (const f of ws.files) {
    const p = f.project;
    if (f.kind !== 'project' || !p?.rootNamespace || !/\.vbproj$/i.test(f.path)) continue;
    if (p.compileItems.some((c) => c.toLowerCase() === path.toLowerCase())) return p.rootNamespace;
    const dir = f.path.slice(0, f.path.lastIndexOf('/') + 1);
    if (path.startsWith(dir) && (!best || dir.length > best.depth)) best = { depth: dir.length, root: p.rootNamespace };
  }
  return best?.root;
}

/** The name Windows sees for a class of a .vb file: RootNamespace.fullName unless declared under `Namespace Global…`. */
export function vbFullName(ws: WorkspaceView, file: FileFacts, cls: { fullName: string; rootRelative?: boolean }): string {
  const root = file.kind === 'vb' && cls.rootRelative ? vbRootNamespace(ws, file.path) : undefined;
  return root ? `${root}.${cls.fullName}` : cls.fullName;
}

function vbRooted(ws: WorkspaceView, files: readonly FileFacts[], fullName: string): Array<{ file: FileFacts; cls: TaskClassFact }> {
  const out: Array<{ file: FileFacts; cls: TaskClassFact }> = [];
  for (const file of files) if (file.kind === 'vb') for (const cls of file.taskClasses) if (cls.rootRelative && vbFullName(ws, file, cls) === fullName) out.push({ file, cls });
  return out;
}

/** Every app a file belongs to (a Shared project's file belongs to each app importing it). */
export function appsHolding(ws: WorkspaceView, path: string): AppView[] {
  return ws.apps.filter((a) => a.manifest?.path === path || a.files.some((f) => f.path === path) || a.projects.some((f) => f.path === path));
}

/**
 * Whether Windows may activate this task class: its app has no manifest (nothing to tell), a manifest
 * Extension names it (EntryPoint, ActivatableClassId), or a registration names it or a TaskEntryPoint
 * cannot be read. A class only the app's own code runs (in-process, from OnBackgroundActivated) is not.
 */
export function mayBeActivatedByWindows(ws: WorkspaceView, path: string, fullName: string): boolean {
  const apps = appsHolding(ws, path);
  if (!apps.length) return true;
  for (const app of apps) {
    const manifest = app.manifest?.manifest;
    if (!manifest) return true;
    if (manifest.extensions.some((x) => x.entryPoint?.value === fullName || x.activatableClassIds.some((id) => id.value === fullName))) return true;
    for (const { registration } of app.registrations) {
      const entryPoint = registration.entryPoint;
      if (entryPoint && (entryPoint.kind !== 'string' || entryPoint.value === fullName)) return true;
    }
  }
  return false;
}

/** Whether an app can name this entry point: one of its task classes, or a class deriving from one. */
export function namesTaskClass(ws: WorkspaceView, app: AppView | undefined, fullName: string): boolean {
  return classesOf(ws, app, fullName).length > 0 || !!app?.derivedTaskClasses?.has(fullName);
}

/** An IoT Core startup task (`<iot:Task Type="startup"/>`): started by the system at boot, not registered by code. */
export const isIotStartup = (x: ManifestExtensionFact) => x.tasks.length > 0 && x.tasks.every((t) => t.type === 'startup');

/** Entry points that the manifests of the apps holding `path` declare as IoT startup tasks. */
export function iotStartupEntryPoints(ws: WorkspaceView, path: string): Set<string> {
  const out = new Set<string>();
  for (const app of appsHolding(ws, path)) for (const x of backgroundExtensions(app.manifest?.manifest)) if (x.entryPoint && isIotStartup(x)) out.add(x.entryPoint.value);
  return out;
}

/** The full names an app can name (see classesOf). */
/**
 * Whether a C# or VB task class has another part (`partial class X` without the base list) in the app's
 * files: that part may hold Run or the Canceled subscription, which the task class's own facts miss.
 */
export function hasOtherPartialPart(app: AppView, fullName: string, entries: ReadonlyArray<{ cls: TaskClassFact }>): boolean {
  if (!entries.every((e) => e.cls.language === 'csharp' || e.cls.language === 'vb')) return false;
  return app.files.some((f) => f.classes.some((c) => c.fullName === fullName));
}

export function classNamesOf(ws: WorkspaceView, app: AppView): string[] {
  const names = new Set(app.taskClassesByFullName.keys());
  // A VB class is named with its project's RootNamespace: offer that name, not the one the file spells.
  for (const file of app.files) if (file.kind === 'vb') for (const cls of file.taskClasses) {
    const rooted = vbFullName(ws, file, cls);
    if (rooted !== cls.fullName) {
      names.delete(cls.fullName);
      names.add(rooted);
    }
  }
  for (const n of app.derivedTaskClasses?.keys() ?? []) names.add(n);
  if (app.manifest) for (const other of ws.apps) if (!other.manifest && other !== app) for (const n of other.taskClassesByFullName.keys()) names.add(n);
  return [...names];
}

export function profileOf(ws: WorkspaceView, path: string): ProfileId {
  return ws.appOf(path)?.profile ?? ws.profileOverride ?? 'win10';
}

export const within = (inner: Span, outer: Span) => inner.start >= outer.start && inner.end <= outer.end;

/**
 * Where a value of a registration is written. A registration linked from a helper call belongs to the
 * call site, but values the helper sets itself point into the helper's file: those are reported there.
 */
export function locate(e: AppRegistration, span: Span): { path: string; span: Span; atCallSite: boolean } {
  const r = e.registration;
  if (!r.viaHelperCall) return { path: e.file.path, span, atCallSite: true };
  if (within(span, r.viaHelperCall)) return { path: e.file.path, span, atCallSite: true };
  const sameSpan = (a?: Span, b?: Span) => !!a && !!b && a.start === b.start && a.end === b.end;
  const helpers = e.app.files.filter((f) => f.registrations.some((h) => h.helperParameters && sameSpan(h.registerCall, r.registerCall) && h.builderVariable === r.builderVariable));
  if (helpers.length === 1) return { path: helpers[0].path, span, atCallSite: false };
  return { path: e.file.path, span: r.span, atCallSite: false };
}

/** Where findings about the registration as a whole go: Register() for direct code, the call for helpers. */
export function registrationAnchor(r: RegistrationFact): Span {
  return r.viaHelperCall ? r.span : r.registerCall ?? r.span;
}

export const stringOf = (v: ValueFact | undefined): string | undefined => (v?.kind === 'string' ? v.value : undefined);

/** A JavaScript entry point is the task script's path (`js\\task.js`), not a class name. */
export const looksLikePath = (value: string) => /[\\/]/.test(value) || /\.(js|html?)$/i.test(value);

export const normalizePath = (p: string) => p.replace(/\//g, '\\').replace(/^\.\\/, '').toLowerCase();

export const isAppSdkEntryPoint = (value: string) => value === APPSDK_ENTRY_POINT;
/** A task class of Windows itself, such as Windows.Networking.Sockets.WebSocketKeepAlive (documented as a sealed
 *  IBackgroundTask, registered as a control channel's keep-alive task): the `Windows.` root namespace belongs to the
 *  platform's metadata, so no workspace holds the class and nothing can be said about it. */
export const isPlatformTaskClass = (value: string) => value.startsWith('Windows.');

export function backgroundExtensions(manifest: ManifestFacts | undefined): ManifestExtensionFact[] {
  if (!manifest || manifest.syntaxError) return [];
  return manifest.extensions.filter((x) => x.category === 'windows.backgroundTasks');
}

/** Extensions declaring this entry point: EntryPoint (case-sensitive) or, for paths, StartPage. */
export function extensionsFor(manifest: ManifestFacts | undefined, entryPoint: string): ManifestExtensionFact[] {
  return backgroundExtensions(manifest).filter((x) =>
    looksLikePath(entryPoint) ? !!x.startPage && normalizePath(x.startPage.value) === normalizePath(entryPoint) : x.entryPoint?.value === entryPoint,
  );
}

/** The inner span of a string literal written at `span` (`"abc"`, `@"abc"`, `L"abc"`, `'abc'`), if it is one. */
export function literalContent(text: string | undefined, span: Span): Span | undefined {
  if (!text) return undefined;
  const written = text.slice(span.start, span.end);
  const m = /^(@|L|u8|u|U)?(["'])[^"'\\\n]*\2$/.exec(written);
  if (!m) return undefined;
  const open = (m[1]?.length ?? 0) + 1;
  return { start: span.start + open, end: span.end - 1 };
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The candidate closest to `name`: a case-insensitive match first, else the smallest edit distance (ties: first). */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const score = c.toLowerCase() === name.toLowerCase() ? -1 : editDistance(name, c);
    if (score < bestScore || (score === bestScore && best !== undefined && c < best)) {
      best = c;
      bestScore = score;
    }
  }
  // A suggestion that shares little with the name would mislead.
  return best !== undefined && bestScore <= Math.max(3, Math.floor(name.length / 2)) ? best : undefined;
}

/** The element name (with prefix) for a Task of this type in this manifest, if the type's namespace is declared. */
export function taskElementFor(manifest: ManifestFacts, type: string): string | undefined {
  for (const [ns, types] of Object.entries(TASK_TYPES_BY_NAMESPACE)) {
    if (!types.includes(type)) continue;
    const prefix = manifest.namespaces[ns];
    if (prefix === undefined) continue;
    return prefix ? `${prefix}:Task` : 'Task';
  }
  return undefined;
}

/** Is the manifest's default namespace the Windows 10 one (where foundation types are unprefixed)? */
export const isWin10Manifest = (m: ManifestFacts) => m.namespaces[NS.foundation10] !== undefined;

export function lineAt(text: string, offset: number): { start: number; end: number; content: string; indent: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  end = end < 0 ? text.length : end + 1;
  const content = text.slice(start, end);
  return { start, end, content, indent: /^[ \t]*/.exec(content)![0] };
}

export function indentUnit(indent: string): string {
  return indent.includes('\t') ? '\t' : '    ';
}

export const newlineOf = (text: string) => (text.includes('\r\n') ? '\r\n' : '\n');

/** Lines with one more indentation unit (blank lines stay blank). */
export function indentLines(block: string, unit: string): string {
  return block.replace(/^(?=[ \t]*\S)/gm, unit);
}

/** The name of Run's parameter (`taskInstance`), read from the method's text. */
export function runParameterName(text: string | undefined, runSpan: Span): string | undefined {
  if (!text) return undefined;
  const m = /\bRun\s*\(\s*(?:[\w.:]+\s*\^?\s*)(\w+)\s*\)/.exec(text.slice(runSpan.start, runSpan.end));
  return m?.[1];
}

interface RunShape {
  bodySpan?: Span;
}

/** Body layout of a C# method written over several lines: its brace indentation and its statements' indentation. */
function bodyLayout(text: string, body: Span): { braceIndent: string; inner: string; unit: string; closingLineStart: number } | undefined {
  const innerText = text.slice(body.start + 1, body.end - 1);
  if (!innerText.includes('\n')) return undefined;
  const braceIndent = lineAt(text, body.start).indent;
  const first = /\n([ \t]*)\S/.exec(innerText);
  const inner = first && first[1].length > braceIndent.length ? first[1] : braceIndent + indentUnit(braceIndent);
  const closingLineStart = lineAt(text, body.end - 1).start;
  // The closing brace must stand on its own line.
  if (text.slice(closingLineStart, body.end - 1).trim()) return undefined;
  return { braceIndent, inner, unit: inner.slice(braceIndent.length) || indentUnit(braceIndent), closingLineStart };
}

/** Replace Run's body by `{ var d = p.GetDeferral(); try { <body> } finally { d.Complete(); } }` (C#). */
export function wrapBodyInDeferral(text: string, run: RunShape & { span: Span }, path: string): { path: string; span: Span; newText: string } | undefined {
  const body = run.bodySpan;
  const param = runParameterName(text, run.span);
  if (!body || !param) return undefined;
  const layout = bodyLayout(text, body);
  if (!layout) return undefined;
  const nl = newlineOf(text);
  const { inner, unit } = layout;
  const statements = text.slice(lineAt(text, body.start).end, layout.closingLineStart).replace(/\r?\n$/, '');
  const name = /\bdeferral\b/.test(statements) ? 'taskDeferral' : 'deferral';
  const lines = [
    '{',
    `${inner}var ${name} = ${param}.GetDeferral();`,
    `${inner}try`,
    `${inner}{`,
    indentLines(statements, unit),
    `${inner}}`,
    `${inner}finally`,
    `${inner}{`,
    `${inner}${unit}${name}.Complete();`,
    `${inner}}`,
    `${layout.braceIndent}}`,
  ];
  return { path, span: body, newText: lines.join(nl) };
}

/**
 * Wrap the statements after `var d = x.GetDeferral();` (a statement directly in Run's body) in
 * try/finally with `d.Complete()` in the finally; `dropLines` (line starts) are removed first.
 */
export function completeInFinally(text: string, run: RunShape, deferralSpan: Span, variable: string, path: string, dropLines: number[] = []): { path: string; span: Span; newText: string } | undefined {
  const body = run.bodySpan;
  if (!body || !within(deferralSpan, body)) return undefined;
  const layout = bodyLayout(text, body);
  if (!layout) return undefined;
  const line = lineAt(text, deferralSpan.start);
  if (line.indent !== layout.inner || !new RegExp(`^\\s*(?:var|BackgroundTaskDeferral|[\\w.]+BackgroundTaskDeferral)\\s+${variable}\\s*=\\s*\\w+\\s*\\.\\s*GetDeferral\\s*\\(\\s*\\)\\s*;\\s*$`).test(line.content)) return undefined;
  const nl = newlineOf(text);
  let rest = '';
  for (let at = line.end; at < layout.closingLineStart; ) {
    const l = lineAt(text, at);
    if (!dropLines.includes(l.start)) rest += l.content;
    at = l.end;
  }
  rest = rest.replace(/\r?\n$/, '');
  const { inner, unit } = layout;
  const lines = [`${inner}try`, `${inner}{`, ...(rest.trim() ? [indentLines(rest, unit)] : []), `${inner}}`, `${inner}finally`, `${inner}{`, `${inner}${unit}${variable}.Complete();`, `${inner}}`];
  return { path, span: { start: line.end, end: layout.closingLineStart }, newText: lines.join(nl) + nl };
}
