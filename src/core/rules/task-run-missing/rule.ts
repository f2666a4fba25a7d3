// task-run-missing: a class implementing IBackgroundTask without Run(IBackgroundTaskInstance). A C++
// class may declare Run in its header and define it elsewhere, so every declaration of the same class
// in the workspace counts, and a C#/VB partial class may define Run in another part: then nothing is said.
// Source: domain-facts §5 (IBackgroundTask), §8 #1.
import { hasOtherPartialPart } from '../codeUtil';
import type { WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'task-run-missing',
  severity: 'error',
  title: 'A background task class does not implement Run(IBackgroundTaskInstance).',
  source: '§5',
  reads: ['code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    // Per app: a class of the same name in another app is another class.
    for (const app of ctx.workspace.apps) for (const [fullName, entries] of app.taskClassesByFullName) {
      if (entries.some((e) => e.cls.run) || hasOtherPartialPart(app, fullName, entries)) continue;
      for (const { file, cls } of entries) {
        const at = cls.bodyInsert;
        const stub = at && cls.language === 'csharp' ? `\n${at.indent}public void Run(IBackgroundTaskInstance taskInstance)\n${at.indent}{\n${at.indent}}` : undefined;
        ctx.report({
          path: file.path,
          span: cls.nameSpan,
          message: `Background task class '${fullName}' does not implement Run(IBackgroundTaskInstance); add the Run method.`,
          fix: at && stub ? { title: 'Add a Run method', edits: [{ path: file.path, span: { start: at.offset, end: at.offset }, newText: stub }] } : undefined,
        });
      }
    }
  },
};
