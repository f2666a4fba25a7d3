// The Visual Basic facts extractor, by lines (no grammar is bundled for VB): which classes a .vb file
// declares, in which namespace, whether they are NotInheritable/Public, implement IBackgroundTask
// (with Run and a Canceled handler) or inherit a base. Enough for entry points to find their class;
// VB registration code and deferrals are not analysed (the README says so).
import { emptyFacts, type ClassFact, type FileFacts, type TaskClassFact } from '../facts/types';

/** Blank comments (`'`, `REM`) and string contents with spaces, keeping offsets. */
function maskVb(text: string): string {
  const out = text.split('');
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '\n'; j++) {
        if (text[j] === '"') {
          if (text[j + 1] === '"') j++;
          else break;
        }
      }
      for (let k = i + 1; k < j && k < text.length; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
      i = j + 1;
    } else if (c === "'" || c === '\u2018' || c === '\u2019' || (/[Rr]/.test(c) && /^rem\b/i.test(text.slice(i, i + 4)) && (i === 0 || /\s/.test(text[i - 1])))) {
      let j = i;
      while (j < text.length && text[j] !== '\n' && text[j] !== '\r') out[j++] = ' ';
      i = j;
    } else i++;
  }
  return out.join('');
}

const CLASS = /^[ \t]*((?:(?:Public|Friend|Private|Protected|Partial|NotInheritable|MustInherit|Shadows)\s+)*)Class\s+([A-Za-z_]\w*)/gim;

export function extractVb(path: string, text: string): FileFacts {
  const facts = emptyFacts(path, 'vb');
  const code = maskVb(text);
  // Namespace blocks by line, so a class knows the namespaces around it.
  const namespaces: Array<{ name: string; start: number; end: number }> = [];
  const stack: Array<{ name: string; start: number }> = [];
  for (const m of code.matchAll(/^[ \t]*(End\s+Namespace|Namespace\s+([\w.]+))\b/gim)) {
    // `Namespace Global.Tasks` names the root namespace Tasks (VB's Global qualifier), not Global.Tasks.
    if (m[2]) stack.push({ name: m[2].replace(/^Global\./i, ''), start: m.index! });
    else {
      const open = stack.pop();
      if (open) namespaces.push({ ...open, end: m.index! });
    }
  }
  for (const open of stack) namespaces.push({ ...open, end: code.length });
  const namespaceAt = (at: number) =>
    namespaces
      .filter((n) => n.start <= at && at < n.end)
      .sort((a, b) => a.start - b.start)
      .map((n) => n.name)
      .join('.');

  for (const m of code.matchAll(CLASS)) {
    const modifiers = m[1].toLowerCase();
    const nameStart = m.index! + m[0].length - m[2].length;
    const endMatch = /^[ \t]*End\s+Class\b/gim;
    endMatch.lastIndex = nameStart;
    const end = endMatch.exec(code);
    const bodyEnd = end ? end.index + end[0].length : code.length;
    const body = code.slice(nameStart, bodyEnd);
    const namespace = namespaceAt(m.index!);
    const fullName = namespace ? `${namespace}.${m[2]}` : m[2];
    const nameSpan = { start: nameStart, end: nameStart + m[2].length };
    const isPublic = /\bpublic\b/.test(modifiers);
    const isSealed = /\bnotinheritable\b/.test(modifiers);
    const implementsTask = /^[ \t]*Implements\s+(?:[\w.]+\s*,\s*)*(?:[\w.]*\.)?IBackgroundTask\b(?!\w)/im.test(body);
    if (!implementsTask) {
      const bases = [...body.matchAll(/^[ \t]*Inherits\s+([\w.]+)/gim)].map((b) => b[1]);
      const cls: ClassFact = { name: m[2], fullName, nameSpan, isPublic, isSealed, isStatic: false, ...(bases.length ? { bases } : {}) };
      facts.classes.push(cls);
      continue;
    }
    const run = /\b(Async\s+)?Sub\s+(Run)\s*\(/i.exec(body);
    const task: TaskClassFact = {
      language: 'vb',
      name: m[2],
      fullName,
      nameSpan,
      span: { start: m.index!, end: bodyEnd },
      isPublic,
      isSealed,
      handlesCanceled: /\bAddHandler\s+[\w.]+\.Canceled\b|\.Canceled\s*\+=/i.test(body),
      ...(run ? { run: { span: { start: nameStart + run.index, end: nameStart + run.index + run[0].length }, nameSpan: { start: nameStart + run.index + run[0].length - 4, end: nameStart + run.index + run[0].length - 1 }, isAsync: !!run[1], deferrals: [], hasTryFinally: false } } : {}),
    };
    facts.taskClasses.push(task);
  }
  return facts;
}
