// A cheap constant-only reader for C++ files that never say "Background" (headers of an app's
// pages): `#define X L"..."`, `static constexpr wchar_t X[] = L"..."`, `Platform::String^ const X = "..."`
// and out-of-class `const wchar_t* Names::X = L"..."` at namespace or class scope, keyed as the
// tree-sitter extractor keys them; and the files it `#include`s. One pass over the text, no grammar.
import { emptyFacts, type FileFacts } from '../../facts/types';
import { lineEnd, skipBlockComment, skipQuoted } from './mask';
import { projectedNamespace } from './scan';
import { macroString } from './values';

/** `#include "x.h"` paths as written (quoted includes only: angle includes name SDK headers). */
export function includesOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*#[ \t]*include[ \t]*"([^"\r\n]+)"/gm)) if (!out.includes(m[1])) out.push(m[1]);
  return out;
}

/** The string a `#define`'s value stands for: one literal, perhaps followed by a comment. */
export function macroValue(written: string): string | undefined {
  const m = /^\s*((?:L|u8|u|U)?"(?:[^"\\\r\n]|\\.)*")\s*(?:\/\/[^\r\n]*|\/\*.*?\*\/)?\s*$/s.exec(written);
  return m ? macroString(m[1]) : undefined;
}

interface Tok {
  kind: 'id' | 'num' | 'punct' | 'str';
  text: string;
}

type Frame = { kind: 'namespace'; segments: string[] } | { kind: 'class'; name: string } | { kind: 'init' } | { kind: 'other' };

const isIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 0x80;
const isIdPart = (c: number) => isIdStart(c) || (c >= 48 && c <= 57);
const STRING_PREFIXES = new Set(['L', 'u8', 'u', 'U']);
const ACCESS = new Set(['public', 'private', 'protected', 'internal']);
const SPECIFIERS = new Set(['static', 'inline', 'constexpr', 'const', 'extern', 'constinit', 'volatile', 'thread_local', 'mutable']);
/** What may stand around the literal in an initializer: `ref new String(L"x")`, `hstring{ L"x" }`, `L"x"sv`. */
const INIT_WORDS = new Set(['ref', 'new', 'Platform', 'String', 'StringReference', 'winrt', 'hstring', 'std', 'wstring', 'wstring_view', 'string', 'string_view', 'basic_string', 'sv', 's']);

/** The constants a C++ file declares outside functions, without parsing it; see the file comment. */
export function cppConstantFacts(path: string, kind: 'cppcx' | 'cppwinrt', text: string): FileFacts {
  const facts = emptyFacts(path, kind);
  const includes = includesOf(text);
  if (includes.length) facts.includes = includes;
  const constants: Record<string, string> = {};
  const add = (segments: string[], value: string) => {
    const key = segments.join('.');
    if (!(key in constants)) constants[key] = value;
  };

  const frames: Frame[] = [];
  /** Tokens of the declaration being read at namespace or class scope (initializer braces included). */
  let statement: Tok[] = [];
  /** Depth of frames that are not namespaces or classes: their tokens are skipped (function bodies) or kept (initializers). */
  const skipping = () => frames.some((f) => f.kind === 'other');
  const inInit = () => frames.length > 0 && frames[frames.length - 1].kind === 'init';
  const owner = () => {
    const ns: string[] = [];
    const cls: string[] = [];
    for (const f of frames) {
      if (f.kind === 'namespace') ns.push(...f.segments);
      else if (f.kind === 'class') cls.push(f.name);
    }
    return [...projectedNamespace(ns), ...cls];
  };

  const open = () => {
    const head = statement;
    let frame: Frame;
    if (skipping()) frame = { kind: 'other' };
    else if (inInit()) frame = { kind: 'init' };
    else frame = frameOf(head);
    frames.push(frame);
    if (frame.kind === 'init') push({ kind: 'punct', text: '{' });
    else statement = [];
  };
  const close = () => {
    const frame = frames.pop();
    if (!frame) return;
    if (frame.kind === 'init') push({ kind: 'punct', text: '}' });
    // After a namespace, class or function body the next declaration starts; an initializer continues its own.
    if (frame.kind !== 'init' && !skipping() && !inInit()) statement = [];
  };
  const end = () => {
    if (!skipping() && !inInit()) declarations(statement, owner(), add);
    if (!inInit()) statement = [];
  };

  const n = text.length;
  let lineStart = true;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lineStart = true;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 11 || c === 12 || c === 0xfeff) {
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
      const e = lineEnd(text, i);
      const define = /^#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![\w(])[ \t]*((?:[^\r\n]|\\\r?\n)*)/.exec(text.slice(i, e));
      if (define) {
        const value = macroValue(define[2]);
        if (value !== undefined) add([define[1]], value);
      }
      i = e;
      continue;
    }
    if (c === 34 || c === 39) {
      const e = skipQuoted(text, i);
      if (c === 34) push({ kind: 'str', text: text.slice(i, e) });
      i = e;
      continue;
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdPart(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      const after = text.charCodeAt(j);
      if (after === 34 && /^(?:L|u8|u|U)?R$/.test(word)) {
        // Raw literals: not worth reading as constants; skip them whole.
        const open = text.indexOf('(', j + 1);
        const close = open < 0 ? -1 : text.indexOf(`)${text.slice(j + 1, open)}"`, open + 1);
        i = close < 0 ? n : close + open - j + 1;
        push({ kind: 'punct', text: '?' });
        continue;
      }
      if ((after === 34 || after === 39) && STRING_PREFIXES.has(word)) {
        const e = skipQuoted(text, j);
        if (after === 34) push({ kind: 'str', text: text.slice(i, e) });
        i = e;
        continue;
      }
      push({ kind: 'id', text: word });
      i = j;
      continue;
    }
    if (c >= 48 && c <= 57) {
      let j = i + 1;
      while (j < n && (isIdPart(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
      push({ kind: 'num', text: text.slice(i, j) });
      i = j;
      continue;
    }
    if (c === 123) open();
    else if (c === 125) close();
    else if (c === 59) end();
    else if (c === 58 && text.charCodeAt(i + 1) === 58) {
      push({ kind: 'punct', text: '::' });
      i += 2;
      continue;
    } else push({ kind: 'punct', text: text[i] });
    i++;
  }

  function push(t: Tok): void {
    if (skipping()) return;
    // `public:` inside a class ends nothing but starts a new declaration.
    if (t.text === ':' && !inInit() && statement.length === 1 && ACCESS.has(statement[0].text)) {
      statement = [];
      return;
    }
    if (statement.length < 512) statement.push(t);
  }

  facts.constants = constants;
  return facts;
}

/** What a `{` opens, from the tokens of the declaration before it. */
function frameOf(written: readonly Tok[]): Frame {
  const head = withoutAttributes(written);
  const first = head.findIndex((t) => t.kind === 'id' && t.text !== 'inline' && t.text !== 'export');
  if (first >= 0 && head[first].text === 'namespace') {
    const segments = head.slice(first + 1).filter((t) => t.kind === 'id').map((t) => t.text);
    return { kind: 'namespace', segments };
  }
  if (head[0]?.text === 'extern' && head[1]?.kind === 'str' && head.length === 2) return { kind: 'namespace', segments: [] };
  if (head.some((t) => t.text === '=')) return { kind: 'init' };
  if (head.some((t) => t.text === '(' || t.text === 'enum' || t.text === 'property' || t.text === 'event' || t.text === 'operator')) return { kind: 'other' };
  const keyword = head.findIndex((t) => t.text === 'class' || t.text === 'struct' || t.text === 'union');
  if (keyword >= 0) {
    // `struct Names`, `ref class Page sealed : Base`, `template <...> struct X`: the name is the last id before `:` or the end.
    let stop = head.findIndex((t, k) => k > keyword && t.text === ':');
    if (stop < 0) stop = head.length;
    const ids = head.slice(keyword + 1, stop).filter((t) => t.kind === 'id' && !['final', 'sealed', 'abstract', 'partial'].includes(t.text) && !t.text.startsWith('__declspec'));
    const name = ids[ids.length - 1]?.text;
    return name && !head.slice(keyword + 1, stop).some((t) => t.text === '(') ? { kind: 'class', name } : { kind: 'other' };
  }
  // `static constexpr std::wstring_view X{ L"..." }` (a brace initializer), else some other block.
  const last = head[head.length - 1];
  return last?.kind === 'id' && head.filter((t) => t.kind === 'id' && !SPECIFIERS.has(t.text)).length >= 2 ? { kind: 'init' } : { kind: 'other' };
}

/** Drop `template <...>`, `__declspec(...)`, `alignas(...)` and `[[...]]`: they do not change what a `{` opens. */
function withoutAttributes(head: readonly Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let k = 0; k < head.length; k++) {
    const t = head[k];
    const group = t.text === 'template' && head[k + 1]?.text === '<' ? ['<', '>'] : (t.text === '__declspec' || t.text === 'alignas' || t.text === '__attribute__') && head[k + 1]?.text === '(' ? ['(', ')'] : undefined;
    if (!group) {
      out.push(t);
      continue;
    }
    let depth = 0;
    for (k++; k < head.length; k++) {
      if (head[k].text === group[0]) depth++;
      else if (head[k].text === group[1] && --depth === 0) break;
    }
  }
  return out;
}

/** Split a declaration at its top-level commas and record each declarator that is given one string literal. */
function declarations(tokens: readonly Tok[], owner: string[], add: (segments: string[], value: string) => void): void {
  if (!tokens.some((t) => t.kind === 'str')) return;
  if (tokens[0]?.kind === 'id' && ['typedef', 'using', 'return', 'static_assert', 'friend', 'template'].includes(tokens[0].text)) return;
  const parts: Tok[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(' || t.text === '{' || t.text === '[' || t.text === '<') depth++;
    else if (t.text === ')' || t.text === '}' || t.text === ']' || t.text === '>') depth = Math.max(0, depth - 1);
    if (t.text === ',' && depth === 0) parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  let typed = false;
  parts.forEach((part, k) => {
    const declarator = declaratorOf(part, k === 0);
    if (k === 0) typed = !!declarator;
    if (!declarator || !typed) return;
    const value = initValue(part.slice(declarator.initAt));
    if (value !== undefined) add([...owner, ...declarator.segments], value);
  });
}

/** The declarator's (qualified) name and where its initializer starts: `X = `, `X{`, `X(`, `X[] =`. */
function declaratorOf(part: readonly Tok[], needsType: boolean): { segments: string[]; initAt: number } | undefined {
  const initAt = part.findIndex((t) => t.text === '=' || t.text === '{' || t.text === '(');
  if (initAt < 0) return undefined;
  // Back over `[]`/`[N]` of an array declarator.
  let k = initAt - 1;
  if (part[k]?.text === ']') {
    while (k >= 0 && part[k].text !== '[') k--;
    k--;
  }
  if (part[k]?.kind !== 'id' || SPECIFIERS.has(part[k].text)) return undefined;
  const segments = [part[k].text];
  for (k--; k >= 1 && part[k].text === '::' && part[k - 1].kind === 'id'; k -= 2) segments.unshift(part[k - 1].text);
  if (part[k]?.text === '::') return undefined;
  const typeWords = part.slice(0, k + 1).filter((t) => t.kind === 'id' && !SPECIFIERS.has(t.text));
  if (needsType && !typeWords.length) return undefined;
  return { segments, initAt };
}

/** The string an initializer holds: one literal (adjacent literals join), with only wrapper words around it. */
function initValue(init: readonly Tok[]): string | undefined {
  let value: string | undefined;
  let lastWasString = false;
  for (const t of init) {
    if (t.kind === 'str') {
      const s = macroString(t.text);
      if (s === undefined) return undefined;
      if (value !== undefined && !lastWasString) return undefined;
      value = (value ?? '') + s;
      lastWasString = true;
      continue;
    }
    lastWasString = false;
    if (t.kind === 'id' ? !INIT_WORDS.has(t.text) : !['=', '(', ')', '{', '}', '::', '^', '*'].includes(t.text)) return undefined;
  }
  return value;
}
