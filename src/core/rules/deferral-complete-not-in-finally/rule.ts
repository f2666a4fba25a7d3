// deferral-complete-not-in-finally: Complete() is called, but not in a finally, after awaited work that
// may throw; an exception then skips it and the task holds its host until it times out.
// Source: domain-facts §5 (BackgroundTaskDeferral), §8 #8.
import { completeInFinally, lineAt } from '../codeUtil';
import type { FileRule } from '../types';

export const rule: FileRule = {
  id: 'deferral-complete-not-in-finally',
  severity: 'info',
  title: 'Complete() of a deferral is not in a finally block while awaited work may throw.',
  source: '§8 #8',
  reads: ['code'],
  scope: 'file',
  checkFile(file, ctx) {
    const text = ctx.workspace.textOf(file.path);
    if (!text) return;
    for (const cls of file.taskClasses) {
      const run = cls.run;
      if (!run || !run.isAsync || !run.asyncWork) continue;
      for (const d of run.deferrals) {
        if (!d.completed || d.completedInFinally || !d.variable) continue;
        // The extractor also counts a deferral handed to other code as completed: only a visible Complete() counts here.
        const classText = text.slice(cls.span.start, cls.span.end);
        const completes = [...classText.matchAll(new RegExp(`(?:\\bthis\\s*\\.\\s*)?\\b${escape(d.variable)}\\s*\\.\\s*Complete\\s*\\(\\s*\\)`, 'g'))];
        if (!completes.length) continue;
        // Only awaited work between taking the deferral and completing it can skip Complete().
        const firstComplete = cls.span.start + Math.min(...completes.map((m) => m.index!));
        if (!ASYNC_WORK.test(text.slice(d.span.end, firstComplete))) continue;
        // Complete() in the try and again in a handler that catches everything covers the exception path.
        if (completedInCatchAll(classText, d.variable)) continue;
        const lines = completes.map((m) => lineAt(text, cls.span.start + m.index!));
        const ownLines = lines.every((l) => /^\s*(?:this\s*\.\s*)?[\w.]+\s*\.\s*Complete\s*\(\s*\)\s*;\s*$/.test(l.content));
        const edit = ownLines && cls.language === 'csharp' ? completeInFinally(text, run, d.span, d.variable, file.path, lines.map((l) => l.start)) : undefined;
        ctx.report({
          path: file.path,
          span: d.span,
          message: `The deferral of '${cls.fullName}' is completed outside a finally block, so an exception in the awaited work skips Complete(); call Complete() in a finally block.`,
          fix: edit && { title: `Move '${d.variable}.Complete()' into a finally block`, edits: [edit] },
        });
      }
    }
  },
};

/** Whether a catch-all handler (`catch`, `catch (Exception e)`, C++ `catch (...)`) of the class calls `variable.Complete()`. */
function completedInCatchAll(classText: string, variable: string): boolean {
  const complete = new RegExp(`(?:\\bthis\\s*\\.\\s*)?\\b${escape(variable)}\\s*\\.\\s*Complete\\s*\\(\\s*\\)`);
  for (const m of classText.matchAll(CATCH_ALL)) {
    const open = m.index! + m[0].length - 1;
    let depth = 0;
    let end = classText.length;
    for (let i = open; i < classText.length; i++) {
      if (classText[i] === '{') depth++;
      else if (classText[i] === '}' && --depth === 0) {
        end = i;
        break;
      }
    }
    if (complete.test(classText.slice(open, end))) return true;
  }
  return false;
}

const CATCH_ALL = /\bcatch\s*(?:\(\s*(?:System\s*\.\s*)?Exception(?:\s+\w+)?\s*\)|\(\s*\.\.\.\s*\))?\s*\{/g;
const ASYNC_WORK = /\bawait\b|\bco_await\b|\.ContinueWith\s*\(|\.then\s*\(/;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
