// conflicting-conditions: one builder with conditions that can never hold together (UserPresent +
// UserNotPresent, InternetAvailable + InternetNotAvailable, SessionConnected + SessionDisconnected):
// the task waits for all of them and never runs. Source: domain-facts §2, §8 #16.
import { systemConditionType } from '../../model/catalog';
import { lineAt, locate, registrations } from '../codeUtil';
import type { Fix, WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'conflicting-conditions',
  severity: 'error',
  title: 'A registration has conditions that can never hold together.',
  source: '§2, §8 #16',
  reads: ['code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const e of registrations(ctx.workspace)) {
      const conditions = e.registration.conditions.filter((c) => c.type);
      conditions.forEach((c, i) => {
        const info = systemConditionType(c.type!);
        const earlier = conditions.slice(0, i).find((o) => info?.conflictsWith && systemConditionType(o.type!)?.name === info.conflictsWith);
        if (!info || !earlier) return;
        const at = locate(e, c.span);
        const text = ctx.workspace.textOf(at.path);
        let fix: Fix | undefined;
        if (text && at.span === c.span) {
          const line = lineAt(text, c.span.start);
          // Only a statement that has its line to itself is removed whole.
          if (line.content.trim().replace(/;$/, '') === text.slice(c.span.start, c.span.end).trim()) {
            fix = { title: `Remove the ${info.name} condition`, edits: [{ path: at.path, span: { start: line.start, end: line.end }, newText: '' }] };
          }
        }
        ctx.report({
          path: at.path,
          span: at.span,
          message: `Conditions ${systemConditionType(earlier.type!)!.name} and ${info.name} can never hold together, so the task never runs; remove one of them.`,
          fix,
        });
      });
    }
  },
};
