// request-access-missing: the app registers a task but never calls RequestAccessAsync. Windows 10 and
// Phone 8.1 need it before any registration; Windows 8/8.1 for the lock-screen triggers. An app-wide
// finding: reported once per app, at its first registration, with the others as related places.
// Source: domain-facts §1 (RequestAccessAsync rule by platform), §8 #11.
import { needsRequestAccess } from '../../model/catalog';
import { lineAt, registrationAnchor, registrations } from '../codeUtil';
import type { Fix, RelatedPlace, WorkspaceRule } from '../types';
import type { AppRegistration } from '../codeUtil';

export const rule: WorkspaceRule = {
  id: 'request-access-missing',
  severity: 'warning',
  title: 'A task is registered but the app never calls RequestAccessAsync.',
  source: '§1, §8 #11',
  reads: ['code', 'manifest'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    const ws = ctx.workspace;
    const byApp = new Map<AppRegistration['app'], Array<{ e: AppRegistration; path: string; span: { start: number; end: number } }>>();
    for (const e of registrations(ws)) {
      const { app, registration: r } = e;
      // Without a manifest (or a forced profile) neither the platform nor the app's extent is known.
      if (app.requestsAccess || !r.registerCall || (!app.manifest && !ws.profileOverride)) continue;
      const win8x = app.profile === 'win8' || app.profile === 'win81';
      if (win8x && (!r.trigger || r.trigger.unresolved)) continue;
      if (!needsRequestAccess(app.profile, r.trigger?.className ?? '', r.trigger?.systemTriggerType?.name)) continue;
      const at = { path: e.file.path, span: registrationAnchor(r) };
      const list = byApp.get(app) ?? [];
      if (!list.some((x) => x.path === at.path && x.span.start === at.span.start)) list.push({ e, ...at });
      byApp.set(app, list);
    }
    for (const list of byApp.values()) {
      list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.span.start - b.span.start));
      const [first, ...others] = list;
      const r = first.e.registration;
      const win8x = first.e.app.profile === 'win8' || first.e.app.profile === 'win81';
      const name = r.name?.kind === 'string' ? `'${r.name.value}'` : 'this task';
      const why = win8x ? `${r.trigger!.systemTriggerType?.name ?? r.trigger!.className} needs the lock screen` : 'Windows requires it before any registration';
      const more = others.length ? ` (and ${others.length} other registration${others.length === 1 ? '' : 's'} of this app, listed as related)` : '';
      const related: RelatedPlace[] = others.map((o) => {
        const n = o.e.registration.name;
        return { path: o.path, span: o.span, message: `also registered without RequestAccessAsync${n?.kind === 'string' ? `: '${n.value}'` : ''}` };
      });
      ctx.report({
        path: first.path,
        span: first.span,
        message: `The app never calls BackgroundExecutionManager.RequestAccessAsync() and ${why}; call it before registering ${name}${more}.`,
        fix: accessFix(ws.textOf(first.path), first.e),
        ...(related.length ? { related } : {}),
      });
    }
  },
};

/**
 * C#: `await BackgroundExecutionManager.RequestAccessAsync();` before the builder statement, offered only
 * inside an async method: an un-awaited call would register before access is granted.
 */
function accessFix(text: string | undefined, e: AppRegistration): Fix | undefined {
  const r = e.registration;
  if (!text || e.file.kind !== 'csharp' || r.viaHelperCall || !r.enclosingFunction) return undefined;
  let isAsync = false;
  let headerAt = -1;
  const header = new RegExp(`\\b${r.enclosingFunction}\\s*\\(`, 'g');
  for (let m; (m = header.exec(text)) && m.index < r.statementStart; headerAt = m.index) isAsync = /\basync\b/.test(lineAt(text, m.index).content);
  // Inside a lambda or anonymous method of the async method, an await would not compile: no fix then.
  if (!isAsync || /=>|\bdelegate\b/.test(text.slice(headerAt, r.statementStart))) return undefined;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  return { title: 'Await RequestAccessAsync before registering', edits: [{ path: e.file.path, span: { start: r.statementStart, end: r.statementStart }, newText: `await BackgroundExecutionManager.RequestAccessAsync();${nl}${r.indent}` }] };
}
