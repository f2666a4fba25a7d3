// executable-not-allowed: `Executable` on a background task Extension whose Task Types are not only
// pushNotification/controlChannel. Only those run in the app's own process; any other task must run
// in the system's task host, which Executable overrides (§3.5, §8 #6). An Extension that declares a
// controlChannel task needs Executable, so the tasks it shares the Extension with are not reported.
import { EXECUTABLE_TASK_TYPES } from '../../model/catalog';
import { backgroundExtensions } from '../codeUtil';
import { attributeWithLeadingSpace } from '../manifestUtil';
import type { FileRule } from '../types';

export const rule: FileRule = {
  id: 'executable-not-allowed',
  severity: 'warning',
  title: 'Executable set on a background task that is not a push notification or control channel task.',
  source: '§3.5, §8 #6',
  reads: ['manifest'],
  scope: 'file',
  checkFile(file, ctx) {
    for (const x of backgroundExtensions(file.manifest)) {
      if (!x.executable || !x.tasks.length) continue;
      // Real-time-communication apps host their network-change task beside the control channel task in
      // the app's process (Microsoft's ControlChannelTrigger samples): the facts cover no mixed Extension.
      if (x.tasks.some((t) => t.type === 'controlChannel')) continue;
      const others = x.tasks.map((t) => t.type).filter((t) => !EXECUTABLE_TASK_TYPES.includes(t));
      if (!others.length) continue;
      const remove = attributeWithLeadingSpace(ctx.workspace.textOf(file.path), x.executable.span);
      ctx.report({
        path: file.path,
        span: x.executable.span,
        message: `Executable makes '${others.join("', '")}' tasks run in ${x.executable.value} instead of the system's task host; set it only for pushNotification or controlChannel tasks that run in the app's process.`,
        fix: remove ? { title: 'Remove the Executable attribute', edits: [{ path: file.path, span: remove, newText: '' }] } : undefined,
      });
    }
  },
};
