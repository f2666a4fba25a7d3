// Classes of a C# file: background task classes (IBackgroundTask in the base list) with their Run
// method, deferrals and Canceled subscription, and every other class for the sealed/public rules.
import type { Node } from 'web-tree-sitter';
import type { ClassFact, DeferralFact, RunMethodFact, Span, TaskClassFact } from '../../facts/types';
import { ancestor, compactText, indentAt, indentUnit, spanOf, tokenChild } from '../tsUtil';
import type { CSharpFile, FunctionScope, Site, TypeScope } from './scan';
import { bindingType, calleeParts, lookup, sitesOf } from './scan';
import { isNameChain, simpleName } from './values';

const ACCESS = new Set(['public', 'internal', 'private', 'protected', 'file']);

function modifiersOf(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => !!c && c.type === 'modifier');
}

/** Platform classes that implement IBackgroundTask for their subclasses, which override OnRun instead of Run. */
export const PLATFORM_TASK_BASES = new Set(['XamlRenderingBackgroundTask']);

function baseTypes(typeNode: Node): Node[] {
  const bases = typeNode.namedChildren.find((c) => c?.type === 'base_list');
  const out: Node[] = [];
  for (const base of bases?.namedChildren ?? []) {
    const type = base?.type === 'primary_constructor_base_type' ? base.namedChildren[0] : base;
    if (type) out.push(type);
  }
  return out;
}

/** Attributes that make a class a COM class activated by CLSID. */
function isComClass(typeNode: Node): boolean {
  return typeNode.namedChildren.some((c) => c?.type === 'attribute_list' && /\b(Guid|ComVisible|ClassInterface)(Attribute)?\s*\(/.test(c.text));
}

/** Does the base list name IBackgroundTask itself (plain or qualified), not IBackgroundTaskInstance & co? */
export function implementsBackgroundTask(typeNode: Node): boolean {
  const bases = typeNode.namedChildren.find((c) => c?.type === 'base_list');
  if (!bases) return false;
  for (const base of bases.namedChildren) {
    if (!base) continue;
    const type = base.type === 'primary_constructor_base_type' ? base.namedChildren[0] : base;
    if (simpleName(type) === 'IBackgroundTask' && type?.type !== 'generic_name') return true;
  }
  return false;
}

interface ClassShape {
  isPublic: boolean;
  isSealed: boolean;
  isStatic: boolean;
  isAbstract: boolean;
  sealedFix?: { offset: number; text: string };
  publicFix?: { span: Span; text: string };
}

function shapeOf(type: TypeScope): ClassShape {
  const modifiers = modifiersOf(type.node);
  const words = modifiers.map((m) => m.text);
  const isStatic = words.includes('static');
  const isAbstract = words.includes('abstract');
  const isSealed = words.includes('sealed');
  const keyword = tokenChild(type.node, type.kind === 'record' ? 'record' : 'class') ?? type.nameNode;
  // `partial` must stay right before `class`, so `sealed` goes before it.
  const partial = modifiers.find((m) => m.text === 'partial');
  const sealedAt = partial && partial.startIndex < keyword.startIndex ? partial.startIndex : keyword.startIndex;
  const access = modifiers.filter((m) => ACCESS.has(m.text));
  const shape: ClassShape = { isPublic: words.includes('public'), isSealed: isSealed || isStatic, isStatic, isAbstract };
  if (!shape.isSealed && !isAbstract) shape.sealedFix = { offset: sealedAt, text: 'sealed ' };
  if (!shape.isPublic) {
    if (access.length) shape.publicFix = { span: { start: access[0].startIndex, end: access[access.length - 1].endIndex }, text: 'public' };
    else {
      const at = modifiers[0]?.startIndex ?? keyword.startIndex;
      shape.publicFix = { span: { start: at, end: at }, text: 'public ' };
    }
  }
  return shape;
}

function bodyInsertOf(file: CSharpFile, type: TypeScope): TaskClassFact['bodyInsert'] {
  const body = type.node.childForFieldName('body');
  const brace = body && tokenChild(body, '{');
  if (!body || !brace || brace.isMissing) return undefined;
  const firstMember = body.namedChildren.find((c) => c && c.type !== 'comment');
  const classIndent = indentAt(file.text, type.node.startIndex);
  const indent = firstMember && firstMember.startIndex > brace.endIndex ? indentAt(file.text, firstMember.startIndex) : classIndent + indentUnit(classIndent);
  return { offset: brace.endIndex, indent: indent.length > classIndent.length ? indent : classIndent + indentUnit(classIndent) };
}

function isRunMethod(fn: FunctionScope, name = 'Run'): boolean {
  if (fn.name !== name || fn.node.type !== 'method_declaration' || fn.parameters.length !== 1) return false;
  return simpleName(fn.parameters[0].type) === 'IBackgroundTaskInstance';
}

const FUNCTION_BOUNDARY = new Set(['method_declaration', 'constructor_declaration', 'local_function_statement', 'lambda_expression', 'anonymous_method_expression', 'accessor_declaration', 'property_declaration']);
const FINALLY = new Set(['finally_clause']);

/** Starts asynchronous work that outlives a synchronous return from Run (§8 #7). */
function asyncWorkAt(site: Site): boolean {
  const node = site.node;
  if (node.type === 'await_expression') return true;
  if (node.type === 'assignment_expression') {
    // `_ = FooAsync();` discards a task that keeps running.
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    return left?.type === 'identifier' && left.text === '_' && right?.type === 'invocation_expression' && /Async$/.test(calleeParts(right).name ?? '');
  }
  if (node.type !== 'invocation_expression') return false;
  const { name, receiver } = calleeParts(node);
  if (!name) return false;
  if (name === 'ContinueWith' || name === 'AsTask') return true;
  const receiverName = receiver ? compactText(receiver) : '';
  if (/(^|\.)ThreadPoolTimer$/.test(receiverName) && name.startsWith('Create')) return true;
  if (/(^|\.)ThreadPool$/.test(receiverName) && name === 'RunAsync') return true;
  if (/(^|\.)Task$/.test(receiverName) && name === 'Run') return true;
  if (/(^|\.)Task\.Factory$/.test(receiverName) && name === 'StartNew') return true;
  // A bare `FooAsync();` statement: fire-and-forget.
  return /Async$/.test(name) && node.parent?.type === 'expression_statement';
}

function runFact(file: CSharpFile, type: TypeScope, run: FunctionScope): RunMethodFact {
  const body = run.node.childForFieldName('body');
  const inRun = (s: Site) => s.fn === run && s.lambdas === 0;
  const sites = sitesOf(file, type);
  let asyncWork: Node | undefined;
  for (const list of [sites.awaits, sites.invocations, sites.assignments]) {
    for (const s of list) if (inRun(s) && asyncWorkAt(s) && (!asyncWork || s.node.startIndex < asyncWork.startIndex)) asyncWork = s.node;
  }
  const firstAwait = sites.awaits.find(inRun)?.node.startIndex;
  const hasTryFinally =
    !!body &&
    body.descendantsOfType('try_statement').some((t) => t?.namedChildren.some((c) => c?.type === 'finally_clause') && ancestor(t, FUNCTION_BOUNDARY)?.id === run.node.id);
  return {
    span: spanOf(run.node),
    nameSpan: run.nameNode ? spanOf(run.nameNode) : spanOf(run.node),
    isAsync: modifiersOf(run.node).some((m) => m.text === 'async'),
    bodySpan: body?.type === 'block' ? spanOf(body) : undefined,
    asyncWork: asyncWork ? spanOf(asyncWork) : undefined,
    deferrals: deferralsOf(file, type, run, firstAwait),
    hasTryFinally,
  };
}

/** The variable a `GetDeferral()` result is stored in: `var d = ...`, `d = ...`, `this._d = ...`. */
function deferralVariable(call: Node): string | undefined {
  const parent = call.parent;
  if (parent?.type === 'variable_declarator') return parent.childForFieldName('name')?.text;
  if (parent?.type === 'assignment_expression' && parent.childForFieldName('right')?.id === call.id) {
    const left = parent.childForFieldName('left');
    return left ? compactText(left).replace(/^this\./, '') : undefined;
  }
  return undefined;
}

function deferralsOf(file: CSharpFile, type: TypeScope, run: FunctionScope, firstAwait: number | undefined): DeferralFact[] {
  const sites = sitesOf(file, type);
  const out: DeferralFact[] = [];
  for (const s of sites.invocations) {
    if (calleeParts(s.node).name !== 'GetDeferral' || s.node.childForFieldName('arguments')?.namedChildCount) continue;
    if (!isTaskInstance(file, s, calleeParts(s.node).receiver)) continue;
    const variable = deferralVariable(s.node);
    let completed = false;
    let completedInFinally = false;
    if (variable) {
      for (const c of sites.invocations) {
        const { name, receiver } = calleeParts(c.node);
        if (name !== 'Complete' || !receiver || compactText(receiver).replace(/^this\./, '') !== variable) continue;
        completed = true;
        if (ancestor(c.node, FINALLY, FUNCTION_BOUNDARY)) completedInFinally = true;
      }
      // Handed to other code (an argument, another variable): we cannot follow it, so assume it completes.
      if (!completed && escapes(file, type, variable)) completed = true;
    } else {
      // Chained `GetDeferral().Complete()`, passed along or returned: only a bare statement is surely lost.
      completed = s.node.parent?.type !== 'expression_statement';
    }
    out.push({
      span: spanOf(s.node),
      variable,
      completed,
      completedInFinally,
      afterAwait: s.fn === run && firstAwait !== undefined && s.node.startIndex > firstAwait,
    });
  }
  return out;
}

/**
 * Is the receiver of `x.GetDeferral()` the task instance? Other deferrals (an app service message's
 * `args.GetDeferral()`, a suspension's) are not the task's: a receiver typed as something else, or a
 * member of an event argument (`args.Request`), is left out.
 */
function isTaskInstance(file: CSharpFile, site: Site, receiver: Node | undefined): boolean {
  if (!receiver) return true;
  const r = receiver.type === 'parenthesized_expression' ? receiver.namedChildren[0] ?? receiver : receiver;
  if (r.type === 'member_access_expression' && r.childForFieldName('expression')?.type !== 'this') return /instance/i.test(r.text);
  if (!isNameChain(r)) return true;
  const binding = lookup(file, compactText(r), site);
  const type = bindingType(binding);
  if (type) return /(^|\.)I?BackgroundTaskInstance$/.test(simpleName(type) ?? '') || simpleName(type) === 'IBackgroundTaskInstance';
  // An untyped lambda parameter or an unknown name: by its name.
  return !/^(args|e|eventArgs)$/i.test(compactText(r)) || /instance/i.test(compactText(r));
}

function escapes(file: CSharpFile, type: TypeScope, variable: string): boolean {
  const isVar = (n: Node | null | undefined) => !!n && (n.type === 'identifier' || n.type === 'member_access_expression') && compactText(n).replace(/^this\./, '') === variable;
  const sites = sitesOf(file, type);
  for (const s of sites.invocations) {
    const args = s.node.childForFieldName('arguments');
    if (args?.namedChildren.some((a) => a?.type === 'argument' && isVar(a.namedChildren[a.namedChildCount - 1]))) return true;
  }
  for (const s of sites.assignments) if (isVar(s.node.childForFieldName('right'))) return true;
  for (const d of sites.declarators) if (isVar(d.value)) return true;
  return false;
}

function handlesCanceled(file: CSharpFile, type: TypeScope): boolean {
  return sitesOf(file, type).assignments.some((s) => {
    if (s.node.childForFieldName('operator')?.text !== '+=') return false;
    const left = s.node.childForFieldName('left');
    return left?.type === 'member_access_expression' && left.childForFieldName('name')?.text === 'Canceled';
  });
}

export function classFacts(file: CSharpFile): { taskClasses: TaskClassFact[]; classes: ClassFact[] } {
  const taskClasses: TaskClassFact[] = [];
  const classes: ClassFact[] = [];
  for (const type of file.types) {
    if (type.kind !== 'class' && type.kind !== 'record') continue;
    const shape = shapeOf(type);
    const bases = baseTypes(type.node);
    const platformBase = bases.map((b) => simpleName(b)).find((n) => !!n && PLATFORM_TASK_BASES.has(n));
    if (!implementsBackgroundTask(type.node) && !platformBase) {
      const written = bases.map((b) => compactText(b).replace(/<.*$/, '')).filter(Boolean);
      classes.push({ name: type.name, fullName: type.fullName, nameSpan: spanOf(type.nameNode), isPublic: shape.isPublic, isSealed: shape.isSealed, isStatic: shape.isStatic, sealedFix: shape.sealedFix, ...(written.length ? { bases: written } : {}) });
      continue;
    }
    // A platform base's subclass overrides OnRun(IBackgroundTaskInstance); the base's Run calls it.
    const run = file.functions.find((f) => f.type === type && isRunMethod(f)) ?? (platformBase ? file.functions.find((f) => f.type === type && isRunMethod(f, 'OnRun')) : undefined);
    taskClasses.push({
      language: 'csharp',
      name: type.name,
      fullName: type.fullName,
      nameSpan: spanOf(type.nameNode),
      span: spanOf(type.node),
      isPublic: shape.isPublic,
      isSealed: shape.isSealed,
      sealedFix: shape.sealedFix,
      publicFix: shape.publicFix,
      bodyInsert: bodyInsertOf(file, type),
      run: run ? runFact(file, type, run) : undefined,
      handlesCanceled: handlesCanceled(file, type),
      ...(isComClass(type.node) ? { isComClass: true } : {}),
      ...(shape.isAbstract ? { isAbstract: true } : {}),
      ...(platformBase ? { platformBase } : {}),
    });
  }
  return { taskClasses, classes };
}
