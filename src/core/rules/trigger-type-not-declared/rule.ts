// trigger-type-not-declared: the registration's trigger needs a Task Type that the manifest Extension of
// its entry point does not declare, so Register() throws. ApplicationTrigger accepts general or
// systemEvent. MaintenanceTrigger on Windows 8.x is UNVERIFIED and never flagged.
// Source: domain-facts §3.1, §3.5, §8 #5.
import { taskTypesForTrigger } from '../../model/catalog';
import { extensionsFor, isAppSdkEntryPoint, locate, registrations, taskElementFor } from '../codeUtil';
import type { Fix, WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'trigger-type-not-declared',
  severity: 'error',
  title: "The trigger's Task Type is not declared for the entry point in the manifest.",
  source: '§3.1, §3.5, §8 #5',
  reads: ['code', 'manifest'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const e of registrations(ctx.workspace)) {
      const { registration: r, app } = e;
      const manifest = app.manifest?.manifest;
      const ep = r.entryPoint;
      const trigger = r.trigger;
      if (!manifest || manifest.syntaxError || ep?.kind !== 'string' || !trigger || trigger.unresolved || isAppSdkEntryPoint(ep.value)) continue;
      if (trigger.className === 'MaintenanceTrigger' && app.profile !== 'win10' && app.profile !== 'appsdk') continue;
      const allowed = taskTypesForTrigger(trigger.className, app.profile);
      const extensions = extensionsFor(manifest, ep.value);
      if (!allowed.length || !extensions.length) continue;
      if (extensions.some((x) => x.tasks.some((t) => allowed.includes(t.type)))) continue;
      const target = extensions.find((x) => x.backgroundTasks);
      const element = taskElementFor(manifest, allowed[0]);
      let fix: Fix | undefined;
      if (target?.backgroundTasks && element && app.manifest) {
        const b = target.backgroundTasks;
        fix = { title: `Declare Task Type '${allowed[0]}'`, edits: [{ path: app.manifest.path, span: { start: b.insertOffset, end: b.insertOffset }, newText: `\n${b.indent}<${element} Type="${allowed[0]}" />` }] };
      }
      const at = locate(e, trigger.span);
      const types = allowed.map((t) => `'${t}'`).join(' or ');
      ctx.report({
        path: at.path,
        span: at.span,
        message: `${trigger.className} needs Task Type ${types}, which the manifest does not declare for '${ep.value}'; add <Task Type="${allowed[0]}" /> to its Extension.`,
        fix,
      });
    }
  },
};
