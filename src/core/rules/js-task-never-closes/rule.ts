// js-task-never-closes: a JavaScript background task (WebUIBackgroundTaskInstance.current) must call
// close() when done; otherwise it counts as idle, is cancelled with Abort, and the next task for the
// same trigger cannot start. Source: domain-facts §5 (JS), §8 #24.
import type { FileRule } from '../types';

export const rule: FileRule = {
  id: 'js-task-never-closes',
  severity: 'error',
  title: 'A JavaScript background task never calls close().',
  source: '§5, §8 #24',
  reads: ['code'],
  scope: 'file',
  checkFile(file, ctx) {
    for (const js of file.jsTasks) {
      if (js.callsClose) continue;
      const at = js.closeInsertOffset;
      ctx.report({
        path: file.path,
        span: js.span,
        message: 'This JavaScript background task never calls close(); call close() when its work is done.',
        fix: { title: 'Call close() at the end of the task', edits: [{ path: file.path, span: { start: at, end: at }, newText: '\nclose();' }] },
      });
    }
  },
};
