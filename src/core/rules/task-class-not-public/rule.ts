// task-class-not-public: a class implementing IBackgroundTask must be public (C#) or a
// `public ref class` (C++/CX); Windows cannot activate anything else. Source: domain-facts §8 #1.
import type { FileRule } from '../types';

export const rule: FileRule = {
  id: 'task-class-not-public',
  severity: 'error',
  title: 'A background task class (IBackgroundTask) is not public.',
  source: '§8 #1',
  reads: ['code'],
  scope: 'file',
  checkFile(file, ctx) {
    for (const cls of file.taskClasses) {
      if (cls.isPublic || (cls.language !== 'csharp' && cls.language !== 'cppcx')) continue;
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
