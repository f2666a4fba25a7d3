// C++ expressions as facts: names as written (`A::B::C`, `this->x`), literal values (`L"..."`, raw
// and concatenated strings, numbers, booleans), and the `ref new XTrigger(...)` / `XTrigger(...)` /
// `XTrigger{...}` / `SystemCondition(...)` shapes that registrations and helper calls pass. Texts are
// read from the original file (the tree was parsed from the masked text, whose offsets are the same).
import type { Node } from 'web-tree-sitter';
import type { ConditionFact, Span, TriggerFact, ValueFact } from '../../facts/types';
import { spanOf } from '../tsUtil';

const NAME_TYPES = new Set(['identifier', 'field_identifier', 'type_identifier', 'namespace_identifier', 'primitive_type', 'this', 'auto']);

/** The name nodes of a (qualified, templated) name: `A::B<C>::D` → [A, B, D]; `a->b.c` → [a, b, c]. */
export function nameNodes(node: Node | null | undefined): Node[] | undefined {
  if (!node) return undefined;
  if (NAME_TYPES.has(node.type)) return [node];
  switch (node.type) {
    case 'qualified_identifier': {
      const scope = node.childForFieldName('scope');
      const name = node.childForFieldName('name');
      const head = scope ? nameNodes(scope) : [];
      const tail = nameNodes(name);
      return head && tail ? [...head, ...tail] : undefined;
    }
    case 'nested_namespace_specifier': {
      const out: Node[] = [];
      for (const c of node.namedChildren) {
        const part = c && nameNodes(c);
        if (!part) return undefined;
        out.push(...part);
      }
      return out;
    }
    case 'template_type':
    case 'template_function':
    case 'template_method':
      return nameNodes(node.childForFieldName('name'));
    case 'destructor_name':
    case 'operator_name':
      return [node];
    case 'type_descriptor':
      return nameNodes(node.childForFieldName('type'));
    case 'dependent_name':
    case 'dependent_type':
      return nameNodes(node.namedChildren[0]);
    case 'field_expression': {
      const head = nameNodes(node.childForFieldName('argument'));
      const field = node.childForFieldName('field');
      const tail = nameNodes(field);
      return head && tail ? [...head, ...tail] : undefined;
    }
    case 'parenthesized_expression':
      return undefined;
    default:
      return undefined;
  }
}

export function nameSegments(node: Node | null | undefined, text?: string): string[] | undefined {
  return nameNodes(node)?.map((n) => (text ? text.slice(n.startIndex, n.endIndex) : n.text));
}

/** Simple name of a type, callee or name: `Windows::X::Foo<T>` → `Foo`. */
export function simpleName(node: Node | null | undefined): string | undefined {
  const parts = nameNodes(node);
  return parts?.[parts.length - 1]?.text;
}

/** The template arguments of the last part of a name: `winrt::implements<X, Y>` → [X, Y]. */
export function templateArguments(node: Node | null | undefined): Node[] {
  let n = node;
  while (n && n.type === 'qualified_identifier') n = n.childForFieldName('name');
  if (!n || (n.type !== 'template_type' && n.type !== 'template_function' && n.type !== 'template_method')) return [];
  const list = n.childForFieldName('arguments');
  return (list?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment').map((c) => (c.type === 'type_descriptor' ? c.childForFieldName('type') ?? c : c));
}

/** A node's span; a `new` expression's includes the C++/CX `ref` the masking hid before it. */
export function spanIn(text: string, node: Node): Span {
  const span = spanOf(node);
  if (node.type === 'new_expression') {
    const m = /\bref\s+$/.exec(text.slice(Math.max(0, span.start - 40), span.start));
    if (m) span.start -= m[0].length;
  }
  return span;
}

export function unwrapParens(node: Node): Node {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildren[0]) n = n.namedChildren[0];
  return n;
}

/** Original text without whitespace. */
export function compact(text: string, node: Node): string {
  return text.slice(node.startIndex, node.endIndex).replace(/\s+/g, '');
}

/** A name as the facts write it: `::` and `->` become `.`, `this->` and template arguments go. */
export function dotted(written: string): string {
  let s = written.replace(/\s+/g, '');
  // Drop template arguments (innermost first).
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(/<[^<>()]*>/g, '');
  }
  return s.replace(/^::/, '').replace(/::|->/g, '.').replace(/^this\./, '').replace(/^\(\*this\)\./, '');
}

/** `a`, `this->a`, `A::B::C`, `a.b->c`: a chain of names the link step can resolve. */
export function isNameChain(node: Node): boolean {
  switch (node.type) {
    case 'identifier':
    case 'field_identifier':
      return true;
    case 'qualified_identifier': {
      const parts = nameNodes(node);
      return !!parts && parts.every((p) => p.type !== 'this') && !node.descendantsOfType('template_argument_list').length;
    }
    case 'field_expression': {
      const arg = node.childForFieldName('argument');
      return !!arg && node.childForFieldName('field')?.type === 'field_identifier' && (arg.type === 'this' || isNameChain(arg));
    }
    default:
      return false;
  }
}

/** A name chain in the facts' dotted form (`this->x` → `x`, `A::B` → `A.B`). */
export function chainName(text: string, node: Node): string {
  return dotted(text.slice(node.startIndex, node.endIndex));
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'", '?': '?' };

function decodeEscape(seq: string): string {
  const kind = seq[1];
  if (kind === 'x' || kind === 'u' || kind === 'U') {
    const code = parseInt(seq.slice(2), 16);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : seq;
  }
  if (kind >= '0' && kind <= '7') return String.fromCharCode(parseInt(seq.slice(1), 8));
  return SIMPLE_ESCAPES[kind] ?? kind ?? '';
}

/** The value of a string literal (any prefix), raw string or concatenation of them; undefined otherwise. */
export function stringValue(node: Node, text: string): string | undefined {
  switch (node.type) {
    case 'string_literal': {
      let value = '';
      for (const c of node.namedChildren) {
        if (!c) continue;
        if (c.type === 'string_content') value += text.slice(c.startIndex, c.endIndex);
        else if (c.type === 'escape_sequence') value += decodeEscape(text.slice(c.startIndex, c.endIndex));
      }
      return value;
    }
    case 'raw_string_literal': {
      const content = node.namedChildren.find((c) => c?.type === 'raw_string_content');
      return content ? text.slice(content.startIndex, content.endIndex) : '';
    }
    case 'concatenated_string': {
      let value = '';
      for (const c of node.namedChildren) {
        if (!c) continue;
        const part = stringValue(c, text);
        if (part === undefined) return undefined;
        value += part;
      }
      return value;
    }
    default:
      return undefined;
  }
}

/** A string literal as written in a `#define` value: `L"Name"`. */
export function macroString(written: string): string | undefined {
  const m = /^\s*(?:L|u8|u|U)?"((?:[^"\\\r\n]|\\.)*)"\s*$/.exec(written);
  return m ? m[1].replace(/\\(x[0-9a-fA-F]+|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.)/g, (s) => decodeEscape(s)) : undefined;
}

export function numberValue(written: string): number | undefined {
  const t = written.replace(/'/g, '').replace(/(?:[uU](?:ll|LL|l|L|z|Z)?|(?:ll|LL|l|L|z|Z)[uU]?)$/, '');
  let n: number;
  if (/^0[xX]/.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^0[bB]/.test(t)) n = parseInt(t.slice(2), 2);
  else if (/^0[0-7]+$/.test(t)) n = parseInt(t, 8);
  else n = Number(t.replace(/[fFlL]$/, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** Wrappers that turn a literal into a WinRT string: `ref new String(L"x")`, `hstring(L"x")`, `StringReference(L"x")`. */
const STRING_WRAPPERS = new Set(['String', 'StringReference', 'hstring', 'wstring', 'basic_string', 'wstring_view']);

/** The arguments of a call, `new`, braced init or (vexing-parse) parameter list. */
export function argumentNodes(list: Node | null | undefined): Node[] {
  if (!list) return [];
  const out: Node[] = [];
  for (const c of list.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'parameter_declaration' && !c.childForFieldName('declarator')) out.push(c.childForFieldName('type') ?? c);
    else out.push(c);
  }
  return out;
}

/** A ValueFact for an expression. String spans cover the whole literal, prefix and quotes included. */
export function valueOf(original: Node, text: string): ValueFact {
  const node = unwrapParens(original);
  const span = spanIn(text, original);
  const str = stringValue(node, text);
  if (str !== undefined) return { kind: 'string', value: str, span };
  const written = text.slice(node.startIndex, node.endIndex);
  switch (node.type) {
    case 'number_literal': {
      const n = numberValue(written);
      if (n !== undefined) return { kind: 'number', value: n, span };
      break;
    }
    case 'unary_expression': {
      const operand = node.childForFieldName('argument');
      const n = operand?.type === 'number_literal' ? numberValue(text.slice(operand.startIndex, operand.endIndex)) : undefined;
      if (n !== undefined && written.trimStart().startsWith('-')) return { kind: 'number', value: -n, span };
      break;
    }
    case 'true':
    case 'false':
      return { kind: 'boolean', value: node.type === 'true', span };
    case 'type_identifier':
      // A vexing-parse "parameter" `false`.
      if (written === 'true' || written === 'false') return { kind: 'boolean', value: written === 'true', span };
      break;
    case 'field_expression': {
      // C++/CX `Tasks::MyTask::typeid->FullName`.
      const arg = node.childForFieldName('argument');
      const parts = arg?.type === 'qualified_identifier' ? nameSegments(arg, text) : undefined;
      if (parts && parts.length > 1 && parts[parts.length - 1] === 'typeid' && node.childForFieldName('field')?.text === 'FullName') {
        return { kind: 'typeName', name: parts.slice(0, -1).join('.'), span };
      }
      break;
    }
    case 'call_expression':
    case 'new_expression':
    case 'compound_literal_expression': {
      const fn = node.type === 'call_expression' ? node.childForFieldName('function') : node.childForFieldName('type');
      // C++/WinRT `winrt::name_of<Tasks::MyTask>()`.
      if (fn && simpleName(fn) === 'name_of') {
        const arg = templateArguments(fn)[0];
        const parts = arg && nameSegments(arg, text);
        if (parts) return { kind: 'typeName', name: parts.filter((p) => p !== 'winrt' && p !== 'implementation').join('.'), span };
      }
      const args = argumentNodes(node.childForFieldName(node.type === 'compound_literal_expression' ? 'value' : 'arguments'));
      if (fn && args.length === 1 && STRING_WRAPPERS.has(simpleName(fn) ?? '')) {
        const inner = stringValue(unwrapParens(args[0]), text);
        if (inner !== undefined) return { kind: 'string', value: inner, span };
      }
      break;
    }
  }
  if (isNameChain(node)) return { kind: 'reference', name: chainName(text, node), span };
  return { kind: 'expression', text: text.slice(span.start, span.end), span };
}

export interface Creation {
  /** Simple type name. */
  name: string;
  type: Node;
  node: Node;
  args: Node[];
  /** The anchor when it is not the node's own span (`T t{...}`: the declaration without its `;`). */
  span?: Span;
}

const CALLED_TYPE = /^(?:[A-Z]\w*(?:Trigger|Condition)|BackgroundTaskBuilder)$/;
const VERB = /^(?:Create|Get|Make|New|Build|Add|Set|Register|Find|To|As)[A-Z]/;

/**
 * `ref new X(...)`, `new X(...)`, `X{...}`, and `X(...)` when X is named like a trigger, condition or
 * builder class (C++/WinRT constructs by calling the type).
 */
export function creationOf(node: Node | null | undefined): Creation | undefined {
  if (!node) return undefined;
  const n = unwrapParens(node);
  if (n.type === 'new_expression') {
    const type = n.childForFieldName('type');
    const name = simpleName(type);
    return type && name ? { name, type, node: n, args: argumentNodes(n.childForFieldName('arguments')) } : undefined;
  }
  if (n.type === 'compound_literal_expression') {
    const type = n.childForFieldName('type');
    const name = simpleName(type);
    return type && name ? { name, type, node: n, args: argumentNodes(n.childForFieldName('value')) } : undefined;
  }
  if (n.type === 'call_expression') {
    const fn = n.childForFieldName('function');
    if (!fn || (fn.type !== 'identifier' && fn.type !== 'qualified_identifier')) return undefined;
    const name = simpleName(fn);
    if (!name || !CALLED_TYPE.test(name) || VERB.test(name)) return undefined;
    return { name, type: fn, node: n, args: argumentNodes(n.childForFieldName('arguments')) };
  }
  return undefined;
}

export function isTriggerClassName(name: string): boolean {
  return name.endsWith('Trigger') && name !== 'IBackgroundTrigger';
}

/** The enum member an argument names: `SystemTriggerType::TimeZoneChange` → TimeZoneChange. */
function enumMember(node: Node | undefined, text: string): { name: string; span: Span } | undefined {
  if (!node) return undefined;
  const parts = nameNodes(unwrapParens(node));
  const last = parts?.[parts.length - 1];
  if (!last || last.type === 'this') return undefined;
  return { name: text.slice(last.startIndex, last.endIndex), span: spanOf(last) };
}

/** A TriggerFact for a trigger creation, with the SystemTriggerType member and freshness/oneShot arguments. */
export function triggerFromCreation(c: Creation, text: string, span: Span = c.span ?? spanIn(text, c.node)): TriggerFact | undefined {
  if (!isTriggerClassName(c.name)) return undefined;
  const fact: TriggerFact = { className: c.name, span };
  if (c.name === 'SystemTrigger') {
    fact.systemTriggerType = enumMember(c.args[0], text);
    if (c.args[1]) fact.oneShot = valueOf(c.args[1], text);
  } else if (c.name === 'TimeTrigger' || c.name === 'MaintenanceTrigger') {
    if (c.args[0]) fact.freshness = valueOf(c.args[0], text);
    if (c.args[1]) fact.oneShot = valueOf(c.args[1], text);
  }
  return fact;
}

/** A ConditionFact for a SystemCondition creation; `span` is the given anchor. */
export function conditionFromCreation(c: Creation, text: string, span: Span): ConditionFact | undefined {
  if (c.name !== 'SystemCondition') return undefined;
  const member = enumMember(c.args[0], text);
  return member ? { type: member.name, span, typeSpan: member.span } : { span };
}
