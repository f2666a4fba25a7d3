// duplicate-entry-point: two windows.backgroundTasks Extensions declare the same EntryPoint (or the
// same JavaScript StartPage). Declare each entry point once, with all its Task Types (§3.5).
import { backgroundExtensions, normalizePath } from '../codeUtil';
import type { FileRule } from '../types';

export const rule: FileRule = {
  id: 'duplicate-entry-point',
  severity: 'warning',
  title: 'Two background task Extensions declare the same entry point.',
  source: '§3.5',
  reads: ['manifest'],
  scope: 'file',
  checkFile(file, ctx) {
    const seen = new Map<string, number>();
    const text = ctx.workspace.textOf(file.path);
    for (const x of backgroundExtensions(file.manifest)) {
      const declared = x.entryPoint ? { key: `e:${x.entryPoint.value}`, ...x.entryPoint, attribute: 'EntryPoint' } : x.startPage ? { key: `s:${normalizePath(x.startPage.value)}`, ...x.startPage, attribute: 'StartPage' } : undefined;
      if (!declared || !declared.value) continue;
      const firstLine = seen.get(declared.key);
      if (firstLine === undefined) {
        seen.set(declared.key, x.span.start);
        continue;
      }
      ctx.report({
        path: file.path,
        span: declared.span,
        message: `${declared.attribute} '${declared.value}' is already declared by the Extension on line ${lineNumber(text, firstLine)}; declare it once and list all its Task Types there.`,
      });
    }
  },
};

function lineNumber(text: string | undefined, offset: number): number {
  let line = 1;
  if (text) for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
