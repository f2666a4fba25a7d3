// entry-point-not-declared: a literal TaskEntryPoint (a class name, or a JS task's script path) is not
// the EntryPoint (or StartPage) of any windows.backgroundTasks Extension in the app's manifest.
// In-process registrations have no entry point and need no declaration. Source: domain-facts §3.5, §8 #4.
import type { ManifestFacts, TriggerFact } from '../../facts/types';
import { taskTypesForTrigger } from '../../model/catalog';
import { backgroundExtensions, extensionsFor, locate, looksLikePath, registrations, taskElementFor } from '../codeUtil';
import type { AppView, Fix, WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'entry-point-not-declared',
  severity: 'error',
  title: 'TaskEntryPoint is not declared as a background task in the manifest.',
  source: '§3.5, §8 #4',
  reads: ['code', 'manifest'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const e of registrations(ctx.workspace)) {
      const manifest = e.app.manifest?.manifest;
      const ep = e.registration.entryPoint;
      if (!manifest || manifest.syntaxError || ep?.kind !== 'string' || !ep.value) continue;
      if (extensionsFor(manifest, ep.value).length) continue;
      // An Extension with neither EntryPoint nor StartPage inherits the Application's (§3.5).
      const inherits = backgroundExtensions(manifest).some((x) => !x.entryPoint && !x.startPage);
      if (inherits && manifest.applications.some((a) => a.entryPoint === ep.value || (!!a.startPage && a.startPage === ep.value))) continue;
      const at = locate(e, ep.span);
      const attribute = looksLikePath(ep.value) ? 'StartPage' : 'EntryPoint';
      ctx.report({
        path: at.path,
        span: at.span,
        message: `Entry point '${ep.value}' is not declared in the app manifest; add a windows.backgroundTasks Extension with ${attribute}="${ep.value}".`,
        fix: declareFix(e.app, manifest, attribute, ep.value, e.registration.trigger),
      });
    }
  },
};

function declareFix(app: AppView, manifest: ManifestFacts, attribute: string, value: string, trigger: TriggerFact | undefined): Fix | undefined {
  const insert = manifest.applications[0]?.extensionsInsert;
  if (!insert || !app.manifest || !trigger || trigger.unresolved) return undefined;
  const type = taskTypesForTrigger(trigger.className, app.profile)[0];
  const element = type && taskElementFor(manifest, type);
  if (!element) return undefined;
  const i = insert.indent;
  const unit = i.includes('\t') ? '\t' : '  ';
  const xml = [
    `<Extension Category="windows.backgroundTasks" ${attribute}="${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`,
    `${i}${unit}<BackgroundTasks>`,
    `${i}${unit}${unit}<${element} Type="${type}" />`,
    `${i}${unit}</BackgroundTasks>`,
    `${i}</Extension>`,
  ].join('\n');
  return { title: `Declare '${value}' in the manifest`, edits: [{ path: app.manifest.path, span: { start: insert.offset, end: insert.offset }, newText: `\n${i}${xml}` }] };
}
