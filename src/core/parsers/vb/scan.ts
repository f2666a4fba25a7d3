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
  /** Inside the Finally part of a Try block of the same function. */
  inFinally: boolean;
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
  /** Statements and declarations by function (undefined: outside any), in source order. */
  byFunction: Map<VbFunction | undefined, VbStatement[]>;
  declarationsByFunction: Map<VbFunction | undefined, VbDeclaration[]>;
}

/**
 * Lowercased function name → the functions whose body statements mention it, built on first use (only
 * files with registrations or helper calls need it), so callers are found without a scan each.
 */
export function mentionsOf(file: VbFile): Map<string, Set<VbFunction>> {
  const cached = mentionsCache.get(file);
  if (cached) return cached;
  const names = new Set(file.functions.map((f) => f.name.toLowerCase()).filter(Boolean));
  const mentions = new Map<string, Set<VbFunction>>();
  for (const s of file.statements) {
    if (!s.fn || s.header) continue;
    for (const word of s.code.match(/[A-Za-z_]\w*/g) ?? []) {
      const key = word.toLowerCase();
      if (!names.has(key)) continue;
      const set = mentions.get(key);
      if (set) set.add(s.fn);
      else mentions.set(key, new Set([s.fn]));
    }
  }
  mentionsCache.set(file, mentions);
  return mentions;
}
const mentionsCache = new WeakMap<VbFile, Map<string, Set<VbFunction>>>();

/** Blank comments (`'`, `REM`) and string contents with spaces, keeping offsets and line breaks. */
export function maskVb(text: string): string {
  const out: string[] = [];
  let copied = 0;
  const blank = (from: number, to: number) => {
    out.push(text.slice(copied, from), ' '.repeat(to - from));
    copied = to;
  };
  const isQuote = (c: number) => c === 34 || c === 0x201c || c === 0x201d;
  const n = text.length;
  /** At the start of a statement: the line's start or after a `:` separator (where REM may begin). */
  let statementStart = true;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      statementStart = true;
      i++;
    } else if (c === 32 || c === 9) i++;
    else if (isQuote(c)) {
      let j = i + 1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === 10 || d === 13) break;
        if (isQuote(d)) {
          if (text.charCodeAt(j + 1) === 34) j++;
          else break;
        }
      }
      blank(i + 1, Math.min(j, n));
      i = j + 1;
      statementStart = false;
    } else if (c === 39 || c === 0x2018 || c === 0x2019 || (statementStart && (c === 82 || c === 114) && /^rem(?![\w])/i.test(text.slice(i, i + 4)))) {
      let j = i;
      while (j < n && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
      blank(i, j);
      i = j;
    } else {
      statementStart = c === 58 && text.charCodeAt(i + 1) !== 61;
      i++;
    }
  }
  out.push(text.slice(copied));
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
    const tail = code.slice(Math.max(start + first, last - 12), last);
    let continues = false;
    if (/(^|\s)_$/.test(tail) || (last - start - first === 1 && tail === '_')) {
      open.blanks.push(last - 1);
      continues = true;
    } else if (CONTINUES_AFTER.test(tail)) continues = true;
    else {
      const next = physical[k + 1] && code.slice(physical[k + 1].start, physical[k + 1].end).trimStart();
      if (next && /^[)}]/.test(next)) continues = true;
    }
    if (continues && k + 1 < physical.length) continue;
    lines.push(joined(code, open));
    open = undefined;
  }
  if (open) lines.push(joined(code, open));
  return lines;
}

/** A statement's code: its line breaks and `_` continuations blanked (same length). */
function joined(code: string, open: { start: number; end: number; blanks: number[] }): { start: number; end: number; code: string } {
  let text = code.slice(open.start, open.end);
  if (open.blanks.length) {
    const chars = text.split('');
    for (const b of open.blanks) chars[b - open.start] = ' ';
    text = chars.join('');
  }
  if (open.blanks.length || text.includes('\n') || text.includes('\r')) text = text.replace(/[\r\n]/g, ' ');
  return { start: open.start, end: open.end, code: text };
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
  // A `_` line continuation is blanked in the file's code too, so argument lists read across it.
  const masked = maskVb(text);
  const code = masked.replace(/(^|[ \t\n])_(?=[ \t]*(?:\r?\n|$))/g, '$1 ');
  const file: VbFile = { text, code, statements: [], functions: [], types: [], declarations: [], imports: [], allTasksLoops: [], byFunction: new Map(), declarationsByFunction: new Map() };
  const statements = logicalLines(masked).flatMap(statementsOf);
  const namespaces: string[] = [];
  const types: VbType[] = [];
  const functions: VbFunction[] = [];
  const withs: Array<{ code: string; start: number }> = [];
  const tries: Array<{ state: 'try' | 'catch' | 'finally'; fn?: VbFunction }> = [];
  /** What each open block is, so `End X` closes the right one. */
  let propertyDepth = 0;
  let namespace = '';
  const setNamespace = () => (namespace = namespaces.filter(Boolean).join('.'));
  /** Shared snapshots: a new array only when a With block opens or closes. */
  let withSnapshot: VbStatement['withs'] = [];
  let guardedIn: VbFunction | undefined | null = null;
  const updateGuard = () => {
    const open = tries.filter((t) => t.state === 'try');
    guardedIn = open.length ? open[open.length - 1].fn : null;
  };

  for (let k = 0; k < statements.length; k++) {
    const s = statements[k];
    const c = s.code;
    const fn = functions[functions.length - 1];
    const type = types[types.length - 1];
    const statement: VbStatement = { start: s.start, end: s.end, code: s.code, fn, type, namespace, withs: withSnapshot, guarded: guardedIn !== null && tries.some((t) => t.state === 'try' && t.fn === fn), inFinally: tries.length > 0 && tries.some((t) => t.state === 'finally' && t.fn === fn) };
    file.statements.push(statement);
    const list = file.byFunction.get(fn);
    if (list) list.push(statement);
    else file.byFunction.set(fn, [statement]);
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
      setNamespace();
      continue;
    }
    if (/^End\s+Namespace\b/i.test(c)) {
      namespaces.pop();
      setNamespace();
      continue;
    }
    if ((m = TYPE_HEAD.exec(c))) {
      const path = [...types.map((t) => t.name), m[2]];
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
      updateGuard();
      continue;
    }
    if (/^Catch\b/i.test(c) || /^Finally$/i.test(c)) {
      const t = tries[tries.length - 1];
      if (t) t.state = /^Catch/i.test(c) ? 'catch' : 'finally';
      updateGuard();
      continue;
    }
    if (/^End\s+Try\b/i.test(c)) {
      tries.pop();
      updateGuard();
      continue;
    }
    if ((m = /^With\s+(.+)$/i.exec(c))) {
      withs.push({ code: m[1].trim(), start: s.start + m.index + m[0].length - m[1].length });
      withSnapshot = withs.slice();
      continue;
    }
    if (/^End\s+With\b/i.test(c)) {
      withs.pop();
      withSnapshot = withs.slice();
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
    const list = file.declarationsByFunction.get(decl.fn);
    if (list) list.push(decl);
    else file.declarationsByFunction.set(decl.fn, [decl]);
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
    for (const d of file.declarationsByFunction.get(f) ?? []) if (d.name.toLowerCase() === key && d.statement.start <= at.start) local = d;
    if (local && !/^me\./i.test(name)) return { kind: 'local', declaration: local };
    const p = f.parameters.find((q) => q.name.toLowerCase() === key);
    if (p && !/^me\./i.test(name)) return { kind: 'parameter', parameter: p, fn: f };
  }
  const field = file.declarationsByFunction.get(undefined)?.find((d) => d.statement.type === at.type && d.name.toLowerCase() === key);
  return field ? { kind: 'field', declaration: field } : undefined;
}

/** The nearest named function (a lambda's enclosing Sub/Function). */
export function namedFunction(fn: VbFunction | undefined): VbFunction | undefined {
  let f = fn;
  while (f && f.kind === 'lambda') f = f.parent;
  return f;
}
