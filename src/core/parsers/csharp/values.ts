// C# expressions as facts: literal and reference values (ValueFact), type names as written, and
// the `new XTrigger(...)` / `new SystemCondition(...)` shapes that registrations and helper calls pass.
import type { Node } from 'web-tree-sitter';
import type { ConditionFact, Span, TriggerFact, ValueFact } from '../../facts/types';
import { compactText, spanOf } from '../tsUtil';

/** The simple name of a type or callee as written: `A.B.Foo` → `Foo`, `Foo<T>` → `Foo`, `global::X` → `X`. */
export function simpleName(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'identifier':
      return node.text;
    case 'generic_name':
      return node.namedChildren[0]?.text;
    case 'qualified_name':
    case 'alias_qualified_name':
    case 'member_access_expression':
      return simpleName(node.childForFieldName('name'));
    case 'member_binding_expression':
      return simpleName(node.childForFieldName('name'));
    case 'nullable_type':
      return simpleName(node.namedChildren[0]);
    case 'predefined_type':
      return node.text;
    default:
      return undefined;
  }
}

/** A type or name as written, without whitespace and `global::`. */
export function typeText(node: Node | null | undefined): string | undefined {
  return node ? compactText(node).replace(/^global::/, '') : undefined;
}

/** The expression of an `argument` node (skipping a `name:` label and `ref`/`out`). */
export function argumentExpression(arg: Node): Node | null {
  const named = arg.namedChildren;
  const last = named[named.length - 1];
  return last && last.id !== arg.childForFieldName('name')?.id ? last : null;
}

export interface Argument {
  node: Node;
  /** `name:` label of a named argument. */
  label?: string;
  expression: Node;
}

export function argumentsOf(argumentList: Node | null | undefined): Argument[] {
  const out: Argument[] = [];
  if (!argumentList) return out;
  for (const arg of argumentList.namedChildren) {
    if (!arg || arg.type !== 'argument') continue;
    const expression = argumentExpression(arg);
    if (expression) out.push({ node: arg, label: arg.childForFieldName('name')?.text, expression });
  }
  return out;
}

/** Pick an argument by its parameter name, else by position among the positional arguments. */
export function argumentFor(args: Argument[], label: string, position: number): Argument | undefined {
  const byLabel = args.find((a) => a.label === label);
  if (byLabel) return byLabel;
  const positional = args.filter((a) => !a.label);
  return positional[position];
}

export function unwrapParens(node: Node): Node {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildren[0]) n = n.namedChildren[0];
  return n;
}

/** `a`, `this.a`, `A.B.C`: a chain of names the link step can resolve through constants. */
export function isNameChain(node: Node): boolean {
  if (node.type === 'identifier') return true;
  if (node.type !== 'member_access_expression') return false;
  const expression = node.childForFieldName('expression');
  const name = node.childForFieldName('name');
  if (!expression || name?.type !== 'identifier') return false;
  return expression.type === 'this' || isNameChain(expression);
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b' };

function decodeEscape(seq: string): string {
  const kind = seq[1];
  if (kind === 'u' || kind === 'x' || kind === 'U') {
    const code = parseInt(seq.slice(2), 16);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : seq;
  }
  return SIMPLE_ESCAPES[kind] ?? kind ?? '';
}

/** The value of a string literal node, or undefined when the node is not a plain literal. */
export function stringValue(node: Node): string | undefined {
  switch (node.type) {
    case 'string_literal': {
      let value = '';
      for (const c of node.namedChildren) {
        if (!c) continue;
        if (c.type === 'string_literal_content') value += c.text;
        else if (c.type === 'escape_sequence') value += decodeEscape(c.text);
      }
      return value;
    }
    case 'verbatim_string_literal': {
      const t = node.text;
      return t.startsWith('@"') && t.endsWith('"') && t.length >= 3 ? t.slice(2, -1).replace(/""/g, '"') : undefined;
    }
    case 'raw_string_literal': {
      const content = node.namedChildren.find((c) => c?.type === 'raw_string_content');
      if (!content) return '';
      const raw = content.text;
      if (!/[\r\n]/.test(raw)) return raw;
      // Multi-line raw strings drop the first and last line and the closing line's indentation.
      const lines = raw.split(/\r\n|\r|\n/);
      const closingIndent = /^[ \t]*$/.test(lines[lines.length - 1]) ? lines[lines.length - 1].length : 0;
      return lines.slice(1, -1).map((l) => l.slice(closingIndent)).join('\n');
    }
    case 'interpolated_string_expression': {
      if (node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
      const t = node.text;
      const verbatim = /^(\$@|@\$)/.test(t);
      let value = '';
      for (const c of node.namedChildren) {
        if (!c) continue;
        if (c.type === 'string_content') value += verbatim ? c.text.replace(/""/g, '"') : c.text;
        else if (c.type === 'escape_sequence') value += decodeEscape(c.text);
      }
      return value.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    }
    default:
      return undefined;
  }
}

function numberValue(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  let n: number;
  if (/^0[xX]/.test(t)) n = parseInt(t.slice(2).replace(/[uUlL]+$/, ''), 16);
  else if (/^0[bB]/.test(t)) n = parseInt(t.slice(2).replace(/[uUlL]+$/, ''), 2);
  else n = Number(t.replace(/([uUlL]+|[fFdDmM])$/, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** A ValueFact for an expression. String spans cover the whole literal, quotes (and `@`/`$`) included. */
export function valueOf(original: Node): ValueFact {
  const node = unwrapParens(original);
  const span = spanOf(original);
  const str = stringValue(node);
  if (str !== undefined) return { kind: 'string', value: str, span };
  switch (node.type) {
    case 'integer_literal':
    case 'real_literal': {
      const n = numberValue(node.text);
      if (n !== undefined) return { kind: 'number', value: n, span };
      break;
    }
    case 'prefix_unary_expression': {
      const operand = node.namedChildren[0];
      const n = operand && (operand.type === 'integer_literal' || operand.type === 'real_literal') ? numberValue(operand.text) : undefined;
      if (n !== undefined && node.text.trimStart().startsWith('-')) return { kind: 'number', value: -n, span };
      break;
    }
    case 'boolean_literal':
      return { kind: 'boolean', value: node.text === 'true', span };
    case 'member_access_expression': {
      const expression = node.childForFieldName('expression');
      if (expression?.type === 'typeof_expression' && node.childForFieldName('name')?.text === 'FullName') {
        const type = expression.childForFieldName('type');
        if (type) return { kind: 'typeName', name: typeText(type)!, span };
      }
      break;
    }
    case 'invocation_expression': {
      const fn = node.childForFieldName('function');
      const args = argumentsOf(node.childForFieldName('arguments'));
      if (fn?.type === 'identifier' && fn.text === 'nameof' && args.length === 1) return { kind: 'typeName', name: typeText(args[0].expression)!, span };
      break;
    }
  }
  if (isNameChain(node)) return { kind: 'reference', name: compactText(node).replace(/^this\./, ''), span };
  return { kind: 'expression', text: original.text, span };
}

/** `new X(...)` with an explicit type: the simple type name and the node, else undefined. */
export function creationType(node: Node | null | undefined): { name: string; type: Node } | undefined {
  if (!node) return undefined;
  const n = unwrapParens(node);
  if (n.type !== 'object_creation_expression') return undefined;
  const type = n.childForFieldName('type');
  const name = simpleName(type);
  return type && name ? { name, type } : undefined;
}

export function isTriggerClassName(name: string): boolean {
  return name.endsWith('Trigger') && name !== 'IBackgroundTrigger';
}

/** A TriggerFact for `new XTrigger(...)`, with the SystemTriggerType member and freshness/oneShot arguments. */
export function triggerFromCreation(creation: Node): TriggerFact | undefined {
  const created = creationType(creation);
  if (!created || !isTriggerClassName(created.name)) return undefined;
  const node = unwrapParens(creation);
  const fact: TriggerFact = { className: created.name, span: spanOf(node) };
  const args = argumentsOf(node.childForFieldName('arguments'));
  if (created.name === 'SystemTrigger') {
    const typeArg = argumentFor(args, 'triggerType', 0)?.expression;
    const member = typeArg && unwrapParens(typeArg);
    if (member?.type === 'member_access_expression') {
      const name = member.childForFieldName('name');
      if (name) fact.systemTriggerType = { name: name.text, span: spanOf(name) };
    } else if (member?.type === 'identifier') {
      fact.systemTriggerType = { name: member.text, span: spanOf(member) }; // `using static SystemTriggerType`
    }
    const oneShot = argumentFor(args, 'oneShot', 1);
    if (oneShot) fact.oneShot = valueOf(oneShot.expression);
  } else if (created.name === 'TimeTrigger' || created.name === 'MaintenanceTrigger') {
    const freshness = argumentFor(args, 'freshnessTime', 0);
    if (freshness) fact.freshness = valueOf(freshness.expression);
    const oneShot = argumentFor(args, 'oneShot', 1);
    if (oneShot) fact.oneShot = valueOf(oneShot.expression);
  }
  return fact;
}

/** A ConditionFact for `new SystemCondition(SystemConditionType.X)`; `span` is the given anchor. */
export function conditionFromCreation(creation: Node, span: Span): ConditionFact | undefined {
  const created = creationType(creation);
  if (!created || created.name !== 'SystemCondition') return undefined;
  const args = argumentsOf(unwrapParens(creation).childForFieldName('arguments'));
  const typeArg = argumentFor(args, 'conditionType', 0)?.expression;
  const member = typeArg && unwrapParens(typeArg);
  const name = member?.type === 'member_access_expression' ? member.childForFieldName('name') : member?.type === 'identifier' ? member : null;
  return name ? { type: name.text, span, typeSpan: spanOf(name) } : { span };
}
