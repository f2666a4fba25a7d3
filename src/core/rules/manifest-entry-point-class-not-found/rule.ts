// manifest-entry-point-class-not-found: a manifest EntryPoint names no class implementing
// IBackgroundTask in the workspace (case-sensitive, §3.5, §8 #4). Silent when the workspace has no
// task classes in its app (the tasks may ship in a binary the workspace does not hold), for the App SDK
// UniversalBGTask entry point and Windows' own task classes (Windows.*), for classes a manifest declares as
// activatable, and for the app's own class.
import { APPSDK_ENTRY_POINT } from '../../model/catalog';
import { backgroundExtensions, classNamesOf, closestName, isPlatformTaskClass, namesTaskClass, vbFullName } from '../codeUtil';
import { appManifests } from '../manifestUtil';
import type { WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'manifest-entry-point-class-not-found',
  severity: 'error',
  title: 'A manifest EntryPoint names no background task class in the workspace.',
  source: '§3.5, §8 #4',
  reads: ['manifest', 'code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    const ws = ctx.workspace;
    for (const { app, file, manifest } of appManifests(ws)) {
      // Only the app's own classes count: a class of the same name in another app is not in this package.
      const own = classNamesOf(ws, app);
      if (!own.length) continue;
      const activatable = new Set(manifest.extensions.flatMap((x) => x.activatableClassIds.map((c) => c.value)));
      const appEntryPoints = new Set(manifest.applications.map((a) => a.entryPoint).filter(Boolean));
      for (const x of backgroundExtensions(manifest)) {
        const ep = x.entryPoint;
        if (!ep || !ep.value || ep.value === APPSDK_ENTRY_POINT || isPlatformTaskClass(ep.value) || activatable.has(ep.value) || appEntryPoints.has(ep.value)) continue;
        if (namesTaskClass(ws, app, ep.value)) continue;
        const other = app.files.some((f) => f.classes.some((c) => vbFullName(ws, f, c) === ep.value));
        const closest = closestName(ep.value, own);
        const message = other
          ? `EntryPoint '${ep.value}' names a class that does not implement IBackgroundTask.`
          : `EntryPoint '${ep.value}' names no class implementing IBackgroundTask in the workspace (the name is case-sensitive: Namespace.Class)${closest ? `; did you mean '${closest}'?` : '.'}`;
        ctx.report({
          path: file.path,
          span: ep.span,
          message,
          fix: closest && !other ? { title: `Change to '${closest}'`, edits: [{ path: file.path, span: ep.span, newText: closest }] } : undefined,
        });
      }
    }
  },
};
