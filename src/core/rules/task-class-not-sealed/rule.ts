// task-class-not-sealed: a class implementing IBackgroundTask that Windows activates must be sealed (C#
// `sealed`, C++/CX `sealed` after the name), or the Windows Runtime component does not build or activate
// it; a class only the app's own code runs in-process need not be, unless a component exports it.
// Source: domain-facts §8 #1.
import { mayBeActivatedByWindows } from '../codeUtil';
import { projectHolding } from '../manifestUtil';
import type { WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'task-class-not-sealed',
  severity: 'error',
  title: 'A background task class (IBackgroundTask) is not sealed.',
  source: '§8 #1',
  reads: ['code', 'manifest'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const file of ctx.workspace.files) for (const cls of file.taskClasses) {
      // C++/WinRT implementation types and JS have no such requirement in the facts; a full-trust COM
      // class activated by CLSID from the app's exe is no Windows Runtime Component class (§5 App SDK).
      // An abstract base of the app's task classes is never activated itself.
      if (cls.isSealed || cls.isComClass || cls.isAbstract || (cls.language !== 'csharp' && cls.language !== 'cppcx')) continue;
      // Not activated by Windows: only a public class of a Windows Runtime Component must still be sealed
      // (the component does not build otherwise), so an internal class, or one in the app's project, is fine.
      if (!mayBeActivatedByWindows(ctx.workspace, file.path, cls.fullName) && (!cls.isPublic || projectHolding(ctx.workspace, file.path)?.project?.isApp)) continue;
      ctx.report({
        path: file.path,
        span: cls.nameSpan,
        message: `Background task class '${cls.fullName}' must be sealed; add 'sealed'.`,
        fix: cls.sealedFix && { title: `Make '${cls.name}' sealed`, edits: [{ path: file.path, span: { start: cls.sealedFix.offset, end: cls.sealedFix.offset }, newText: cls.sealedFix.text }] },
      });
    }
  },
};
