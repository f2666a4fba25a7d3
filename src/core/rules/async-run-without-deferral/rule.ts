// async-run-without-deferral: Run is async or starts asynchronous work but never takes a deferral, so
// the host may be suspended or ended as soon as Run returns. Source: domain-facts §5 (Run returning
// before a deferral completes), §8 #7.
import { wrapBodyInDeferral } from '../codeUtil';
import type { FileRule } from '../types';

export const rule: FileRule = {
  id: 'async-run-without-deferral',
  severity: 'error',
  title: 'Run does asynchronous work without taking a deferral.',
  source: '§5, §8 #7',
  reads: ['code'],
  scope: 'file',
  checkFile(file, ctx) {
    for (const cls of file.taskClasses) {
      const run = cls.run;
      if (!run || cls.declarationOnly || run.deferrals.length || !(run.isAsync || run.asyncWork)) continue;
      // Wrapping the body in try/finally completes the deferral after the awaited work only in an async method.
      const edit = cls.language === 'csharp' && run.isAsync ? wrapBodyInDeferral(ctx.workspace.textOf(file.path) ?? '', run, file.path) : undefined;
      ctx.report({
        path: file.path,
        span: run.nameSpan,
        message: `Run of '${cls.fullName}' does asynchronous work without a deferral; take a deferral with GetDeferral() at the start and call Complete() when the work is done.`,
        fix: edit && { title: 'Take a deferral around the body of Run', edits: [edit] },
      });
    }
  },
};
