// task-type-missing: a background task Extension whose <BackgroundTasks> holds no Task, or that has
// no <BackgroundTasks> at all: every schema requires at least one Task element (§3.2).
import { backgroundExtensions } from '../codeUtil';
import type { FileRule } from '../types';

export const rule: FileRule = {
  id: 'task-type-missing',
  severity: 'error',
  title: 'A background task Extension declares no Task Type.',
  source: '§3.2',
  reads: ['manifest'],
  scope: 'file',
  checkFile(file, ctx) {
    for (const x of backgroundExtensions(file.manifest)) {
      if (x.tasks.length) continue;
      if (x.backgroundTasks) {
        ctx.report({ path: file.path, span: x.backgroundTasks.startTagSpan, message: '<BackgroundTasks> must hold at least one <Task Type="..."/> (the trigger kinds the entry point accepts).' });
      } else {
        ctx.report({ path: file.path, span: x.startTagSpan, message: 'This windows.backgroundTasks Extension has no <BackgroundTasks> element with a <Task Type="..."/>.' });
      }
    }
  },
};
