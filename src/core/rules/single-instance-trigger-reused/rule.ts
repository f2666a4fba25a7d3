// single-instance-trigger-reused: an app may register ApplicationTrigger, MediaProcessingTrigger and
// DeviceUseTrigger only once; a second registration throws. Registrations of the same name count once
// (the same task registered from two code paths). Source: domain-facts §3.1 (limits), §8 #18.
import { triggerClass } from '../../model/catalog';
import { locate } from '../codeUtil';
import type { AppRegistration } from '../codeUtil';
import type { WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'single-instance-trigger-reused',
  severity: 'warning',
  title: 'More than one registration of a trigger an app may register only once.',
  source: '§3.1, §8 #18',
  reads: ['code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const app of ctx.workspace.apps) {
      const byClass = new Map<string, Map<string, AppRegistration>>();
      for (const { file, registration: r } of app.registrations) {
        const t = r.trigger;
        if (!t || !r.registerCall || r.name?.kind !== 'string' || !triggerClass(t.className)?.singleInstance) continue;
        const names = byClass.get(t.className) ?? new Map<string, AppRegistration>();
        if (!names.has(r.name.value)) names.set(r.name.value, { app, file, registration: r });
        byClass.set(t.className, names);
      }
      for (const [className, names] of byClass) {
        if (names.size < 2) continue;
        const ordered = [...names.values()].sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : a.registration.span.start - b.registration.span.start));
        const all = ordered.map((e) => `'${(e.registration.name as { value: string }).value}'`).join(', ');
        for (const e of ordered.slice(1)) {
          const at = locate(e, e.registration.trigger!.span);
          ctx.report({
            path: at.path,
            span: at.span,
            message: `The app registers ${className} more than once (${all}), but an app may register it only once, so this registration throws; share one registration.`,
          });
        }
      }
    }
  },
};
