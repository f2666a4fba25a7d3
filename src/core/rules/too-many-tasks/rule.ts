// too-many-tasks: more Task elements in one <BackgroundTasks> than the profile's schema allows
// (§3.2: Task{1,5} on Windows 8, TaskChoice{1,8} on Windows 8.1, Task{1,17} on Windows 10).
import { MAX_TASKS } from '../../model/catalog';
import { backgroundExtensions } from '../codeUtil';
import type { FileRule } from '../types';

export const rule: FileRule = {
  id: 'too-many-tasks',
  severity: 'error',
  title: 'More Task elements than the manifest schema allows.',
  source: '§3.2',
  reads: ['manifest'],
  scope: 'file',
  checkFile(file, ctx) {
    const profile = ctx.workspace.appOf(file.path)?.profile ?? ctx.workspace.profileOverride ?? file.manifest?.profile ?? 'win10';
    const max = MAX_TASKS[profile];
    for (const x of backgroundExtensions(file.manifest)) {
      if (x.tasks.length <= max) continue;
      const extra = x.tasks.slice(max);
      ctx.report({
        path: file.path,
        span: { start: extra[0].span.start, end: extra[extra.length - 1].span.end },
        message: `<BackgroundTasks> holds ${x.tasks.length} Task elements; the ${profile} schema allows at most ${max}. Split the entry point's tasks or remove ${extra.length === 1 ? 'this one' : `these ${extra.length}`}.`,
      });
    }
  },
};
