// deferral-never-completed: a deferral is taken but Complete() is never called on it, so the task holds
// its host until it times out. Deferrals handed to other code are assumed completed there (extractor).
// An IoT Core startup task (`<iot:Task Type="startup"/>`) holds its deferral for ever on purpose, to run
// for the device's lifetime: said at info level only (issue 9). Source: domain-facts §5 (BackgroundTaskDeferral), §8 #8.
import { completeInFinally, iotStartupEntryPoints } from '../codeUtil';
import type { WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'deferral-never-completed',
  severity: 'error',
  title: 'A deferral is taken but Complete() is never called on it.',
  source: '§8 #8',
  reads: ['code', 'manifest'],
  // Workspace scope: whether the class is an IoT startup task is written in the app's manifest.
  scope: 'workspace',
  checkWorkspace(ctx) {
    const ws = ctx.workspace;
    for (const file of ws.files) {
      if (!file.taskClasses.some((c) => c.run?.deferrals.some((d) => !d.completed))) continue;
      const text = ws.textOf(file.path);
      const startup = iotStartupEntryPoints(ws, file.path);
      for (const cls of file.taskClasses) {
        const run = cls.run;
        if (!run) continue;
        for (const d of run.deferrals) {
          if (d.completed) continue;
          if (startup.has(cls.fullName)) {
            ctx.report({
              path: file.path,
              span: d.span,
              severity: 'info',
              message: `IoT startup task '${cls.fullName}' never completes its deferral, so it runs for as long as the device does; that is how startup tasks work, complete it only if the task should end.`,
            });
            continue;
          }
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
    }
  },
};
