// task-project-not-referenced: the app project (the one holding the manifest) does not reference,
// directly or through other projects, the project holding an entry-point class, so the task is not in
// the package (§8 #3: error 80080204 "without ActivatableClassId" or class not registered).
import { posix } from 'node:path';
import type { FileFacts } from '../../facts/types';
import { APPSDK_ENTRY_POINT } from '../../model/catalog';
import { backgroundExtensions, newlineOf } from '../codeUtil';
import { appManifests, projectHolding } from '../manifestUtil';
import type { Fix, WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'task-project-not-referenced',
  severity: 'error',
  title: 'The app project does not reference the project holding an entry-point class.',
  source: '§8 #3',
  reads: ['manifest', 'code', 'project'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    const ws = ctx.workspace;
    for (const { app, file, manifest } of appManifests(ws)) {
      const appProject = projectHolding(ws, file.path);
      if (!appProject) continue;
      // One finding per missing project (at its first entry point): one reference fixes them all.
      const reported = new Set<FileFacts>();
      for (const x of backgroundExtensions(manifest)) {
        const ep = x.entryPoint;
        if (!ep?.value || ep.value === APPSDK_ENTRY_POINT) continue;
        // The app's own class of that name first: a namesake in another app is built there.
        const entries = app.taskClassesByFullName.get(ep.value) ?? ws.taskClassesByFullName.get(ep.value) ?? [];
        const holders = entries.map(({ file: f }) => projectHolding(ws, f.path));
        if (!holders.length || holders.some((p) => !p || p === appProject || app.projects.includes(p))) continue;
        const target = holders[0]!;
        if (reported.has(target)) continue;
        reported.add(target);
        const name = (p: string) => p.slice(p.lastIndexOf('/') + 1);
        ctx.report({
          path: file.path,
          span: ep.span,
          message: `${ep.value} is built by ${name(target.path)}, but the app project ${name(appProject.path)} does not reference it, so the task is not in the package; add a ProjectReference.`,
          fix: referenceFix(appProject, target, ws.textOf(appProject.path)),
        });
      }
    }
  },
};

function referenceFix(appProject: FileFacts, target: FileFacts, text: string | undefined): Fix | undefined {
  const at = appProject.project?.insertReferenceAt;
  if (!at || !text) return undefined;
  const include = posix.relative(posix.dirname(appProject.path), target.path).replace(/\//g, '\\');
  const reference = `<ProjectReference Include="${include}" />`;
  const nl = newlineOf(text);
  const inGroup = /(<\/ProjectReference>|<ProjectReference\b[^<]*\/>)$/.test(text.slice(0, at.offset));
  const unit = at.indent.includes('\t') ? '\t' : '  ';
  const newText = inGroup ? `${nl}${at.indent}${reference}` : `${nl}${at.indent}<ItemGroup>${nl}${at.indent}${unit}${reference}${nl}${at.indent}</ItemGroup>`;
  return { title: `Reference ${include} from ${appProject.path.slice(appProject.path.lastIndexOf('/') + 1)}`, edits: [{ path: appProject.path, span: { start: at.offset, end: at.offset }, newText }] };
}
