// component-class-not-sealed: in a Windows Runtime Component project (the kind that holds task
// classes) every public class must be sealed, not only the task classes. Source: domain-facts §8 #1.
import type { FileFacts } from '../../facts/types';
import { dirname } from '../../workspace/apps';
import type { WorkspaceRule } from '../types';

/** The project whose folder most closely contains the file (the app's projects first, then any). */
function projectOf(file: FileFacts, candidates: readonly FileFacts[]): FileFacts | undefined {
  let best: FileFacts | undefined;
  for (const p of candidates) {
    const dir = dirname(p.path);
    if (!file.path.startsWith(dir === '/' ? '/' : dir + '/')) continue;
    if (!best || dir.length > dirname(best.path).length) best = p;
  }
  return best;
}

export const rule: WorkspaceRule = {
  id: 'component-class-not-sealed',
  severity: 'warning',
  title: 'A public class in a Windows Runtime Component project is not sealed.',
  source: '§8 #1',
  reads: ['code', 'project'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    const ws = ctx.workspace;
    const allProjects = ws.files.filter((f) => f.kind === 'project');
    for (const file of ws.files) {
      if ((file.kind !== 'csharp' && file.kind !== 'cppcx') || !file.classes.length) continue;
      const app = ws.appOf(file.path);
      const project = projectOf(file, app?.projects.length ? app.projects : allProjects) ?? projectOf(file, allProjects);
      if (!project?.project?.isWindowsRuntimeComponent) continue;
      for (const cls of file.classes) {
        if (!cls.isPublic || cls.isSealed || cls.isStatic) continue;
        ctx.report({
          path: file.path,
          span: cls.nameSpan,
          message: `Public class '${cls.fullName}' is in a Windows Runtime Component, where every public class must be sealed; add 'sealed' or make it internal.`,
          fix: cls.sealedFix && { title: `Make '${cls.name}' sealed`, edits: [{ path: file.path, span: { start: cls.sealedFix.offset, end: cls.sealedFix.offset }, newText: cls.sealedFix.text }] },
        });
      }
    }
  },
};
