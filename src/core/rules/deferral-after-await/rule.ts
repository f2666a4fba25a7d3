// deferral-after-await: GetDeferral() called after Run's first await comes too late: Run has already
// returned to the host at that await. Source: domain-facts §5 (GetDeferral), §8 #7.
import { lineAt } from '../codeUtil';
import type { FileRule, TextEdit } from '../types';

export const rule: FileRule = {
  id: 'deferral-after-await',
  severity: 'error',
  title: 'GetDeferral is called after the first await in Run.',
  source: '§5, §8 #7',
  reads: ['code'],
  scope: 'file',
  checkFile(file, ctx) {
    const text = ctx.workspace.textOf(file.path);
    for (const cls of file.taskClasses) {
      const run = cls.run;
      if (!run) continue;
      for (const d of run.deferrals) {
        if (!d.afterAwait) continue;
        ctx.report({
          path: file.path,
          span: d.span,
          message: `GetDeferral() in Run of '${cls.fullName}' is called after an await, when Run has already returned; call it at the top of Run.`,
          fix: text && cls.language === 'csharp' ? moveToTop(text, run.bodySpan, d.span, file.path) : undefined,
        });
      }
    }
  },
};

/** Move a one-line `var d = x.GetDeferral();` statement to the first line of Run's body. */
function moveToTop(text: string, body: { start: number; end: number } | undefined, at: { start: number; end: number }, path: string) {
  if (!body) return undefined;
  const line = lineAt(text, at.start);
  if (!/^\s*(?:[\w.]+\s+)?[\w.]+\s*=\s*\w+\s*\.\s*GetDeferral\s*\(\s*\)\s*;\s*$/.test(line.content)) return undefined;
  const first = lineAt(text, body.start);
  if (text.slice(body.start + 1, first.end).trim() || line.start <= first.end) return undefined;
  const firstStatement = /\n([ \t]*)\S/.exec(text.slice(body.start));
  const indent = firstStatement?.[1] ?? line.indent;
  const edits: TextEdit[] = [
    { path, span: { start: first.end, end: first.end }, newText: indent + line.content.trimStart() },
    { path, span: { start: line.start, end: line.end }, newText: '' },
  ];
  return { title: 'Move GetDeferral() to the top of Run', edits };
}
