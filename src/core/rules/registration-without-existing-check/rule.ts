// registration-without-existing-check: Register() in a flow that never looks the name up in AllTasks
// first; every run of that code adds another registration, and each one runs on every trigger.
// Source: domain-facts §5 (Name is not unique), §8 #9.
import { registrationAnchor, registrations } from '../codeUtil';
import type { RegistrationFact } from '../../facts/types';
import type { Fix, WorkspaceRule } from '../types';

/**
 * An unnamed registration on the trigger of a BackgroundTransferCompletionGroup made for it: Windows
 * removes such a registration when the group's transfers complete and it fires, so there is nothing
 * to look up (issue 9; Microsoft's BackgroundTransfer sample registers so).
 */
function onFreshCompletionGroup(r: RegistrationFact, text: string | undefined): boolean {
  if (!text || r.name || !r.trigger) return false;
  const written = text.slice(r.trigger.span.start, r.trigger.span.end);
  return /(\.|->)\s*Trigger\s*(\(\s*\))?$/.test(written) && /\bBackgroundTransferCompletionGroup\b/.test(text);
}

export const rule: WorkspaceRule = {
  id: 'registration-without-existing-check',
  severity: 'warning',
  title: 'Register() is called without looking for an existing registration in AllTasks.',
  source: '§5, §8 #9',
  reads: ['code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const e of registrations(ctx.workspace)) {
      const r = e.registration;
      if (!r.registerCall || r.allTasksChecked) continue;
      const text = ctx.workspace.textOf(e.file.path);
      if (onFreshCompletionGroup(r, text)) continue;
      const name = r.name?.kind === 'string' ? `'${r.name.value}'` : 'the task';
      let fix: Fix | undefined;
      if (text && e.file.kind === 'csharp' && !r.viaHelperCall && r.name?.kind === 'string') {
        // No `return`: the enclosing method's return type is unknown. Replacing also picks up a changed trigger (§8 #10).
        const nameText = text.slice(r.name.span.start, r.name.span.end);
        const nl = text.includes('\r\n') ? '\r\n' : '\n';
        const i = r.indent;
        const unit = i.includes('\t') ? '\t' : '    ';
        const lines = [
          'foreach (var existing in BackgroundTaskRegistration.AllTasks.Values)',
          `${i}{`,
          `${i}${unit}if (existing.Name == ${nameText}) existing.Unregister(false);`,
          `${i}}`,
          i,
        ];
        fix = { title: `Unregister existing ${name} registrations first`, edits: [{ path: e.file.path, span: { start: r.statementStart, end: r.statementStart }, newText: lines.join(nl) }] };
      }
      ctx.report({
        path: e.file.path,
        span: registrationAnchor(r),
        message: `Register() of ${name} runs without checking BackgroundTaskRegistration.AllTasks, so each run adds a duplicate registration; look the name up first.`,
        fix,
      });
    }
  },
};
