// Visual Basic read by lines (no VB grammar is bundled): comments and string contents masked with
// spaces (offsets kept), physical lines joined into statements (`_` and implicit continuations, `:`
// separators, the statement after a one-line `If ... Then`), and one pass over the statements that
// tracks namespaces, classes/modules, Sub/Function/Property bodies, multi-line lambdas, Try and With
// blocks, parameters and `Dim` declarations. Keywords compare case-insensitively, as VB does.

export interface VbType {
  name: string;
  fullName: string;
  start: number;
  end: number;
  mentionsAllTasks: boolean;
}

export interface VbParameter {
  name: string;
  index: number;
  type?: string;
}

export interface VbFunction {
  /** '' for a lambda. */
  name: string;
  kind: 'sub' | 'function' | 'property' | 'lambda';
  parameters: VbParameter[];
  start: number;
  end: number;
  type?: VbType;
  parent?: VbFunction;
  mentionsAllTasks: boolean;
}

export interface VbStatement {
  /** Offsets into the original text: first code character to the last. */
  start: number;
  end: number;
  /** The masked code of [start, end): comments and string contents are spaces, line breaks and `_` continuations too. */
  code: string;
  fn?: VbFunction;
  type?: VbType;
  namespace: string;
  /** Enclosing `With` targets, innermost last: the target's code and its offset. */
  withs: Array<{ code: string; start: number }>;
  /** Inside the Try part of a Try block of the same function. */
  guarded: boolean;
  /** The statement opens a Sub/Function/Property (its header). */
  header?: VbFunction;
}

export interface VbDeclaration {
  name: string;
  type?: string;
  /** Offsets of the initializer (`= expr` or `As New T(...)`: the `New` expression). */
  value?: { start: number; end: number };
  fn?: VbFunction;
  statement: VbStatement;
  modifiers: string[];
}

export interface VbFile {
  text: string;
  code: string;
  statements: VbStatement[];
  functions: VbFunction[];
  types: VbType[];
  declarations: VbDeclaration[];
  /** `Imports X.Y` (not aliases), dotted. */
  imports: string[];
  /** `For Each x In ...AllTasks` loop variables (lowercased), per function. */
  allTasksLoops: Array<{ name: string; fn?: VbFunction }>;
}

/** Blank comments (`'`, `REM`) and string contents with spaces, keeping offsets and line breaks. */
export function maskVb(text: string): string {
  const out = text.split('');
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      lineStart = true;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const atStart = lineStart || /:\s*$/.test(text.slice(Math.max(0, i - 8), i));
    lineStart = false;
    if (c === '"' || c === '\u201c' || c === '\u201d') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '\n' && text[j] !== '\r'; j++) {
        if (text[j] === '"' || text[j] === '\u201c' || text[j] === '\u201d') {
          if (text[j + 1] === '"') j++;
          else break;
        }
      }
      for (let k = i + 1; k < j && k < text.length; k++) out[k] = ' ';
      i = j + 1;
    } else if (c === "'" || c === '\u2018' || c === '\u2019' || (atStart && /^rem(?![\w])/i.test(text.slice(i, i + 4)))) {
      let j = i;
      while (j < text.length && text[j] !== '\n' && text[j] !== '\r') out[j++] = ' ';
      i = j;
    } else i++;
  }
  return out.join('');
}

const CONTINUES_AFTER = /(?:[,(&+\-*/=<{.]|[^>]>|:=|\b(?:And|Or|AndAlso|OrElse|Is|IsNot|Like|Mod|Xor|Not|In))\s*$/i;

/** Logical lines: [start, end) spans in the original text and their masked code with continuations blanked. */
function logicalLines(code: string): Array<{ start: number; end: number; code: string }> {
  const lines: Array<{ start: number; end: number; code: string }> = [];
  const physical: Array<{ start: number; end: number }> = [];
  for (let s = 0; s <= code.length; ) {
    let e = s;
    while (e < code.length && code[e] !== '\n' && code[e] !== '\r') e++;
    physical.push({ start: s, end: e });
    if (e >= code.length) break;
    s = code[e] === '\r' && code[e + 1] === '\n' ? e + 2 : e + 1;
  }
  let open: { start: number; end: number; blanks: number[] } | undefined;
  for (let k = 0; k < physical.length; k++) {
    const { start, end } = physical[k];
    const line = code.slice(start, end);
    const first = line.search(/\S/);
    if (first < 0) continue;
    const last = start + line.trimEnd().length;
    if (!open) open = { start: start + first, end: last, blanks: [] };
    else open.end = last;
    const trimmed = line.trimEnd();
    let continues = false;
    if (/(^|\s)_$/.test(trimmed)) {
      open.blanks.push(last - 1);
      continues = true;
    } else if (CONTINUES_AFTER.test(trimmed)) continues = true;
    else {
      const next = physical[k + 1] && code.slice(physical[k + 1].start, physical[k + 1].end).trimStart();
      if (next && /^[)}]/.test(next)) continues = true;
    }
    if (continues && k + 1 < physical.length) continue;
    const chars = code.slice(open.start, open.end).split('');
    for (const b of open.blanks) chars[b - open.start] = ' ';
    for (let i = 0; i < chars.length; i++) if (chars[i] === '\n' || chars[i] === '\r') chars[i] = ' ';
    lines.push({ start: open.start, end: open.end, code: chars.join('') });
    open = undefined;
  }
  if (open) {
    const chars = code.slice(open.start, open.end).split('');
    for (const b of open.blanks) chars[b - open.start] = ' ';
    lines.push({ start: open.start, end: open.end, code: chars.join('').replace(/[\r\n]/g, ' ') });
  }
  return lines;
}

/** Split a logical line at `:` separators and after a one-line `If ... Then` / `Else`. */
function statementsOf(line: { start: number; end: number; code: string }): Array<{ start: number; end: number; code: string }> {
  const out: Array<{ start: number; end: number; code: string }> = [];
  const push = (from: number, to: number) => {
    const piece = line.code.slice(from, to);
    const lead = piece.search(/\S/);
    if (lead < 0) return;
    const text = piece.trim();
    const start = line.start + from + lead;
    // `If x Then stmt [Else stmt]` on one line: the condition, then each branch as its own statement.
    const ifThen = /^(?:Else)?If\b.*?\bThen\b\s*(?=\S)/i.exec(text);
    if (ifThen) {
      out.push({ start, end: start + ifThen[0].trimEnd().length, code: ifThen[0].trimEnd() });
      const rest = text.slice(ifThen[0].length);
      const elseAt = topLevelIndex(rest, /\bElse\b/i);
      const thenPart = elseAt < 0 ? rest : rest.slice(0, elseAt);
      push(from + lead + ifThen[0].length, from + lead + ifThen[0].length + thenPart.length);
      if (elseAt >= 0) push(from + lead + ifThen[0].length + elseAt + 4, to);
      return;
    }
    out.push({ start, end: start + text.length, code: text });
  };
  let depth = 0;
  let from = 0;
  for (let i = 0; i < line.code.length; i++) {
    const c = line.code[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === ':' && depth === 0 && line.code[i + 1] !== '=' && line.code[i - 1] !== ':') {
      push(from, i);
      from = i + 1;
    }
  }
  push(from, line.code.length);
  return out;
}

function topLevelIndex(code: string, pattern: RegExp): number {
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (i === 0 || !/\w/.test(code[i - 1]))) {
      const m = pattern.exec(code.slice(i));
      if (m && m.index === 0) return i;
    }
  }
  return -1;
}

/** Split `a, b(c, d), e` at its top-level commas: [start, end) offsets into `code` of each part, trimmed. */
export function splitTopLevel(code: string, from = 0, to = code.length): Array<{ start: number; end: number }> {
  const parts: Array<{ start: number; end: number }> = [];
  let depth = 0;
  let s = from;
  const push = (a: number, b: number) => {
    while (a < b && /\s/.test(code[a])) a++;
    while (b > a && /\s/.test(code[b - 1])) b--;
    parts.push({ start: a, end: b });
  };
  for (let i = from; i < to; i++) {
    const c = code[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      push(s, i);
      s = i + 1;
    }
  }
  push(s, to);
  return parts.filter((p) => p.end > p.start || parts.length > 1);
}

/** Index of the `)` matching the `(` at `open`, or -1. */
export function closingParen(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '(' || code[i] === '{') depth++;
    else if (code[i] === ')' || code[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const MODIFIERS = '(?:(?:Public|Private|Protected|Friend|Shared|Static|Overrides|Overridable|NotOverridable|MustOverride|Overloads|Shadows|Partial|NotInheritable|MustInherit|ReadOnly|WriteOnly|Default|Async|Iterator|Narrowing|Widening|WithEvents|Const|Dim)\\s+)*';
const TYPE_HEAD = new RegExp(`^(?:<[^>]*>\\s*)*${MODIFIERS}(Class|Module|Structure|Interface)\\s+([A-Za-z_]\\w*)`, 'i');
const FUNCTION_HEAD = new RegExp(`^(?:<[^>]*>\\s*)*(${MODIFIERS})(Sub|Function|Property|Operator)\\s+([A-Za-z_]\\w*|New)\\s*(\\(|$|As\\b)`, 'i');
const LAMBDA = /\b(?:Async\s+)?(Sub|Function)\s*\(/gi;
const DECLARATION_HEAD = /^(?:<[^>]*>\s*)*((?:(?:Dim|Private|Public|Protected|Friend|Shared|Static|Const|ReadOnly|WithEvents|Shadows)\s+)+)(?!Sub\b|Function\b|Property\b|Class\b|Module\b|Structure\b|Interface\b|Enum\b|Event\b|Delegate\b|Declare\b|Operator\b|Sub\s|Custom\b)/i;

/** Parameters of a header: `(ByVal a As T, Optional b As String = "x")`. */
function parametersOf(code: string, open: number): VbParameter[] {
  const close = closingParen(code, open);
  if (close < 0) return [];
  return splitTopLevel(code, open + 1, close)
    .filter((p) => p.end > p.start)
    .map((p, index) => {
      const m = /^(?:(?:ByVal|ByRef|Optional|ParamArray)\s+)*([A-Za-z_]\w*)(?:\(\s*\))?(?:\s+As\s+(?:New\s+)?([\w.]+(?:\s*\(\s*Of\s+[^)]*\))?))?/i.exec(code.slice(p.start, p.end));
      return m ? { name: m[1], index, ...(m[2] ? { type: m[2] } : {}) } : { name: '', index };
    });
}

/** Read a VB file's structure; see the file comment. */
export function scanVb(text: string): VbFile {
  const code = maskVb(text);
  const file: VbFile = { text, code, statements: [], functions: [], types: [], declarations: [], imports: [], allTasksLoops: [] };
  const statements = logicalLines(code).flatMap(statementsOf);
  const namespaces: string[] = [];
  const types: VbType[] = [];
  const functions: VbFunction[] = [];
  const withs: Array<{ code: string; start: number; fn?: VbFunction }> = [];
  const tries: Array<{ state: 'try' | 'catch' | 'finally'; fn?: VbFunction }> = [];
  /** What each open block is, so `End X` closes the right one. */
  let propertyDepth = 0;
  const ns = () => namespaces.filter(Boolean).join('.');

  for (let k = 0; k < statements.length; k++) {
    const s = statements[k];
    const c = s.code;
    const fn = functions[functions.length - 1];
    const type = types[types.length - 1];
    const statement: VbStatement = { ...s, fn, type, namespace: ns(), withs: withs.map((w) => ({ code: w.code, start: w.start })), guarded: tries.some((t) => t.state === 'try' && t.fn === fn) };
    file.statements.push(statement);
    if (/AllTasks/.test(c)) {
      for (let f: VbFunction | undefined = fn; f; f = f.parent) f.mentionsAllTasks = true;
      for (const t of types) t.mentionsAllTasks = true;
    }
    let m: RegExpExecArray | null;
    if ((m = /^Imports\s+([\w.]+)\s*$/i.exec(c))) {
      file.imports.push(m[1].replace(/^Global\./i, ''));
      continue;
    }
    if ((m = /^Namespace\s+([\w.]+)/i.exec(c))) {
      namespaces.push(m[1].replace(/^Global\./i, ''));
      continue;
    }
    if (/^End\s+Namespace\b/i.test(c)) {
      namespaces.pop();
      continue;
    }
    if ((m = TYPE_HEAD.exec(c))) {
      const path = [...types.map((t) => t.name), m[2]];
      const namespace = ns();
      const t: VbType = { name: m[2], fullName: [namespace, ...path].filter(Boolean).join('.'), start: s.start, end: text.length, mentionsAllTasks: false };
      (t as VbType & { interface?: boolean }).interface = /interface/i.test(m[1]);
      types.push(t);
      file.types.push(t);
      continue;
    }
    if (/^End\s+(Class|Module|Structure|Interface)\b/i.test(c)) {
      const t = types.pop();
      if (t) t.end = s.end;
      continue;
    }
    const inInterface = !!(type as (VbType & { interface?: boolean }) | undefined)?.interface;
    if ((m = FUNCTION_HEAD.exec(c)) && !inInterface && !/\bMustOverride\b/i.test(m[1]) && !/^(Declare|Delegate)\b/i.test(c)) {
      const kind = m[2].toLowerCase() as 'sub' | 'function' | 'property' | 'operator';
      // An auto-property (`Property X As String = "x"`) has no body: a block property starts its Get/Set next.
      const isBlock = kind !== 'property' || /^(?:(?:Private|Protected|Friend|Public)\s+)?(?:Get|Set)\b/i.test(statements[k + 1]?.code ?? '');
      const f: VbFunction = {
        name: m[3],
        kind: kind === 'operator' ? 'function' : kind,
        parameters: m[4] === '(' ? parametersOf(c, m.index + m[0].length - 1) : [],
        start: s.start,
        end: text.length,
        type,
        mentionsAllTasks: false,
      };
      statement.header = f;
      file.functions.push(f);
      if (isBlock) {
        functions.push(f);
        if (kind === 'property') propertyDepth++;
      } else f.end = s.end;
      continue;
    }
    if (/^End\s+(Sub|Function|Operator)\b/i.test(c) || (/^End\s+Property\b/i.test(c) && propertyDepth > 0)) {
      if (/^End\s+Property/i.test(c)) propertyDepth--;
      const f = functions.pop();
      if (f) f.end = s.end;
      continue;
    }
    if (/^(?:Private\s+|Protected\s+|Friend\s+|Public\s+)?(?:Get|Set)\b|^End\s+(?:Get|Set)\b/i.test(c)) continue;
    if (/^Try$/i.test(c)) {
      tries.push({ state: 'try', fn });
      continue;
    }
    if (/^Catch\b/i.test(c) || /^Finally$/i.test(c)) {
      const t = tries[tries.length - 1];
      if (t) t.state = /^Catch/i.test(c) ? 'catch' : 'finally';
      continue;
    }
    if (/^End\s+Try\b/i.test(c)) {
      tries.pop();
      continue;
    }
    if ((m = /^With\s+(.+)$/i.exec(c))) {
      withs.push({ code: m[1].trim(), start: s.start + m.index + m[0].length - m[1].length, fn });
      continue;
    }
    if (/^End\s+With\b/i.test(c)) {
      withs.pop();
      continue;
    }
    if ((m = /^For\s+Each\s+([A-Za-z_]\w*)\b.*\bIn\b(.*)$/i.exec(c)) && /AllTasks/.test(m[2])) file.allTasksLoops.push({ name: m[1].toLowerCase(), fn });
    if ((m = DECLARATION_HEAD.exec(c))) declarations(file, statement, m[1], m[0].length);
    // A multi-line lambda: `Sub(...)`/`Function(...)` whose header ends the statement opens a body up to its End.
    LAMBDA.lastIndex = 0;
    for (let l = LAMBDA.exec(c); l; l = LAMBDA.exec(c)) {
      const close = closingParen(c, l.index + l[0].length - 1);
      if (close < 0) break;
      const rest = c.slice(close + 1);
      if (/^\s*(?:As\s+[\w.]+(?:\s*\(\s*Of\s+[^)]*\))?)?\s*\)*\s*$/i.test(rest)) {
        const f: VbFunction = { name: '', kind: 'lambda', parameters: parametersOf(c, l.index + l[0].length - 1), start: s.start + l.index, end: text.length, type, parent: fn, mentionsAllTasks: false };
        functions.push(f);
        file.functions.push(f);
        break;
      }
    }
  }
  for (const t of types) t.end = text.length;
  return file;
}

/** `Dim a As New T(...)`, `Dim a = expr, b As T = expr`, `Private Const X As String = "x"`. */
function declarations(file: VbFile, statement: VbStatement, modifiers: string, headLength: number): void {
  const c = statement.code;
  const mods = modifiers.trim().toLowerCase().split(/\s+/);
  for (const part of splitTopLevel(c, headLength)) {
    const piece = c.slice(part.start, part.end);
    const m = /^([A-Za-z_]\w*)(?:\s*\(\s*\))?(?:\s+As\s+(New\s+)?([\w.]+(?:\s*\(\s*Of\s+[^)]*\))?))?/i.exec(piece);
    if (!m) continue;
    const decl: VbDeclaration = { name: m[1], fn: statement.fn, statement, modifiers: mods };
    if (m[3]) decl.type = m[3];
    if (m[2]) decl.value = { start: statement.start + part.start + m[0].length - m[3].length - m[2].length, end: statement.start + part.end };
    else {
      const eq = piece.indexOf('=', m[0].length);
      if (eq >= 0 && /^\s*$/.test(piece.slice(m[0].length, eq))) decl.value = { start: statement.start + part.start + eq + 1, end: statement.start + part.end };
    }
    file.declarations.push(decl);
  }
}

/** The innermost type holding an offset. */
export function typeAt(file: VbFile, offset: number): VbType | undefined {
  let best: VbType | undefined;
  for (const t of file.types) if (t.start <= offset && offset < t.end && (!best || t.start >= best.start)) best = t;
  return best;
}

/** The declaration a name means at a statement: a local or parameter of its function (and enclosing ones), else a field of its type. */
export function lookup(file: VbFile, name: string, at: VbStatement): { kind: 'parameter'; parameter: VbParameter; fn: VbFunction } | { kind: 'local' | 'field'; declaration: VbDeclaration } | undefined {
  const key = name.replace(/^Me\./i, '').toLowerCase();
  if (key.includes('.')) return undefined;
  for (let f = at.fn; f; f = f.parent) {
    let local: VbDeclaration | undefined;
    for (const d of file.declarations) if (d.fn === f && d.name.toLowerCase() === key && d.statement.start <= at.start) local = d;
    if (local && !/^me\./i.test(name)) return { kind: 'local', declaration: local };
    const p = f.parameters.find((q) => q.name.toLowerCase() === key);
    if (p && !/^me\./i.test(name)) return { kind: 'parameter', parameter: p, fn: f };
  }
  const field = file.declarations.find((d) => !d.fn && d.statement.type === at.type && d.name.toLowerCase() === key);
  return field ? { kind: 'field', declaration: field } : undefined;
}

/** The nearest named function (a lambda's enclosing Sub/Function). */
export function namedFunction(fn: VbFunction | undefined): VbFunction | undefined {
  let f = fn;
  while (f && f.kind === 'lambda') f = f.parent;
  return f;
}
