// The C# facts extractor: parses with tree-sitter (grammar loaded by the caller), scans the tree once
// (csharp/scan), then builds task classes, classes, registrations and helper calls, constants,
// RequestAccessAsync calls, OnBackgroundActivated and ApplicationTrigger.RequestAsync sites.
import type { Node } from 'web-tree-sitter';
import { emptyFacts, type FileFacts, type Span } from '../facts/types';
import { classFacts } from './csharp/classes';
import { registrationFacts } from './csharp/registrations';
import { bindingType, calleeParts, lookup, scanCSharp, type CSharpFile, type TypeScope } from './csharp/scan';
import { attachScopes } from '../facts/scopes';
import { creationType, simpleName, stringValue, unwrapParens } from './csharp/values';
import { parserFor } from './treeSitter';
import { compactText, spanOf, withTree } from './tsUtil';

export function extractCSharp(path: string, text: string): FileFacts {
  const facts = emptyFacts(path, 'csharp');
  return withTree(() => parserFor('csharp').parse(text), facts, 'C#', (tree) => {
    const file = scanCSharp(tree, text);
    const { taskClasses, classes } = classFacts(file);
    facts.taskClasses = taskClasses;
    facts.classes = classes;
    const { registrations, calls } = registrationFacts(file);
    facts.registrations = registrations;
    facts.calls = calls;
    facts.constants = constantsOf(file);
    if (file.usings.size) facts.usings = [...file.usings];
    const lookups = [...new Set(file.functions.filter((f) => f.mentionsAllTasks && f.node.type === 'method_declaration').map((f) => f.name))];
    if (lookups.length) facts.allTasksFunctions = lookups;
    attachScopes(facts, (offset) => typeAt(file, offset)?.fullName);
    facts.requestAccess = requestAccessCalls(file);
    facts.onBackgroundActivated = onBackgroundActivated(file);
    facts.applicationTriggerRequests = applicationTriggerRequests(file);
  });
}

const STRING_TYPES = new Set(['string', 'String', 'System.String']);

/** `const string X = "..."` and `static readonly string X = "..."` fields, by full name `Ns.Outer.Class.X` (names resolve by scope at link time). */
function constantsOf(file: CSharpFile): Record<string, string> {
  const constants: Record<string, string> = {};
  for (const d of file.declarators) {
    if (!d.isField || !d.value || !d.site.type) continue;
    const isConstant = d.modifiers.includes('const') || (d.modifiers.includes('static') && d.modifiers.includes('readonly'));
    if (!isConstant || !d.type || !STRING_TYPES.has(compactText(d.type))) continue;
    const value = stringValue(unwrapParens(d.value));
    if (value === undefined) continue;
    const type = d.site.type;
    const key = `${type.fullName}.${d.name}`;
    if (!(key in constants)) constants[key] = value;
  }
  // Get-only string properties that return a literal (`string EntryPoint => "Tasks.X";`) stand for it too.
  for (const fn of file.functions) {
    if (fn.node.type !== 'property_declaration' || !fn.type || !fn.nameNode) continue;
    const type = fn.node.childForFieldName('type');
    if (!type || !STRING_TYPES.has(compactText(type))) continue;
    const value = propertyLiteral(fn.node);
    const key = `${fn.type.fullName}.${fn.name}`;
    if (value !== undefined && !(key in constants)) constants[key] = value;
  }
  return constants;
}

/** `=> "x"`, `{ get => "x"; }` or `{ get { return "x"; } }` without a setter: the literal. */
function propertyLiteral(node: Node): string | undefined {
  const arrow = node.namedChildren.find((c) => c?.type === 'arrow_expression_clause');
  if (arrow) return arrow.namedChildren[0] ? stringValue(unwrapParens(arrow.namedChildren[0])) : undefined;
  const accessors = node.namedChildren.find((c) => c?.type === 'accessor_list')?.namedChildren.filter((c) => c?.type === 'accessor_declaration') ?? [];
  if (accessors.length !== 1 || !/^get\b/.test(accessors[0]!.text)) return undefined;
  const get = accessors[0]!;
  const body = get.namedChildren.find((c) => c?.type === 'arrow_expression_clause' || c?.type === 'block');
  if (body?.type === 'arrow_expression_clause') return body.namedChildren[0] ? stringValue(unwrapParens(body.namedChildren[0])) : undefined;
  const statements = body?.namedChildren.filter((c) => c?.type !== 'comment') ?? [];
  if (statements.length !== 1 || statements[0]!.type !== 'return_statement' || !statements[0]!.namedChildren[0]) return undefined;
  return stringValue(unwrapParens(statements[0]!.namedChildren[0]!));
}

/** The innermost type declaration holding an offset (types are listed in document order). */
function typeAt(file: CSharpFile, offset: number): TypeScope | undefined {
  let best: TypeScope | undefined;
  for (const t of file.types) if (t.node.startIndex <= offset && offset < t.node.endIndex) best = t;
  return best;
}

function requestAccessCalls(file: CSharpFile): Span[] {
  const out: Span[] = [];
  for (const s of file.invocations) {
    const { name, receiver } = calleeParts(s.node);
    if ((name === 'RequestAccessAsync' || name === 'RequestAccessKindAsync') && receiver && /(^|\.)BackgroundExecutionManager$/.test(compactText(receiver))) out.push(spanOf(s.node));
  }
  return out;
}

function onBackgroundActivated(file: CSharpFile): Span | undefined {
  const override = file.functions.find((f) => f.node.type === 'method_declaration' && f.name === 'OnBackgroundActivated' && f.nameNode);
  if (override?.nameNode) return spanOf(override.nameNode);
  for (const s of file.assignments) {
    const left = s.node.childForFieldName('left');
    const name = left?.type === 'member_access_expression' ? left.childForFieldName('name') : left;
    if (name?.text === 'BackgroundActivated' && s.node.childForFieldName('operator')?.text === '+=') return spanOf(name);
  }
  return undefined;
}

/** `trigger.RequestAsync(...)` where the receiver is typed, created or named like an ApplicationTrigger. */
function applicationTriggerRequests(file: CSharpFile): Span[] {
  const out: Span[] = [];
  for (const s of file.invocations) {
    const { name, receiver } = calleeParts(s.node);
    if (name !== 'RequestAsync' || !receiver) continue;
    const r = unwrapParens(receiver);
    const created = creationType(r)?.name;
    const declared = simpleName(bindingType(lookup(file, compactText(r), s)));
    if (created === 'ApplicationTrigger' || declared === 'ApplicationTrigger' || (!created && !declared && /trigger/i.test(r.text))) out.push(spanOf(s.node));
  }
  return out;
}
