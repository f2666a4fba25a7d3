// entry-point-class-not-found: a literal TaskEntryPoint names no class implementing IBackgroundTask in
// the workspace (case-sensitive namespace.class). JavaScript entry points are script paths; the App SDK
// UniversalBGTask entry point and Windows' own task classes (Windows.*) are platform classes: all are exempt.
// Source: domain-facts §3.5, §8 #4.
import { classNamesOf, closestName, namesTaskClass, isAppSdkEntryPoint, isPlatformTaskClass, literalContent, locate, looksLikePath, registrations } from '../codeUtil';
import type { WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'entry-point-class-not-found',
  severity: 'error',
  title: 'TaskEntryPoint names no background task class in the workspace.',
  source: '§3.5, §8 #4',
  reads: ['code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    const ws = ctx.workspace;
    for (const e of registrations(ws)) {
      const ep = e.registration.entryPoint;
      if (ep?.kind !== 'string' || !ep.value || looksLikePath(ep.value) || isAppSdkEntryPoint(ep.value) || isPlatformTaskClass(ep.value)) continue;
      // With no task class in the app, the task component is outside the workspace (or not C#/C++): say nothing.
      const names = classNamesOf(ws, e.app);
      if (!names.length || namesTaskClass(ws, e.app, ep.value)) continue;
      const at = locate(e, ep.span);
      const suggestion = closestName(ep.value, names);
      const inner = at.span === ep.span ? literalContent(ws.textOf(at.path), ep.span) : undefined;
      ctx.report({
        path: at.path,
        span: at.span,
        message: `TaskEntryPoint '${ep.value}' names no class implementing IBackgroundTask in the workspace (the name is case-sensitive)${suggestion ? `; did you mean '${suggestion}'?` : '; use the namespace-qualified name of the task class.'}`,
        fix: suggestion && inner ? { title: `Change to '${suggestion}'`, edits: [{ path: at.path, span: inner, newText: suggestion }] } : undefined,
      });
    }
  },
};
