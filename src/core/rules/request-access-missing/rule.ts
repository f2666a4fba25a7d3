// request-access-missing: the app registers a task but never calls RequestAccessAsync. Windows 10 and
// Phone 8.1 need it before any registration; Windows 8/8.1 for the lock-screen triggers.
// Source: domain-facts §1 (RequestAccessAsync rule by platform), §8 #11.
import { needsRequestAccess } from '../../model/catalog';
import { lineAt, registrationAnchor, registrations } from '../codeUtil';
import type { Fix, WorkspaceRule } from '../types';
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
    for (const e of registrations(ws)) {
      const { app, registration: r } = e;
      // Without a manifest (or a forced profile) neither the platform nor the app's extent is known.
      if (app.requestsAccess || !r.registerCall || (!app.manifest && !ws.profileOverride)) continue;
      const win8x = app.profile === 'win8' || app.profile === 'win81';
      if (win8x && (!r.trigger || r.trigger.unresolved)) continue;
      if (!needsRequestAccess(app.profile, r.trigger?.className ?? '', r.trigger?.systemTriggerType?.name)) continue;
      const name = r.name?.kind === 'string' ? `'${r.name.value}'` : 'this task';
      const why = win8x ? `${r.trigger!.systemTriggerType?.name ?? r.trigger!.className} needs the lock screen` : 'Windows requires it before any registration';
      ctx.report({
        path: e.file.path,
        span: registrationAnchor(r),
        message: `The app never calls BackgroundExecutionManager.RequestAccessAsync() and ${why}; call it before registering ${name}.`,
        fix: accessFix(ws.textOf(e.file.path), e),
      });
    }
  },
};

/** C#: insert the call before the builder statement; awaited when the enclosing method is async. */
function accessFix(text: string | undefined, e: AppRegistration): Fix | undefined {
  const r = e.registration;
  if (!text || e.file.kind !== 'csharp' || r.viaHelperCall || !r.enclosingFunction) return undefined;
  let isAsync = false;
  const header = new RegExp(`\\b${r.enclosingFunction}\\s*\\(`, 'g');
  for (let m; (m = header.exec(text)) && m.index < r.statementStart; ) isAsync = /\basync\b/.test(lineAt(text, m.index).content);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const call = isAsync ? 'await BackgroundExecutionManager.RequestAccessAsync();' : 'BackgroundExecutionManager.RequestAccessAsync();';
  return { title: 'Call RequestAccessAsync before registering', edits: [{ path: e.file.path, span: { start: r.statementStart, end: r.statementStart }, newText: `${call}${nl}${r.indent}` }] };
}
