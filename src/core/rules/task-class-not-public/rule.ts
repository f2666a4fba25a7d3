// task-class-not-public: a class implementing IBackgroundTask that Windows activates must be public (C#)
// or a `public ref class` (C++/CX); a class only the app's own code runs in-process need not be.
// Source: domain-facts §8 #1.
import { mayBeActivatedByWindows } from '../codeUtil';
import type { WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'task-class-not-public',
  severity: 'error',
  title: 'A background task class (IBackgroundTask) is not public.',
  source: '§8 #1',
  reads: ['code', 'manifest'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const file of ctx.workspace.files) for (const cls of file.taskClasses) {
      if (cls.isPublic || (cls.language !== 'csharp' && cls.language !== 'cppcx')) continue;
      if (!mayBeActivatedByWindows(ctx.workspace, file.path, cls.fullName)) continue;
      const what = cls.language === 'cppcx' ? "a 'public ref class'" : 'public';
      ctx.report({
        path: file.path,
        span: cls.nameSpan,
        message: `Background task class '${cls.fullName}' must be ${what}; make it public.`,
        fix: cls.publicFix && { title: `Make '${cls.name}' public`, edits: [{ path: file.path, span: cls.publicFix.span, newText: cls.publicFix.text }] },
      });
    }
  },
};
