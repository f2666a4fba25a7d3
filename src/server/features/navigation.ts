// Navigation between a task class, its manifest EntryPoint and the registration strings that name
// it: go to definition (from a string to the class), find references (all three kinds), and the
// code lenses over each task class ("declared in Package.appxmanifest", "registered as X"), each peeking those places.
import type { CodeLens, CodeLensParams, DefinitionParams, Location, ReferenceParams, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Span } from '../../core/facts/types';
import { appsHolding, classesOf, locate } from '../../core/rules/codeUtil';
import type { AppView, WorkspaceView } from '../../core/rules/types';
import { pathOfUri, rangeOf, uriOfPath } from '../convert';
import type { Session } from '../session';
import { cursorContext, quotedAt } from './context';

interface Place {
  path: string;
  span: Span;
}

/**
 * The apps a cross-file query from `path` may look into: the file's own apps, never another app's.
 * Code no app claims (loose files) may be any app's, as the rules see it.
 */
export function scopeApps(ws: WorkspaceView, path: string | undefined): readonly AppView[] {
  const own = path ? appsHolding(ws, path) : [];
  return own.some((a) => a.manifest) ? own : ws.apps;
}

/** Every place in these apps that names the entry point `fullName`: class declarations, manifest EntryPoints, registration strings. */
function placesOf(session: Session, fullName: string, apps: readonly AppView[]): { classes: Place[]; declarations: Place[]; registrations: Place[] } {
  const ws = session.engine.workspace();
  const seenClass = new Set<string>();
  const classes: Place[] = [];
  for (const app of apps) for (const { file, cls } of classesOf(ws, app, fullName)) {
    const key = `${file.path}:${cls.nameSpan.start}`;
    if (!seenClass.has(key)) classes.push({ path: file.path, span: cls.nameSpan });
    seenClass.add(key);
  }
  const declarations: Place[] = [];
  const registrations: Place[] = [];
  const manifests = new Set(apps.map((a) => a.manifest).filter((m) => !!m));
  for (const f of manifests) for (const x of f!.manifest?.extensions ?? []) if (x.entryPoint?.value === fullName) declarations.push({ path: f!.path, span: x.entryPoint.span });
  // Linked registrations: helper calls and constants are resolved, and each value points where it is written.
  const seen = new Set<string>();
  for (const app of apps) {
    for (const { file, registration } of app.registrations) {
      const ep = registration.entryPoint;
      if (ep?.kind !== 'string' || ep.value !== fullName) continue;
      const at = locate({ app, file, registration }, ep.span);
      const key = `${at.path}:${at.span.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      registrations.push({ path: at.path, span: at.span });
    }
  }
  return { classes, declarations, registrations };
}

/** The entry point named at the cursor: a string/attribute value naming a task class, or a task class name. */
function entryPointAt(session: Session, documents: TextDocuments<TextDocument>, uri: string, position: { line: number; character: number }): string | undefined {
  const ctx = cursorContext(documents, uri, position);
  if (!ctx) return undefined;
  const ws = session.engine.workspace();
  const value = quotedAt(ctx.text, ctx.offset);
  if (value && scopeApps(ws, ctx.path).some((app) => classesOf(ws, app, value.value).length)) return value.value;
  const facts = session.engine.facts(ctx.path);
  const cls = facts?.taskClasses.find((c) => ctx.offset >= c.nameSpan.start && ctx.offset <= c.nameSpan.end);
  return cls?.fullName;
}

const toLocation = (session: Session, p: Place): Location => ({ uri: uriOfPath(p.path), range: rangeOf(session.engine, p.path, p.span) });

export function definition(session: Session, documents: TextDocuments<TextDocument>, params: DefinitionParams): Location[] {
  const name = entryPointAt(session, documents, params.textDocument.uri, params.position);
  if (!name) return [];
  const here = pathOfUri(params.textDocument.uri);
  const { classes, declarations } = placesOf(session, name, scopeApps(session.engine.workspace(), here));
  // From the class itself, "definition" goes to its manifest declaration.
  const onClass = classes.some((c) => c.path === here && session.engine.facts(here!)?.taskClasses.some((t) => t.fullName === name));
  return (onClass && declarations.length ? declarations : classes).map((p) => toLocation(session, p));
}

export function references(session: Session, documents: TextDocuments<TextDocument>, params: ReferenceParams): Location[] {
  const name = entryPointAt(session, documents, params.textDocument.uri, params.position);
  if (!name) return [];
  const { classes, declarations, registrations } = placesOf(session, name, scopeApps(session.engine.workspace(), pathOfUri(params.textDocument.uri)));
  return [...(params.context.includeDeclaration ? classes : []), ...declarations, ...registrations].map((p) => toLocation(session, p));
}

const short = (s: string, max = 32) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Two short lenses over each task class: where it is declared and how it is registered, each peeking those places. */
export function codeLenses(session: Session, params: CodeLensParams): CodeLens[] {
  const p = pathOfUri(params.textDocument.uri);
  const facts = p ? session.engine.facts(p) : undefined;
  if (!p || !facts?.taskClasses.length) return [];
  const apps = scopeApps(session.engine.workspace(), p);
  const lenses: CodeLens[] = [];
  for (const cls of facts.taskClasses) {
    if (cls.declarationOnly && facts.kind !== 'cppcx' && facts.kind !== 'cppwinrt') continue;
    const range = rangeOf(session.engine, p, cls.nameSpan);
    const { declarations, registrations } = placesOf(session, cls.fullName, apps);
    const names: string[] = [];
    for (const app of apps) {
      for (const { registration: r } of app.registrations) {
        if (r.entryPoint?.kind !== 'string' || r.entryPoint.value !== cls.fullName) continue;
        const name = r.name?.kind === 'string' ? r.name.value : 'a task';
        if (!names.includes(name)) names.push(name);
      }
    }
    const manifests = [...new Set(declarations.map((d) => d.path.slice(d.path.lastIndexOf('/') + 1)))];
    const peek = (title: string, places: Place[]) => ({ range, command: { title, command: places.length ? 'bgtask.peek' : '', arguments: places.length ? [params.textDocument.uri, range.start, places.map((x) => toLocation(session, x))] : undefined } });
    lenses.push(peek(manifests.length === 1 ? `declared in ${short(manifests[0])}` : manifests.length ? `declared in ${manifests.length} manifests` : 'not declared in a manifest', declarations));
    lenses.push(peek(names.length === 1 && registrations.length <= 1 ? `registered as ${short(names[0])}` : registrations.length ? `${registrations.length} registrations` : 'not registered in code', registrations));
  }
  return lenses;
}
