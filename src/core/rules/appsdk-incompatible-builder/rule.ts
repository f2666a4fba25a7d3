// appsdk-incompatible-builder: the WinRT BackgroundTaskBuilder with SetTaskEntryPointClsid and a
// SystemTrigger or ApplicationTrigger fails with 0x80070032 "Incompatible request"; the Windows App SDK
// builder registers such COM tasks. Source: domain-facts §5 (Windows App SDK), §8 #31.
import { locate, registrations } from '../codeUtil';
import type { WorkspaceRule } from '../types';

const INCOMPATIBLE = new Set(['SystemTrigger', 'ApplicationTrigger']);

export const rule: WorkspaceRule = {
  id: 'appsdk-incompatible-builder',
  severity: 'error',
  title: 'WinRT BackgroundTaskBuilder.SetTaskEntryPointClsid with SystemTrigger or ApplicationTrigger.',
  source: '§5, §8 #31',
  reads: ['code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const e of registrations(ctx.workspace)) {
      const r = e.registration;
      if (r.builderKind !== 'winrt' || !r.entryPointClsid || !r.trigger || !INCOMPATIBLE.has(r.trigger.className)) continue;
      const at = locate(e, r.entryPointClsid.span);
      ctx.report({
        path: at.path,
        span: at.span,
        message: `The WinRT BackgroundTaskBuilder cannot register a COM task with a ${r.trigger.className} (it fails with 0x80070032); use Microsoft.Windows.ApplicationModel.Background.BackgroundTaskBuilder from the Windows App SDK.`,
      });
    }
  },
};
