// JavaScript/TypeScript expressions as facts: literal and reference values (ValueFact), name chains
// (`a.b.c`, `this.x`), and the `new X.SystemTrigger(X.SystemTriggerType.timeZoneChange, false)` /
// `new X.SystemCondition(...)` shapes that registrations and helper calls pass. The WinRT projection
// is camelCase, so enum members are reported in PascalCase like the C# facts.
import type { Node } from 'web-tree-sitter';
import type { ConditionFact, Span, TriggerFact, ValueFact } from '../../facts/types';
import { pascalCase } from '../../model/catalog';
import { compactText, spanOf } from '../tsUtil';

const WRAPPERS = new Set(['parenthesized_expression', 'as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion']);

/** Strip parentheses and TypeScript-only wrappers (`x as T`, `x!`, `<T>x`, `x satisfies T`). */
export function unwrap(node: Node): Node {
  let n = node;
  for (let i = 0; i < 50 && WRAPPERS.has(n.type); i++) {
    const named = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    const inner = n.type === 'type_assertion' ? named[named.length - 1] : named[0];
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** `a`, `this.a`, `A.B.C`: a chain of names (property access only, no calls or subscripts). */
export function isNameChain(node: Node): boolean {
  if (node.type === 'identifier' || node.type === 'this') return true;
  if (node.type !== 'member_expression') return false;
  const object = node.childForFieldName('object');
  const property = node.childForFieldName('property');
  if (!object || property?.type !== 'property_identifier') return false;
  return isNameChain(object);
}

/** A name chain as text without whitespace, optional-chaining marks and a leading `this.`. */
export function chainText(node: Node): string {
  return compactText(node).replace(/\?\./g, '.').replace(/^this\./, '');
}

/** The last segment of a name chain or the property of a member expression: `a.b.Foo` → `Foo`. */
export function lastName(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (n.type === 'identifier' || n.type === 'property_identifier' || n.type === 'type_identifier') return n.text;
  if (n.type === 'member_expression') return n.childForFieldName('property')?.text;
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

function decodeEscape(seq: string): string {
  const kind = seq[1];
  if (kind === undefined) return '';
  if (kind === '\r' || kind === '\n' || kind === '\u2028' || kind === '\u2029') return ''; // line continuation
  if (kind === 'x' || kind === 'u') {
    const hex = seq.slice(2).replace(/[{}]/g, '');
    const code = parseInt(hex, 16);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : seq.slice(1);
  }
  if (/^[0-7]{2,3}$/.test(seq.slice(1))) return String.fromCharCode(parseInt(seq.slice(1), 8));
  return SIMPLE_ESCAPES[kind] ?? seq.slice(1);
}

/** The value of a string literal or a template literal without substitutions, else undefined. */
export function stringValue(node: Node): string | undefined {
  if (node.type !== 'string' && node.type !== 'template_string') return undefined;
  let value = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'string_fragment') value += c.text;
    else if (c.type === 'escape_sequence') value += decodeEscape(c.text);
    else if (c.type === 'template_substitution') return undefined;
  }
  // Unterminated or half-typed literals still give the text typed so far.
  return value;
}

/** The name a property key stands for: `a`, `"a"`, `'a'`, `["a"]`; undefined for computed keys. */
export function keyName(key: Node | null | undefined): string | undefined {
  if (!key) return undefined;
  if (key.type === 'property_identifier' || key.type === 'identifier' || key.type === 'private_property_identifier') return key.text;
  if (key.type === 'string') return stringValue(key);
  if (key.type === 'computed_property_name') {
    const inner = key.namedChildren[0];
    return inner?.type === 'string' ? stringValue(inner) : undefined;
  }
  return undefined;
}

function numberValue(text: string): number | undefined {
  const t = text.replace(/_/g, '').replace(/n$/, '');
  const n = /^0[0-7]+$/.test(t) ? parseInt(t, 8) : Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** A ValueFact for an expression. String spans cover the whole literal, quotes included. */
export function valueOf(original: Node): ValueFact {
  const node = unwrap(original);
  const span = spanOf(original);
  const str = stringValue(node);
  if (str !== undefined) return { kind: 'string', value: str, span };
  switch (node.type) {
    case 'number': {
      const n = numberValue(node.text);
      if (n !== undefined) return { kind: 'number', value: n, span };
      break;
    }
    case 'unary_expression': {
      const operand = node.childForFieldName('argument');
      const operator = node.childForFieldName('operator')?.text;
      const n = operand?.type === 'number' ? numberValue(operand.text) : undefined;
      if (n !== undefined && (operator === '-' || operator === '+')) return { kind: 'number', value: operator === '-' ? -n : n, span };
      break;
    }
    case 'true':
    case 'false':
      return { kind: 'boolean', value: node.type === 'true', span };
    case 'binary_expression': {
      // Constant folding of literals only: `60 * 24`, `"js\\" + "task.js"`.
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const operator = node.childForFieldName('operator')?.text;
      const l = left && valueOf(left);
      const r = right && valueOf(right);
      if (l?.kind === 'string' && r?.kind === 'string' && operator === '+') return { kind: 'string', value: l.value + r.value, span };
      if (l?.kind === 'number' && r?.kind === 'number') {
        const n = operator === '+' ? l.value + r.value : operator === '-' ? l.value - r.value : operator === '*' ? l.value * r.value : operator === '/' ? l.value / r.value : NaN;
        if (Number.isFinite(n)) return { kind: 'number', value: n, span };
      }
      break;
    }
  }
  if (isNameChain(node) && node.type !== 'this' && !(node.type === 'identifier' && (node.text === 'undefined' || node.text === 'NaN' || node.text === 'Infinity'))) {
    return { kind: 'reference', name: chainText(node), span };
  }
  return { kind: 'expression', text: original.text, span };
}

/** The argument expressions of a call or `new` (comments skipped). */
export function argumentsOf(call: Node): Node[] {
  const list = call.childForFieldName('arguments');
  if (!list || list.type !== 'arguments') return [];
  return list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

/** `new X(...)`: the constructor's simple name and the constructor expression, else undefined. */
export function creationType(node: Node | null | undefined): { name: string; ctor: Node } | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (n.type !== 'new_expression') return undefined;
  const ctor = n.childForFieldName('constructor');
  const name = ctor && isNameChain(ctor) ? lastName(ctor) : undefined;
  return ctor && name ? { name, ctor } : undefined;
}

export function isTriggerClassName(name: string): boolean {
  return name.endsWith('Trigger') && name !== 'IBackgroundTrigger';
}

/** The enum member of `X.SystemTriggerType.timeZoneChange` (or a bare name) in PascalCase with its span. */
function enumMember(arg: Node | undefined): { name: string; span: Span } | undefined {
  const member = arg && unwrap(arg);
  if (!member) return undefined;
  const name = member.type === 'member_expression' ? member.childForFieldName('property') : member.type === 'identifier' ? member : null;
  if (!name || name.type === 'private_property_identifier') return undefined;
  return { name: pascalCase(name.text), span: spanOf(name) };
}

/** A TriggerFact for `new X.YTrigger(...)`; `className` may be given when an alias was resolved. */
export function triggerFromCreation(creation: Node, className?: string): TriggerFact | undefined {
  const created = creationType(creation);
  const name = className ?? created?.name;
  if (!created || !name || !isTriggerClassName(name)) return undefined;
  const node = unwrap(creation);
  const fact: TriggerFact = { className: name, span: spanOf(node) };
  const args = argumentsOf(node);
  if (name === 'SystemTrigger') {
    const member = enumMember(args[0]);
    if (member) fact.systemTriggerType = member;
    if (args[1]) fact.oneShot = valueOf(args[1]);
  } else if (name === 'TimeTrigger' || name === 'MaintenanceTrigger') {
    if (args[0]) fact.freshness = valueOf(args[0]);
    if (args[1]) fact.oneShot = valueOf(args[1]);
  }
  return fact;
}

/** A ConditionFact for `new X.SystemCondition(X.SystemConditionType.internetAvailable)`; `span` is the anchor. */
export function conditionFromCreation(creation: Node, span: Span, className?: string): ConditionFact | undefined {
  const created = creationType(creation);
  if (!created || (className ?? created.name) !== 'SystemCondition') return undefined;
  const member = enumMember(argumentsOf(unwrap(creation))[0]);
  return member ? { type: member.name, span, typeSpan: member.span } : { span };
}
