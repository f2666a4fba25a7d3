// multiple-instances-conflict: `uap4:SupportsMultipleInstances` gives each trigger its own process, so
// it cannot be combined with ServerName (one server instance) or ResourceGroup (a shared process) (§3.3, §8 #27).
import { backgroundExtensions } from '../codeUtil';
import type { FileRule } from '../types';

export const rule: FileRule = {
  id: 'multiple-instances-conflict',
  severity: 'error',
  title: 'SupportsMultipleInstances combined with ResourceGroup or ServerName.',
  source: '§3.3, §8 #27',
  reads: ['manifest'],
  scope: 'file',
  checkFile(file, ctx) {
    for (const x of backgroundExtensions(file.manifest)) {
      const multiple = x.backgroundTasks?.supportsMultipleInstances;
      if (!multiple || multiple.value.trim().toLowerCase() !== 'true') continue;
      const conflicts = [x.backgroundTasks?.serverName && `ServerName="${x.backgroundTasks.serverName.value}"`, x.resourceGroup && `ResourceGroup="${x.resourceGroup.value}"`].filter(Boolean);
      if (!conflicts.length) continue;
      ctx.report({
        path: file.path,
        span: multiple.span,
        message: `SupportsMultipleInstances="true" cannot be combined with ${conflicts.join(' or ')}: each trigger gets its own process, while ${conflicts.length > 1 ? 'those share one' : 'that shares one'}.`,
      });
    }
  },
};
