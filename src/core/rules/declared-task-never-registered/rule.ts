// declared-task-never-registered: a manifest background task entry point (EntryPoint, or StartPage of a
// JS task) that no registration in the app uses. Silent when some registration's entry point is not a
// literal (it could be any of them). The App SDK UniversalBGTask entry point is registered by the App
// SDK builder itself. Source: domain-facts §3.5.
import { APPSDK_ENTRY_POINT } from '../../model/catalog';
import { backgroundExtensions, isIotStartup, normalizePath } from '../codeUtil';
import type { WorkspaceRule } from '../types';

const sameSpan = (a?: { start: number; end: number }, b?: { start: number; end: number }) => !!a && !!b && a.start === b.start && a.end === b.end;

export const rule: WorkspaceRule = {
  id: 'declared-task-never-registered',
  severity: 'info',
  title: 'A manifest entry point that no registration code uses.',
  source: '§3.5',
  reads: ['code', 'manifest'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const app of ctx.workspace.apps) {
      const manifest = app.manifest?.manifest;
      if (!app.manifest || !manifest || !app.files.length) continue;
      const used = new Set<string>();
      const typeNames = new Set<string>();
      let dynamic = false;
      for (const { registration: r } of app.registrations) {
        const ep = r.entryPoint;
        if (!ep) continue;
        if (ep.kind === 'string') used.add(ep.value);
        else if (ep.kind === 'typeName') typeNames.add(ep.name);
        else dynamic = true;
      }
      for (const f of app.files) {
        for (const r of f.registrations) {
          if (!r.helperParameters) continue;
          // A helper never called still shows which entry points the code knows about.
          if (r.helperParameters.entryPoint === undefined) {
            if (r.entryPoint?.kind === 'string') used.add(r.entryPoint.value);
          } else if (!app.registrations.some((l) => l.registration.viaHelperCall && sameSpan(l.registration.registerCall, r.registerCall))) {
            // Its entry point comes from callers bgtask does not see.
            dynamic = true;
          }
        }
      }
      if (dynamic) continue;
      const paths = new Set([...used].map(normalizePath));
      const isUsed = (ep: string) => used.has(ep) || [...typeNames].some((t) => ep === t || ep.endsWith(`.${t}`));
      for (const x of backgroundExtensions(manifest)) {
        if (x.entryPoint) {
          // IoT Core starts a startup task at boot: no code registers it.
          if (x.entryPoint.value === APPSDK_ENTRY_POINT || isUsed(x.entryPoint.value) || isIotStartup(x)) continue;
          ctx.report({ path: app.manifest.path, span: x.entryPoint.span, message: `Background task '${x.entryPoint.value}' is declared in the manifest but no code registers it; register it or remove the Extension.` });
        } else if (x.startPage && !paths.has(normalizePath(x.startPage.value))) {
          ctx.report({ path: app.manifest.path, span: x.startPage.span, message: `Background task script '${x.startPage.value}' is declared in the manifest but no code registers it; register it or remove the Extension.` });
        }
      }
    }
  },
};
