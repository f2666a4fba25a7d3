// freshness-too-long: a MaintenanceTrigger freshness above 30 days (43200 minutes) may make Register()
// throw an ArgumentException. Source: domain-facts §3 (MaintenanceTrigger), §5 (parameter validation).
import { locate, registrations } from '../codeUtil';
import type { WorkspaceRule } from '../types';

const THIRTY_DAYS = 43200;

export const rule: WorkspaceRule = {
  id: 'freshness-too-long',
  severity: 'warning',
  title: 'MaintenanceTrigger freshness is above 30 days.',
  source: '§3, §5',
  reads: ['code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const e of registrations(ctx.workspace)) {
      const t = e.registration.trigger;
      if (t?.className !== 'MaintenanceTrigger' || t.freshness?.kind !== 'number' || t.freshness.value <= THIRTY_DAYS) continue;
      const at = locate(e, t.freshness.span);
      ctx.report({
        path: at.path,
        span: at.span,
        message: `MaintenanceTrigger freshness of ${t.freshness.value} minutes is over 30 days, which may make Register() throw; use ${THIRTY_DAYS} or less.`,
      });
    }
  },
};
