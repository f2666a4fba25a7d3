// duplicate-task-name: two registrations share a Name but differ in entry point or trigger; a check
// by name then keeps whichever was registered first, and both may exist and run.
// Source: domain-facts §5 (Name is not unique), §8 #9, #10.
import type { RegistrationFact, TriggerFact } from '../../facts/types';
import { locate } from '../codeUtil';
import type { AppRegistration } from '../codeUtil';
import type { WorkspaceRule } from '../types';

/** A comparable key, or undefined when the value is not known for sure. */
function entryKey(r: RegistrationFact): string | undefined {
  if (!r.entryPoint) return r.entryPointClsid ? undefined : '(in-process)';
  return r.entryPoint.kind === 'string' ? r.entryPoint.value : undefined;
}

function triggerKey(t: TriggerFact | undefined): string | undefined {
  if (!t || t.unresolved || t.className === 'unknown') return undefined;
  const literal = (v: TriggerFact['freshness']) => (v && (v.kind === 'number' || v.kind === 'boolean') ? String(v.value) : v ? undefined : '');
  const freshness = literal(t.freshness);
  const oneShot = literal(t.oneShot);
  if (freshness === undefined || oneShot === undefined) return undefined;
  return `${t.className}(${t.systemTriggerType?.name.toLowerCase() ?? ''},${freshness},${oneShot})`;
}

export const rule: WorkspaceRule = {
  id: 'duplicate-task-name',
  severity: 'warning',
  title: 'Two registrations share a Name but differ in entry point or trigger.',
  source: '§5, §8 #9, #10',
  reads: ['code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const app of ctx.workspace.apps) {
      const byName = new Map<string, AppRegistration[]>();
      for (const { file, registration } of app.registrations) {
        // Grouped tasks live outside AllTasks, so their names do not collide with these.
        if (registration.name?.kind !== 'string' || registration.taskGroup) continue;
        const list = byName.get(registration.name.value) ?? [];
        list.push({ app, file, registration });
        byName.set(registration.name.value, list);
      }
      for (const [name, list] of byName) {
        if (list.length < 2) continue;
        for (const e of list) {
          const mine = { entry: entryKey(e.registration), trigger: triggerKey(e.registration.trigger) };
          const differs = list.some((o) => {
            if (o === e) return false;
            const entry = entryKey(o.registration);
            const trigger = triggerKey(o.registration.trigger);
            return (mine.entry !== undefined && entry !== undefined && mine.entry !== entry) || (mine.trigger !== undefined && trigger !== undefined && mine.trigger !== trigger);
          });
          if (!differs) continue;
          const at = locate(e, e.registration.name!.span);
          ctx.report({
            path: at.path,
            span: at.span,
            message: `Task name '${name}' is also registered with a different entry point or trigger, so a check by name keeps whichever came first; give each registration its own name.`,
          });
        }
      }
    }
  },
};
