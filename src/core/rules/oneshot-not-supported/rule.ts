// oneshot-not-supported: SystemTrigger(ControlChannelReset, true); OneShot is not supported for that
// trigger type and must be false. Source: domain-facts §1 (ControlChannelReset), §8 #15.
import { systemTriggerType } from '../../model/catalog';
import { locate, registrations } from '../codeUtil';
import type { WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'oneshot-not-supported',
  severity: 'error',
  title: 'SystemTrigger ControlChannelReset with OneShot = true.',
  source: '§1, §8 #15',
  reads: ['code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const e of registrations(ctx.workspace)) {
      const t = e.registration.trigger;
      const type = t?.systemTriggerType && systemTriggerType(t.systemTriggerType.name);
      if (t?.className !== 'SystemTrigger' || !type?.oneShotUnsupported || t.oneShot?.kind !== 'boolean' || !t.oneShot.value) continue;
      const at = locate(e, t.oneShot.span);
      ctx.report({
        path: at.path,
        span: at.span,
        message: `SystemTrigger ${type.name} does not support OneShot; pass false.`,
        fix: at.span === t.oneShot.span ? { title: 'Set OneShot to false', edits: [{ path: at.path, span: at.span, newText: 'false' }] } : undefined,
      });
    }
  },
};
