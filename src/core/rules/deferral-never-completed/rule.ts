// deferral-never-completed: a deferral is taken but Complete() is never called on it, so the task holds
// its host until it times out. Deferrals handed to other code are assumed completed there (extractor).
// Source: domain-facts §5 (BackgroundTaskDeferral), §8 #8.
import { completeInFinally } from '../codeUtil';
import type { FileRule } from '../types';

export const rule: FileRule = {
  id: 'deferral-never-completed',
  severity: 'error',
  title: 'A deferral is taken but Complete() is never called on it.',
  source: '§8 #8',
  reads: ['code'],
  scope: 'file',
  checkFile(file, ctx) {
    const text = ctx.workspace.textOf(file.path);
    for (const cls of file.taskClasses) {
      const run = cls.run;
      if (!run) continue;
      for (const d of run.deferrals) {
        if (d.completed) continue;
        // try/finally completes after the awaited work only when Run is async.
        const edit = text && d.variable && run.isAsync && cls.language === 'csharp' ? completeInFinally(text, run, d.span, d.variable, file.path) : undefined;
        ctx.report({
          path: file.path,
          span: d.span,
          message: `The deferral taken in '${cls.fullName}' is never completed; call Complete() on it when the work is done, in a finally block.`,
          fix: edit && { title: `Complete '${d.variable}' in a finally block`, edits: [edit] },
        });
      }
    }
  },
};
