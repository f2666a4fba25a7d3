// C++/CX is not C++: `public ref class X sealed`, `T^` hats, `ref new`, `property`, `event`,
// `delegate`, `for each (x in c)` and `[Attribute]` lines make tree-sitter-cpp give up. This module
// lexes the file (skipping comments, strings, character literals and preprocessor lines) and masks
// those constructs with text of the same length, so every offset in the masked text is the offset
// of the same character in the original: `ref` → spaces, `^` → `*`, `%` → `&`, `sealed` → spaces
// (remembered), a property's accessor block → `;` and spaces. What was masked is returned beside
// the text, for the facts the masking hides (a class's `public`, `ref` and `sealed`).
import type { Span } from '../../facts/types';

export interface Token {
  kind: 'id' | 'num' | 'punct';
  text: string;
  start: number;
  end: number;
}

/** What the masking removed around one `class`/`struct` keyword. */
export interface CxClassInfo {
  /** Offset of the `class`/`struct` keyword. */
  keyword: number;
  /** `ref class`, `value struct`, `interface class`; undefined for a native class. */
  cxKind?: 'ref' | 'value' | 'interface';
  /** Span of the `ref`/`value`/`interface` word. */
  cxWord?: Span;
  /** `public`/`private`/`protected`/`internal` written before it. */
  access?: { word: string; span: Span };
  /** Earliest masked prefix (access word, `partial`, `ref`), or the keyword. */
  start: number;
  sealed?: Span;
  abstract?: Span;
}

export interface MaskResult {
  text: string;
  /** C++/CX syntax was seen: a ref/value class, a hat, `ref new`, a property, event or delegate. */
  cx: boolean;
  /** Keyed by the offset of the `class`/`struct` keyword. */
  classes: Map<number, CxClassInfo>;
  tokens: Token[];
}

const isIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c >= 0x80;
const isIdPart = (c: number) => isIdStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;

const STRING_PREFIXES = new Set(['L', 'u8', 'u', 'U']);
const RAW_PREFIXES = new Set(['R', 'LR', 'u8R', 'uR', 'UR']);

/** Skip a quoted literal starting at `i` (the quote); stops at the closing quote or the end of the line. */
export function skipQuoted(text: string, i: number): number {
  const quote = text.charCodeAt(i);
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 92) {
      j += 2;
      continue;
    }
    if (c === quote) return j + 1;
    if (c === 10 || c === 13) return j;
    j++;
  }
  return text.length;
}

/** Skip `R"delim(...)delim"` starting at the quote. */
function skipRaw(text: string, quote: number): number {
  const open = text.indexOf('(', quote + 1);
  if (open < 0 || open - quote - 1 > 16) return skipQuoted(text, quote);
  const close = text.indexOf(`)${text.slice(quote + 1, open)}"`, open + 1);
  return close < 0 ? text.length : close + open - quote + 1;
}

/** Past the end of the block comment starting at `i` (the end of the text when it never closes). */
export function skipBlockComment(text: string, i: number): number {
  const end = text.indexOf('*/', i + 2);
  return end < 0 ? text.length : end + 2;
}

/** To the end of a `//` comment or preprocessor line, following backslash continuations. */
export function lineEnd(text: string, i: number): number {
  let j = i;
  for (;;) {
    while (j < text.length && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
    let k = j - 1;
    while (k > i && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k--;
    if (j >= text.length || text.charCodeAt(k) !== 92) return j;
    j += text.charCodeAt(j) === 13 && text.charCodeAt(j + 1) === 10 ? 2 : 1;
  }
}

/** A preprocessor line: comments and strings inside it are skipped, a block comment may carry it to later lines. */
function skipDirective(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 10 || c === 13) {
      let k = j - 1;
      while (k > i && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k--;
      if (text.charCodeAt(k) !== 92) return j;
      j++;
    } else if (c === 47 && text.charCodeAt(j + 1) === 47) return lineEnd(text, j);
    else if (c === 47 && text.charCodeAt(j + 1) === 42) j = skipBlockComment(text, j);
    else if (c === 34 || c === 39) j = skipQuoted(text, j);
    else j++;
  }
  return j;
}

/** The code tokens of a C++ file: identifiers, numbers and one-character punctuation. */
export function lexCpp(text: string): Token[] {
  const tokens: Token[] = [];
  let lineStart = true;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lineStart = true;
      i++;
      continue;
    }
    if (isSpace(c) || c === 0xfeff) {
      i++;
      continue;
    }
    if (c === 92 && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13)) {
      i++;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      i = lineEnd(text, i);
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      i = skipBlockComment(text, i);
      continue;
    }
    const wasLineStart = lineStart;
    lineStart = false;
    if (c === 35 && wasLineStart) {
      i = skipDirective(text, i);
      continue;
    }
    if (c === 34 || c === 39) {
      i = skipQuoted(text, i);
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        const prev = text.charCodeAt(j - 1) | 32;
        if (isIdPart(d) || d === 46 || (d === 39 && isIdPart(text.charCodeAt(j + 1)))) j++;
        else if ((d === 43 || d === 45) && (prev === 101 || prev === 112)) j++;
        else break;
      }
      tokens.push({ kind: 'num', text: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdPart(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      const after = text.charCodeAt(j);
      if (after === 34 && RAW_PREFIXES.has(word)) {
        i = skipRaw(text, j);
        continue;
      }
      if ((after === 34 || after === 39) && STRING_PREFIXES.has(word)) {
        i = skipQuoted(text, j);
        continue;
      }
      tokens.push({ kind: 'id', text: word, start: i, end: j });
      i = j;
      continue;
    }
    tokens.push({ kind: 'punct', text: text[i], start: i, end: i + 1 });
    i++;
  }
  return tokens;
}

const ACCESS = new Set(['public', 'private', 'protected', 'internal']);
/** Tokens after which a declaration may start (so `property`/`event`/`delegate` there are CX keywords). */
const DECL_PREV_IDS = new Set(['public', 'private', 'protected', 'internal', 'virtual', 'static']);
/** SAL 2 annotations: `_In_`, `_In_opt_`, `_Out_writes_bytes_`, `_Inout_updates_`, `_Ret_maybenull_`, `_Check_return_`, ... */
const SAL = /^_(?:In|Out|Inout|Outptr|Ret|Deref|Pre|Post|Check|Success|Must|Null|Notnull|Maybenull|Result|Use|Printf|Reserved|Field|Frees|Post|Always|When)(?:_[A-Za-z0-9]+)*_$/;
const AFTER_SPECIFIER = new Set(['override', 'const', 'final', 'sealed', 'abstract', 'noexcept']);

export function maskCx(text: string): MaskResult {
  const tokens = lexCpp(text);
  const out = text.split('');
  const classes = new Map<number, CxClassInfo>();
  let cx = false;
  if (text.charCodeAt(0) === 0xfeff) out[0] = ' ';

  const blank = (start: number, end: number) => {
    for (let k = start; k < end; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  const replace = (t: Token, replacement: string) => {
    for (let k = 0; k < replacement.length && t.start + k < t.end; k++) out[t.start + k] = replacement[k];
  };
  const tok = (i: number): Token | undefined => tokens[i];
  const isPunct = (t: Token | undefined, p: string) => !!t && t.kind === 'punct' && t.text === p;
  const isId = (t: Token | undefined, word?: string) => !!t && t.kind === 'id' && (word === undefined || t.text === word);
  /** `:` that is not half of `::`. */
  const isSingleColon = (i: number) =>
    isPunct(tok(i), ':') && !(isPunct(tok(i + 1), ':') && tok(i + 1)!.start === tok(i)!.end) && !(isPunct(tok(i - 1), ':') && tok(i - 1)!.end === tok(i)!.start);
  const declContext = (i: number) => {
    const p = tok(i - 1);
    if (!p) return true;
    if (p.kind === 'punct') return p.text === ';' || p.text === '{' || p.text === '}' || p.text === ']' || (p.text === ':' && isSingleColon(i - 1));
    return p.kind === 'id' && DECL_PREV_IDS.has(p.text);
  };
  const info = (keyword: Token): CxClassInfo => {
    let entry = classes.get(keyword.start);
    if (!entry) classes.set(keyword.start, (entry = { keyword: keyword.start, start: keyword.start }));
    return entry;
  };
  /** Mask the access word (and `partial`) written right before token `i`: the access word, and where the masked prefix starts. */
  const maskAccessBefore = (i: number): { access?: CxClassInfo['access']; start: number } => {
    let j = i - 1;
    let start = tok(i)!.start;
    if (isId(tok(j), 'partial')) {
      blank(tok(j)!.start, tok(j)!.end);
      start = tok(j)!.start;
      j--;
    }
    const t = tok(j);
    if (!t || t.kind !== 'id' || !ACCESS.has(t.text)) return { start };
    blank(t.start, t.end);
    return { access: { word: t.text, span: { start: t.start, end: t.end } }, start: t.start };
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tok(i + 1);
    if (t.kind === 'id') {
      if (SAL.test(t.text)) {
        // SAL annotations (`_In_`, `_Out_opt_`, `_In_reads_(n)`) are macros that expand to nothing.
        i = maskSal(i);
        continue;
      }
      switch (t.text) {
        case 'ref':
        case 'value':
        case 'interface':
          if (isId(next, 'class') || isId(next, 'struct')) {
            if (t.text === 'value' && isId(tok(i - 1), 'enum')) break;
            cx = true;
            blank(t.start, t.end);
            const entry = info(next!);
            entry.cxKind = t.text as CxClassInfo['cxKind'];
            entry.cxWord = { start: t.start, end: t.end };
            const { access, start } = maskAccessBefore(i);
            entry.access = access;
            entry.start = start;
          } else if (t.text === 'ref' && isId(next, 'new')) {
            cx = true;
            blank(t.start, t.end);
          }
          break;
        case 'class':
        case 'struct': {
          if (isId(tok(i - 1), 'enum')) {
            // `public enum class E`: the access word is CX.
            if (tok(i - 2) && ACCESS.has(tok(i - 2)!.text) && tok(i - 2)!.kind === 'id') blank(tok(i - 2)!.start, tok(i - 2)!.end);
            break;
          }
          // `class Name sealed/abstract/final : ...`
          if (!isId(next)) break;
          for (let k = i + 2; isId(tok(k)) && (tok(k)!.text === 'sealed' || tok(k)!.text === 'abstract' || tok(k)!.text === 'final'); k++) {
            const w = tok(k)!;
            if (w.text === 'final') continue;
            blank(w.start, w.end);
            info(t)[w.text as 'sealed' | 'abstract'] = { start: w.start, end: w.end };
          }
          break;
        }
        case 'sealed':
        case 'abstract': {
          // `virtual void F() sealed;`
          const p = tok(i - 1);
          if (isPunct(p, ')') || (isId(p) && AFTER_SPECIFIER.has(p!.text))) blank(t.start, t.end);
          break;
        }
        case 'delegate':
          if (declContext(i) && isId(next)) {
            cx = true;
            blank(t.start, t.end);
            maskAccessBefore(i);
          }
          break;
        case 'property':
        case 'event':
          if (declContext(i) && isId(next) && !isPunct(tok(i + 2), '(')) {
            cx = true;
            blank(t.start, t.end);
            maskAccessBefore(i);
            i = maskAccessorBlock(i + 1, i);
          }
          break;
        case 'each':
          if (isId(tok(i - 1), 'for') && isPunct(next, '(')) {
            cx = true;
            blank(t.start, t.end);
            let depth = 0;
            for (let k = i + 1; k < tokens.length; k++) {
              const u = tokens[k];
              if (isPunct(u, '(')) depth++;
              else if (isPunct(u, ')') && --depth === 0) break;
              else if (depth === 1 && isId(u, 'in')) {
                replace(u, ': ');
                break;
              } else if (isPunct(u, ';') || isPunct(u, '{')) break;
            }
          }
          break;
        case '__declspec':
          // `struct __declspec(uuid("...")) Task`: tree-sitter-cpp takes identifiers only there.
          if (isPunct(next, '(')) {
            let depth = 0;
            for (let k = i + 1; k < tokens.length; k++) {
              if (isPunct(tokens[k], '(')) depth++;
              else if (isPunct(tokens[k], ')') && --depth === 0) {
                blank(t.start, tokens[k].end);
                i = k;
                break;
              } else if (isPunct(tokens[k], ';') || isPunct(tokens[k], '{')) break;
            }
          }
          break;
        case '__stdcall':
        case '__cdecl':
        case '__fastcall':
        case '__thiscall':
        case '__vectorcall':
        case 'WINAPI':
        case 'STDMETHODCALLTYPE':
        case 'CALLBACK':
          // Calling conventions say nothing about the declaration's shape.
          blank(t.start, t.end);
          break;
        case 'internal':
          // `internal:` access in a ref class.
          if (isSingleColon(i + 1)) replace(t, 'private ');
          break;
        case 'typeid':
          // `T::typeid` (C++/CX type object): make it an identifier.
          if (isPunct(tok(i - 1), ':') && isPunct(tok(i - 2), ':')) {
            cx = true;
            replace(t, 'TYPEID');
          }
          break;
      }
    } else if (t.kind === 'punct') {
      if (t.text === '^' && isHat(i)) {
        cx = true;
        out[t.start] = '*';
      } else if (t.text === '%' && isTrackingReference(i)) {
        out[t.start] = '&';
      } else if (t.text === '[') {
        i = maskAttribute(i);
      }
    }
  }
  return { text: out.join(''), cx, classes, tokens };

  function maskSal(i: number): number {
    const t = tokens[i];
    if (!isPunct(tok(i + 1), '(') || tok(i + 1)!.start !== t.end) {
      blank(t.start, t.end);
      return i;
    }
    let depth = 0;
    for (let k = i + 1; k < tokens.length; k++) {
      if (isPunct(tokens[k], '(')) depth++;
      else if (isPunct(tokens[k], ')') && --depth === 0) {
        blank(t.start, tokens[k].end);
        return k;
      } else if (isPunct(tokens[k], ';') || isPunct(tokens[k], '{')) break;
    }
    return i;
  }

  /** `T^ x`, `T^)`, `T^>`, `Object ^sender`: a handle, not exclusive or. */
  function isHat(i: number): boolean {
    const p = tok(i - 1);
    const t = tokens[i];
    const nx = tok(i + 1);
    if (!p || !nx) return false;
    const prevAdjacent = p.end === t.start && (p.kind === 'id' || isPunct(p, '>'));
    const nextAdjacent = nx.start === t.end;
    if (prevAdjacent) {
      if (nx.kind === 'num') return false;
      if (!nextAdjacent) return !isPunct(nx, '(') && !isPunct(nx, '=');
      return nx.kind === 'punct' && ')>,&%;*'.includes(nx.text);
    }
    // `Object ^sender)`: written with the space before the hat.
    if (p.kind === 'id' && nextAdjacent && nx.kind === 'id') {
      const after = tok(i + 2);
      return !!after && after.kind === 'punct' && ',);={'.includes(after.text) && !isPunct(tok(i + 3), '=');
    }
    return false;
  }

  /** `T^% x` / `int% x)`: a tracking reference. */
  function isTrackingReference(i: number): boolean {
    const p = tok(i - 1);
    const t = tokens[i];
    const nx = tok(i + 1);
    if (!p || !nx || p.end !== t.start) return false;
    if (isPunct(p, '^')) return true;
    if (p.kind !== 'id' || nx.start === t.end || nx.kind !== 'id') return false;
    const after = tok(i + 2);
    return isPunct(after, ',') || isPunct(after, ')');
  }

  /** A property or event: its `{ get(); set(); }` accessor block becomes `;` and spaces. */
  /** Returns the index of the last token it masked (or `at`), where the main loop goes on. */
  function maskAccessorBlock(from: number, at: number): number {
    let depth = 0;
    for (let k = from; k < tokens.length; k++) {
      const u = tokens[k];
      if (u.kind !== 'punct') continue;
      if (u.text === '(' || u.text === '[') depth++;
      else if (u.text === ')' || u.text === ']') depth--;
      else if (u.text === ';' || u.text === '}') return at;
      else if (u.text === '{' && depth <= 0) {
        // Hats before the block are still to be masked: mask them here, as the main loop skips the block.
        for (let h = from; h < k; h++) if (isPunct(tokens[h], '^') && isHat(h)) out[tokens[h].start] = '*';
        let braces = 0;
        for (let m = k; m < tokens.length; m++) {
          if (isPunct(tokens[m], '{')) braces++;
          else if (isPunct(tokens[m], '}') && --braces === 0) {
            out[u.start] = ';';
            blank(u.start + 1, tokens[m].end);
            return m;
          }
        }
        return at;
      }
    }
    return at;
  }

  /** `[Windows::Foundation::Metadata::WebHostHidden]` before a declaration. */
  function maskAttribute(i: number): number {
    const p = tok(i - 1);
    const okBefore = !p || (p.kind === 'punct' && (';{}](,'.includes(p.text) || (p.text === ':' && isSingleColon(i - 1))));
    if (!okBefore || !isId(tok(i + 1))) return i;
    let depth = 0;
    for (let k = i + 1; k < tokens.length && k < i + 200; k++) {
      const u = tokens[k];
      if (u.kind !== 'punct') continue;
      if (u.text === '(') depth++;
      else if (u.text === ')') depth--;
      else if (u.text === ';' || u.text === '{' || u.text === '}' || u.text === '[' || depth < 0) return i;
      else if (u.text === ']' && depth === 0) {
        const after = tok(k + 1);
        if (!after || !(after.kind === 'id' || isPunct(after, '['))) return i;
        blank(tokens[i].start, u.end);
        return k;
      }
    }
    return i;
  }
}
