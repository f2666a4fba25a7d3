// freshness-too-short: a TimeTrigger or MaintenanceTrigger freshness below 15 minutes makes Register()
// throw. Source: domain-facts §3 (TimeTrigger, MaintenanceTrigger), §8 #14.
import { locate, registrations } from '../codeUtil';
import type { WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'freshness-too-short',
  severity: 'error',
  title: 'TimeTrigger / MaintenanceTrigger freshness is below 15 minutes.',
  source: '§3, §8 #14',
  reads: ['code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const e of registrations(ctx.workspace)) {
      const t = e.registration.trigger;
      if (!t || (t.className !== 'TimeTrigger' && t.className !== 'MaintenanceTrigger') || t.freshness?.kind !== 'number' || t.freshness.value >= 15) continue;
      const at = locate(e, t.freshness.span);
      ctx.report({
        path: at.path,
        span: at.span,
        message: `${t.className} freshness of ${t.freshness.value} minutes is below the 15-minute minimum, so Register() fails; use 15 or more.`,
        fix: at.span === t.freshness.span ? { title: 'Set the freshness to 15 minutes', edits: [{ path: at.path, span: at.span, newText: '15' }] } : undefined,
      });
    }
  },
};
