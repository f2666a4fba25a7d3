// Shared XML reading for manifests and project files: fast-xml-parser (captureMetaData) gives each
// element's [start, end) offsets, a sticky-regex start-tag scanner recovers attribute name/value
// ranges from those offsets, and a walk resolves namespaces (xmlns on any element). Never throws.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Span } from '../facts/types';
import { LineIndex } from '../text/lineIndex';

export interface XmlAttr {
  /** Qualified name as written (`uap4:SupportsMultipleInstances`). */
  name: string;
  /** Entity-decoded value. */
  value: string;
  nameSpan: Span;
  /** The raw value without its quotes. */
  valueSpan: Span;
}

export interface XmlElement {
  /** Qualified name as written (`uap:Extension`). */
  name: string;
  prefix: string;
  local: string;
  /** Namespace URI the element is in ('' when its prefix is unbound). */
  namespace: string;
  /** Whole element, `<` to one past the closing `>`. */
  span: Span;
  /** The name right after `<`. */
  nameSpan: Span;
  startTag: Span;
  selfClosing: boolean;
  /** The element had no end tag (truncated or mismatched file). */
  unclosed: boolean;
  attrs: XmlAttr[];
  children: XmlElement[];
  parent?: XmlElement;
  /** Prefix ('' for the default namespace) → URI in scope at this element. */
  scope: Record<string, string>;
}

export interface XmlDocument {
  /** The text that was parsed. */
  text: string;
  root?: XmlElement;
  /** Every element in document order. */
  elements: XmlElement[];
  syntaxError?: { message: string; span: Span };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decode the predefined entities and character references; unknown ones stay as written. */
export function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body] ?? whole;
  });
}

const NAME = /[^\s<>/=!?"']+/y;
// One attribute (quoted, or unquoted for recovery, or a bare name) or the end of the tag.
const ATTRIBUTE = /\s*(?:([^\s<>/=!?"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>/]+)))?|(\/?>))/y;

export interface StartTag {
  name: string;
  nameSpan: Span;
  attrs: XmlAttr[];
  /** One past the `>` of the start tag (or where scanning stopped). */
  end: number;
  selfClosing: boolean;
}

/** Scan the start tag at `start` (which must be `<`); undefined when no tag name follows. */
export function scanStartTag(text: string, start: number): StartTag | undefined {
  if (text.charCodeAt(start) !== 60 /* < */) return undefined;
  NAME.lastIndex = start + 1;
  const nm = NAME.exec(text);
  if (!nm) return undefined;
  const name = nm[0];
  const attrs: XmlAttr[] = [];
  let pos = NAME.lastIndex;
  for (;;) {
    ATTRIBUTE.lastIndex = pos;
    const m = ATTRIBUTE.exec(text);
    if (!m || m[0].length === 0) {
      // Malformed tag: it ends at the next `>` before another `<`.
      const gt = text.indexOf('>', pos);
      const lt = text.indexOf('<', pos);
      const end = gt >= 0 && (lt < 0 || gt < lt) ? gt + 1 : lt >= 0 ? lt : text.length;
      return { name, nameSpan: { start: start + 1, end: start + 1 + name.length }, attrs, end, selfClosing: false };
    }
    pos = ATTRIBUTE.lastIndex;
    if (m[5]) return { name, nameSpan: { start: start + 1, end: start + 1 + name.length }, attrs, end: pos, selfClosing: m[5] === '/>' };
    const raw = m[2] ?? m[3] ?? m[4];
    const nameStart = m.index + m[0].indexOf(m[1]);
    if (raw === undefined) continue; // bare name (`<a b>`): no value to report
    const quoted = m[4] === undefined ? 1 : 0;
    const valueEnd = pos - quoted;
    attrs.push({
      name: m[1],
      value: decodeEntities(raw),
      nameSpan: { start: nameStart, end: nameStart + m[1].length },
      valueSpan: { start: valueEnd - raw.length, end: valueEnd },
    });
  }
}

export const splitName = (name: string): { prefix: string; local: string } => {
  const colon = name.indexOf(':');
  return colon < 0 ? { prefix: '', local: name } : { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
};

/** The attribute with this qualified name, as written. */
export function attr(el: XmlElement | undefined, name: string): XmlAttr | undefined {
  return el?.attrs.find((a) => a.name === name);
}

/** The attribute with this local name, whatever its prefix. */
export function attrLocal(el: XmlElement | undefined, local: string): XmlAttr | undefined {
  return el?.attrs.find((a) => a.name === local || a.name.endsWith(`:${local}`));
}

export const valueOf = (a: XmlAttr | undefined): { value: string; span: Span } | undefined => (a ? { value: a.value, span: a.valueSpan } : undefined);

export function childrenNamed(el: XmlElement | undefined, local: string): XmlElement[] {
  return el ? el.children.filter((c) => c.local === local) : [];
}

export function descendants(el: XmlElement, local: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (c.local === local) out.push(c);
    descendants(c, local, out);
  }
  return out;
}

/** Text content of an element without child elements, trimmed and decoded, with the raw span. */
export function elementText(text: string, el: XmlElement): { value: string; span: Span } | undefined {
  if (el.selfClosing || el.children.length) return undefined;
  const from = el.startTag.end;
  let to = el.unclosed ? text.indexOf('<', from) : text.lastIndexOf('</', el.span.end - 1);
  if (to < from) to = el.unclosed ? text.length : from;
  let s = from;
  let e = to;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  let raw = text.slice(s, e);
  if (raw.startsWith('<![CDATA[') && raw.endsWith(']]>')) {
    raw = raw.slice(9, -3);
    return { value: raw, span: { start: s + 9, end: e - 3 } };
  }
  return { value: decodeEntities(raw), span: { start: s, end: e } };
}

const lineStartsByDoc = new WeakMap<XmlDocument, number[]>();

/** Start offsets of the document's lines, computed once per parsed document (keyed by the object, not the text: comparing two equal 2 MB strings costs a full scan). */
function lineStarts(doc: XmlDocument): number[] {
  let starts = lineStartsByDoc.get(doc);
  if (starts) return starts;
  const text = doc.text;
  starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  lineStartsByDoc.set(doc, starts);
  return starts;
}

/** The start of the line holding `offset` and its indentation: a binary search, so one long line costs nothing per call. */
export function lineOf(doc: XmlDocument, offset: number): { lineStart: number; indent: string } {
  const starts = lineStarts(doc);
  const text = doc.text;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  const lineStart = starts[lo];
  let end = lineStart;
  while (end < text.length && (text.charCodeAt(end) === 32 || text.charCodeAt(end) === 9)) end++;
  return { lineStart, indent: text.slice(lineStart, end) };
}

/** Is `offset` the first non-blank character of its line? */
function startsLine(doc: XmlDocument, offset: number): boolean {
  const { lineStart, indent } = lineOf(doc, offset);
  return lineStart + indent.length === offset;
}

/**
 * Where to insert a child of `el` (just after its start tag) and with which indentation: the first
 * child's when it starts a line, else the element's own plus one unit (the unit seen between the
 * element and its parent, else tab or four spaces).
 */
export function childInsert(doc: XmlDocument, el: XmlElement): { offset: number; indent: string } {
  const first = el.children[0];
  if (first && startsLine(doc, first.span.start)) return { offset: el.startTag.end, indent: lineOf(doc, first.span.start).indent };
  const own = lineOf(doc, el.span.start).indent;
  let unit = own.includes('\t') ? '\t' : '    ';
  if (el.parent) {
    const parentIndent = lineOf(doc, el.parent.span.start).indent;
    if (own.length > parentIndent.length && own.startsWith(parentIndent)) unit = own.slice(parentIndent.length);
  }
  return { offset: el.startTag.end, indent: own + unit };
}

type OrderedNode = Record<string, unknown>;

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;
const parser = new XMLParser({
  preserveOrder: true,
  captureMetaData: true,
  ignoreAttributes: true, // attributes come from the start-tag scanner (exact ranges, raw text)
  parseTagValue: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: false,
});

function parseOrdered(text: string): OrderedNode[] {
  try {
    return parser.parse(text) as OrderedNode[];
  } catch {
    // fast-xml-parser gives up on a start tag cut off by the end of the file: blank the tail from
    // the last `<` (same length, so offsets stay valid) and read what comes before it.
    const lt = text.lastIndexOf('<');
    if (lt < 0) return [];
    try {
      return parser.parse(text.slice(0, lt) + ' '.repeat(text.length - lt)) as OrderedNode[];
    } catch {
      return [];
    }
  }
}

function build(text: string, nodes: OrderedNode[], parent: XmlElement | undefined, scope: Record<string, string>, out: XmlElement[], depth: number): XmlElement[] {
  const result: XmlElement[] = [];
  if (depth > 500) return result;
  for (const node of nodes) {
    const key = Object.keys(node).find((k) => k !== ':@');
    if (!key || key[0] === '#' || key[0] === '?' || key[0] === '!') continue;
    const md = (node as Record<symbol, { startIndex?: number; endIndex?: number } | undefined>)[META];
    const start = md?.startIndex;
    if (typeof start !== 'number' || start < 0 || start >= text.length) continue;
    const tag = scanStartTag(text, start);
    if (!tag || tag.name !== key) continue; // offsets we cannot trust: skip rather than guess
    const unclosed = !tag.selfClosing && !(typeof md?.endIndex === 'number' && md.endIndex >= tag.end && md.endIndex <= text.length);
    const end = tag.selfClosing ? tag.end : unclosed ? text.length : (md!.endIndex as number);
    let elementScope = scope;
    for (const a of tag.attrs) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
        if (elementScope === scope) elementScope = { ...scope };
        elementScope[a.name === 'xmlns' ? '' : a.name.slice(6)] = a.value;
      }
    }
    const { prefix, local } = splitName(tag.name);
    const el: XmlElement = {
      name: tag.name,
      prefix,
      local,
      namespace: elementScope[prefix] ?? '',
      span: { start, end },
      nameSpan: tag.nameSpan,
      startTag: { start, end: tag.end },
      selfClosing: tag.selfClosing,
      unclosed,
      attrs: tag.attrs,
      children: [],
      parent,
      scope: elementScope,
    };
    out.push(el);
    result.push(el);
    const kids = node[key];
    if (Array.isArray(kids)) el.children = build(text, kids as OrderedNode[], el, elementScope, out, depth + 1);
    // Mismatched tags can leave a child reaching past its unclosed parent; keep spans nested.
    for (const c of el.children) if (c.span.end > el.span.end) el.span.end = c.span.end;
  }
  return result;
}

const TOKEN = /[A-Za-z_:\u00C0-\uFFFD][\w.:\-\u00B7-\uFFFD]*/y;

/** Span of the token at `offset` for a syntax error: a `<...>` tag, a name, or one character. */
function errorSpan(text: string, offset: number): Span {
  if (!text.length) return { start: 0, end: 0 };
  let start = Math.min(Math.max(0, offset), text.length - 1);
  // Errors reported on the blank before a token (an attribute list) point at the token.
  let next = start;
  while (next < text.length && (text[next] === ' ' || text[next] === '\t')) next++;
  if (next > start && next < text.length && text[next] !== '\r' && text[next] !== '\n') start = next;
  if (text[start] === '<') {
    let e = start + 1;
    while (e < text.length && text[e] !== '>' && text[e] !== '<' && text[e] !== '\n' && text[e] !== '\r') e++;
    return { start, end: e < text.length && text[e] === '>' ? e + 1 : e };
  }
  TOKEN.lastIndex = start;
  const m = TOKEN.exec(text);
  if (m && m[0].length) return { start, end: start + m[0].length };
  // Step over a surrogate pair as one character.
  const cp = text.codePointAt(start) ?? 0;
  return { start, end: Math.min(text.length, start + (cp > 0xffff ? 2 : 1)) };
}

function validate(text: string, elements: XmlElement[]): { message: string; span: Span } | undefined {
  let result: ReturnType<typeof XMLValidator.validate>;
  try {
    result = XMLValidator.validate(text);
  } catch (e) {
    return { message: `XML is not well-formed: ${(e as Error).message}`, span: errorSpan(text, 0) };
  }
  if (result === true) return undefined;
  const err = result.err;
  const lines = new LineIndex(text);
  // Unclosed tags at the end of the file come back as "Invalid '[...]' found." at 1:1: point at the
  // innermost tag that was never closed instead.
  if (err.code === 'InvalidXml' && /^Invalid '\[/.test(err.msg)) {
    const open = elements.filter((e) => e.unclosed);
    const innermost = open[open.length - 1];
    if (innermost) {
      const at = lines.positionAt(innermost.span.start);
      return { message: `Expected closing tag '${innermost.name}' (opened in line ${at.line + 1}, col ${at.character + 1}) before the end of the file.`, span: innermost.nameSpan };
    }
    // The tag the parser could not read at all: the last `<`.
    const lt = text.lastIndexOf('<');
    if (lt >= 0) return { message: 'Tags are not closed before the end of the file.', span: errorSpan(text, lt) };
  }
  const offset = lines.offsetAt({ line: Math.max(0, (err.line ?? 1) - 1), character: Math.max(0, (err.col ?? 1) - 1) });
  const message = err.msg.length > 300 ? `${err.msg.slice(0, 297)}...` : err.msg;
  return { message, span: errorSpan(text, offset) };
}

/** Parse an XML file into a namespace-resolved element tree; malformed input gives syntaxError plus what could be read. */
export function parseXml(text: string): XmlDocument {
  const elements: XmlElement[] = [];
  let roots: XmlElement[] = [];
  try {
    roots = build(text, parseOrdered(text), undefined, { xml: 'http://www.w3.org/XML/1998/namespace' }, elements, 0);
  } catch {
    // Anything unexpected in the tree walk: keep the elements read so far.
  }
  const syntaxError = validate(text, elements);
  return { text, root: roots[0], elements, syntaxError };
}
