// canceled-not-handled: a Windows 10 background task that never subscribes to Canceled (the Windows App
// Certification Kit checks for it; a task that ignores cancellation may be terminated). A C++ class may
// subscribe in its .cpp: any declaration of the class that handles it counts. Source: domain-facts §8 #28.
import { hasOtherPartialPart, lineAt, profileOf, runParameterName } from '../codeUtil';
import type { Fix, WorkspaceRule } from '../types';
import type { TaskClassFact } from '../../facts/types';

export const rule: WorkspaceRule = {
  id: 'canceled-not-handled',
  severity: 'warning',
  title: 'A Windows 10 background task never subscribes to Canceled.',
  source: '§8 #28',
  reads: ['code', 'manifest'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    const ws = ctx.workspace;
    for (const app of ws.apps) for (const [fullName, entries] of app.taskClassesByFullName) {
      // A C#/VB partial class may subscribe in another part.
      if (entries.some((e) => e.cls.handlesCanceled) || hasOtherPartialPart(app, fullName, entries)) continue;
      for (const { file, cls } of entries) {
        // A header alone does not show the Run body.
        if (cls.declarationOnly || profileOf(ws, file.path) !== 'win10') continue;
        ctx.report({
          path: file.path,
          span: cls.nameSpan,
          message: `Background task '${fullName}' never subscribes to Canceled; handle taskInstance.Canceled and stop the work when it fires.`,
          fix: cls.language === 'csharp' ? canceledFix(ws.textOf(file.path), cls, file.path) : undefined,
        });
      }
    }
    for (const file of ws.files) {
      if (profileOf(ws, file.path) !== 'win10') continue;
      for (const js of file.jsTasks) {
        if (js.handlesCanceled) continue;
        ctx.report({ path: file.path, span: js.span, message: `This JavaScript background task never handles the canceled event; add a "canceled" listener that stops the work and calls close().` });
      }
    }
  },
};

function canceledFix(text: string | undefined, cls: TaskClassFact, path: string): Fix | undefined {
  const run = cls.run;
  if (!text || !run?.bodySpan) return undefined;
  const param = runParameterName(text, run.span);
  const braceLine = lineAt(text, run.bodySpan.start);
  if (!param || text.slice(run.bodySpan.start + 1, braceLine.end).trim()) return undefined;
  const first = /\n([ \t]*)\S/.exec(text.slice(run.bodySpan.start, run.bodySpan.end));
  const indent = first && first[1].length > braceLine.indent.length ? first[1] : braceLine.indent + '    ';
  const nl = braceLine.content.endsWith('\r\n') ? '\r\n' : '\n';
  return {
    title: 'Subscribe to Canceled',
    edits: [{ path, span: { start: braceLine.end, end: braceLine.end }, newText: `${indent}${param}.Canceled += (sender, reason) => { /* stop the work */ };${nl}` }],
  };
}
