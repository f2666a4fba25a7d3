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
        // Every await before Complete() inside a try whose catch-all handler swallows the exception: no path skips it.
        if (awaitsSwallowed(text, d.span.end, firstComplete)) continue;
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

/**
 * Whether every piece of awaited work between `start` and `end` lies in the block of a try statement that
 * ends before `end` and has a catch-all handler (`catch`, `catch (Exception e)`, C++ `catch (...)`) while
 * none of its handlers throws: an exception there is swallowed and the code after the try still runs.
 */
function awaitsSwallowed(text: string, start: number, end: number): boolean {
  const guarded: Array<[number, number]> = [];
  for (const t of text.slice(start, end).matchAll(/\btry\s*\{/g)) {
    const open = start + t.index! + t[0].length - 1;
    const blockEnd = closingBrace(text, open);
    if (blockEnd < 0 || blockEnd >= end) continue;
    let at = blockEnd + 1;
    let catchAll = false;
    let rethrows = false;
    for (;;) {
      const clause = /^\s*catch\b[^{]*\{/.exec(text.slice(at, end));
      if (!clause) break;
      const handlerOpen = at + clause[0].length - 1;
      const handlerEnd = closingBrace(text, handlerOpen);
      if (handlerEnd < 0 || handlerEnd >= end) return false;
      CATCH_ALL.lastIndex = 0;
      if (CATCH_ALL.test(clause[0].trim())) catchAll = true;
      if (/\bthrow\b/.test(text.slice(handlerOpen, handlerEnd))) rethrows = true;
      at = handlerEnd + 1;
    }
    if (catchAll && !rethrows) guarded.push([open, blockEnd]);
  }
  if (!guarded.length) return false;
  for (const w of text.slice(start, end).matchAll(new RegExp(ASYNC_WORK.source, 'g'))) {
    const at = start + w.index!;
    if (!guarded.some(([from, to]) => from < at && at < to)) return false;
  }
  return true;
}

/** Offset of the `}` closing the `{` at `open`, or -1. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

const CATCH_ALL = /\bcatch\s*(?:\(\s*(?:System\s*\.\s*)?Exception(?:\s+\w+)?\s*\)|\(\s*\.\.\.\s*\))?\s*\{/g;
const ASYNC_WORK = /\bawait\b|\bco_await\b|\.ContinueWith\s*\(|\.then\s*\(/;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
