// appsdk-com-class-missing: a Windows App SDK COM task needs, besides the UniversalBGTask entry point,
// the shim's activatable class (windows.activatableClass.inProcessServer) and a com:Class whose Id is
// the CLSID the code passes to SetTaskEntryPointClsid (§5 "Windows App SDK", required setup). A C++
// project with WindowsAppSDKBackgroundTask=true gets the activatable class added at build.
import type { Span, ValueFact } from '../../facts/types';
import { APPSDK_ENTRY_POINT } from '../../model/catalog';
import { backgroundExtensions, locate } from '../codeUtil';
import { appManifests, projectHolding } from '../manifestUtil';
import type { WorkspaceRule, WorkspaceView } from '../types';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

export const rule: WorkspaceRule = {
  id: 'appsdk-com-class-missing',
  severity: 'error',
  title: 'Windows App SDK COM task: no com:Class for the registered CLSID, or the UniversalBGTask activatable class is missing.',
  source: '§5 App SDK',
  reads: ['manifest', 'code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    const ws = ctx.workspace;
    for (const { app, file, manifest } of appManifests(ws)) {
      const shim = backgroundExtensions(manifest).find((x) => x.entryPoint?.value === APPSDK_ENTRY_POINT);
      if (!shim?.entryPoint) continue;
      const activatable = manifest.extensions.some((x) => x.activatableClassIds.some((c) => c.value === APPSDK_ENTRY_POINT));
      // A C++ project with <WindowsAppSDKBackgroundTask>true has the build add the shim's registration (§5 App SDK).
      const addedAtBuild = [...app.projects, projectHolding(ws, file.path)].some((p) => !!p && /\.vcxproj$/i.test(p.path) && !!p.project?.windowsAppSdkBackgroundTask);
      if (!activatable && !addedAtBuild) {
        ctx.report({
          path: file.path,
          span: shim.entryPoint.span,
          message: `The UniversalBGTask entry point needs a package-level windows.activatableClass.inProcessServer Extension for Microsoft.Windows.ApplicationModel.Background.UniversalBGTask.dll with ActivatableClassId="${APPSDK_ENTRY_POINT}" (ThreadingModel both).`,
        });
      }
      const classIds = new Set(manifest.extensions.flatMap((x) => x.comClassIds.map((c) => normalizeGuid(c.value))));
      if (!classIds.size) {
        ctx.report({ path: file.path, span: shim.entryPoint.span, message: 'The UniversalBGTask entry point activates the app\'s COM class, but the manifest declares no com:ExeServer with a com:Class Id (plus runFullTrust).' });
        continue;
      }
      for (const e of app.registrations.map((r) => ({ app, ...r }))) {
        const clsid = e.registration.entryPointClsid;
        const guid = clsid && guidOf(ws, clsid);
        if (!clsid || !guid || classIds.has(normalizeGuid(guid))) continue;
        const at = locate(e, clsid.span);
        ctx.report({ path: at.path, span: at.span, message: `CLSID ${guid} is registered here, but no com:Class in ${file.path.slice(file.path.lastIndexOf('/') + 1)} has this Id, so Windows cannot activate the task.` });
      }
    }
  },
};

const normalizeGuid = (g: string) => g.replace(/[{}]/g, '').toLowerCase();

/** The GUID a SetTaskEntryPointClsid argument stands for: a literal, or `typeof(X).GUID` of a class with [Guid("...")]. */
function guidOf(ws: WorkspaceView, value: ValueFact): string | undefined {
  if (value.kind === 'string' || value.kind === 'expression') {
    const text = value.kind === 'string' ? value.value : value.text;
    const literal = GUID.exec(text)?.[0];
    if (literal) return literal;
    const typeOf = /typeof\s*\(\s*([\w.]+)\s*\)\s*\.\s*GUID/.exec(text)?.[1];
    return typeOf ? classGuid(ws, typeOf) : undefined;
  }
  if (value.kind === 'typeName') return classGuid(ws, value.name);
  return undefined;
}

function classGuid(ws: WorkspaceView, name: string): string | undefined {
  const simple = name.slice(name.lastIndexOf('.') + 1);
  for (const f of ws.files) {
    const spans: Span[] = [...f.taskClasses, ...f.classes].filter((c) => c.name === simple || c.fullName === name).map((c) => c.nameSpan);
    for (const span of spans) {
      const text = ws.textOf(f.path);
      if (!text) continue;
      // Attributes sit before the class keyword; look back over the declaration's attribute lines.
      const before = text.slice(Math.max(0, span.start - 400), span.start);
      const m = /\[\s*(?:[\w.]*\.)?Guid(?:Attribute)?\s*\(\s*"([^"]+)"\s*\)\s*\][^[]*$/.exec(before) ?? [...before.matchAll(/Guid(?:Attribute)?\s*\(\s*"([^"]+)"\s*\)/g)].pop();
      if (m) return m[1];
    }
  }
  return undefined;
}
