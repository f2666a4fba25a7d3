// Background tasks written in JavaScript/TypeScript: task scripts (WebUIBackgroundTaskInstance.current,
// ended by the worker's close()) and TypeScript classes implementing IBackgroundTask with their run
// method, deferrals and canceled subscription.
import type { Node } from 'web-tree-sitter';
import type { DeferralFact, JsTaskFact, RunMethodFact, SourceLanguage, TaskClassFact } from '../../facts/types';
import { ancestor, indentAt, indentUnit, spanOf, tokenChild } from '../tsUtil';
import { eventSubscriptions } from './registrations';
import type { ClassScope, FunctionScope, JsFile, Site } from './scan';
import { calleeParts, FUNCTION_TYPES, lookup, resolveChain } from './scan';
import { argumentsOf, chainText, isNameChain, unwrap } from './values';

/** The site of an arbitrary node: its innermost function and class. */
export function siteAt(file: JsFile, node: Node): Site {
  let fn: FunctionScope | undefined;
  for (const f of file.functions) if (f.node.startIndex <= node.startIndex && node.endIndex <= f.node.endIndex) fn = f;
  let cls: ClassScope | undefined;
  for (const c of file.classes) if (c.node.startIndex <= node.startIndex && node.endIndex <= c.node.endIndex) cls = c;
  return { node, fn, cls };
}

const inside = (outer: Node, inner: Node) => outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;

/** The first `X.WebUIBackgroundTaskInstance.current` written as code (through aliases). */
function taskInstanceCurrent(file: JsFile): Node | undefined {
  const re = /\bcurrent\b/g;
  for (let m = re.exec(file.text); m; m = re.exec(file.text)) {
    const node = file.root.descendantForIndex(m.index, m.index + m[0].length);
    const member = node?.type === 'property_identifier' ? node.parent : null;
    if (member?.type !== 'member_expression' || member.childForFieldName('property')?.id !== node!.id) continue;
    const object = member.childForFieldName('object');
    if (!object || !isNameChain(object)) continue;
    const chain = resolveChain(file, object, siteAt(file, member));
    if (chain === 'WebUIBackgroundTaskInstance' || chain.endsWith('.WebUIBackgroundTaskInstance')) return member;
  }
  return undefined;
}

const WORKER_GLOBALS = new Set(['self', 'globalThis']);

/** Calls the worker's close(): `close()`, `self.close()`, or hands `close` over as a callback. */
function callsClose(file: JsFile): boolean {
  const ownClose = file.functionsByName.get('close')?.some((f) => f.node.type === 'function_declaration');
  const isGlobalClose = (n: Node, site: Site) => n.type === 'identifier' && n.text === 'close' && !ownClose && !lookup(file, 'close', site);
  for (const s of file.calls) {
    const fn = s.node.childForFieldName('function');
    const f = fn && unwrap(fn);
    if (!f) continue;
    if (isGlobalClose(f, s)) return true;
    if (f.type === 'member_expression' && f.childForFieldName('property')?.text === 'close') {
      const object = f.childForFieldName('object');
      if (object?.type === 'identifier' && WORKER_GLOBALS.has(object.text)) return true;
    }
    if (argumentsOf(s.node).some((a) => isGlobalClose(unwrap(a), s))) return true;
  }
  return false;
}

/** End of the file's last statement (comments excluded), where a `close();` fix goes. */
function lastStatementEnd(file: JsFile): number {
  const children = file.root.namedChildren;
  for (let i = children.length - 1; i >= 0; i--) {
    const c = children[i];
    if (c && c.type !== 'comment' && c.type !== 'hash_bang_line') return c.endIndex;
  }
  return file.text.trimEnd().length;
}

export function jsTaskFacts(file: JsFile): JsTaskFact[] {
  const current = taskInstanceCurrent(file);
  if (!current) return [];
  return [{ span: spanOf(current), callsClose: callsClose(file), handlesCanceled: eventSubscriptions(file, 'canceled').length > 0, closeInsertOffset: lastStatementEnd(file) }];
}

/** `implements IBackgroundTask` (plain or qualified), not IBackgroundTaskInstance or a generic. */
function implementsBackgroundTask(cls: ClassScope): boolean {
  const heritage = cls.node.namedChildren.find((c) => c?.type === 'class_heritage');
  const clause = heritage?.namedChildren.find((c) => c?.type === 'implements_clause');
  for (const type of clause?.namedChildren ?? []) {
    if (!type) continue;
    const name = type.type === 'nested_type_identifier' ? type.childForFieldName('name')?.text : type.type === 'type_identifier' ? type.text : undefined;
    if (name === 'IBackgroundTask') return true;
  }
  return false;
}

function bodyInsertOf(file: JsFile, cls: ClassScope): TaskClassFact['bodyInsert'] {
  const body = cls.node.childForFieldName('body');
  const brace = body && tokenChild(body, '{');
  if (!body || !brace || brace.isMissing) return undefined;
  const firstMember = body.namedChildren.find((c) => c && c.type !== 'comment');
  const classIndent = indentAt(file.text, cls.node.startIndex);
  const indent = firstMember && firstMember.startIndex > brace.endIndex ? indentAt(file.text, firstMember.startIndex) : '';
  return { offset: brace.endIndex, indent: indent.length > classIndent.length ? indent : classIndent + indentUnit(classIndent) };
}

const FINALLY = new Set(['finally_clause']);
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'requestAnimationFrame']);

/** Starts asynchronous work that outlives a synchronous return from run. */
function asyncWorkAt(site: Site): boolean {
  const node = site.node;
  if (node.type === 'await_expression') return true;
  if (node.type !== 'call_expression') return false;
  const { name, receiver } = calleeParts(node);
  if (!name) return false;
  if (!receiver && TIMERS.has(name)) return true;
  if (receiver && (name === 'then' || name === 'done' || name === 'catch' || name === 'finally')) return true;
  const receiverName = receiver && isNameChain(unwrap(receiver)) ? chainText(unwrap(receiver)) : '';
  if (/(^|\.)ThreadPoolTimer$/.test(receiverName) && name.startsWith('create')) return true;
  if (/(^|\.)ThreadPool$/.test(receiverName) && name === 'runAsync') return true;
  // A bare `fooAsync();` statement: fire-and-forget.
  return /Async$/.test(name) && node.parent?.type === 'expression_statement';
}

function variableOf(call: Node): string | undefined {
  const parent = call.parent;
  if (parent?.type === 'variable_declarator' && parent.childForFieldName('value')?.id === call.id) {
    const name = parent.childForFieldName('name');
    return name?.type === 'identifier' ? name.text : undefined;
  }
  if (parent?.type === 'assignment_expression' && parent.childForFieldName('right')?.id === call.id) {
    const left = parent.childForFieldName('left');
    return left && isNameChain(left) ? chainText(left) : undefined;
  }
  return undefined;
}

function deferralsOf(file: JsFile, cls: ClassScope, run: FunctionScope, firstAwait: number | undefined): DeferralFact[] {
  const inClass = (s: Site) => s.cls === cls;
  const out: DeferralFact[] = [];
  const isVar = (n: Node | null | undefined, variable: string) => !!n && isNameChain(unwrap(n)) && chainText(unwrap(n)) === variable;
  for (const s of file.calls) {
    if (!inClass(s) || calleeParts(s.node).name !== 'getDeferral' || argumentsOf(s.node).length) continue;
    const variable = variableOf(s.node);
    let completed = false;
    let completedInFinally = false;
    if (variable) {
      for (const c of file.calls) {
        if (!inClass(c)) continue;
        const { name, receiver } = calleeParts(c.node);
        if (name !== 'complete' || !isVar(receiver, variable)) continue;
        completed = true;
        if (ancestor(c.node, FINALLY, FUNCTION_TYPES)) completedInFinally = true;
      }
      // Handed to other code (an argument, another variable): we cannot follow it, so assume it completes.
      if (!completed) {
        const passed = file.calls.some((c) => inClass(c) && argumentsOf(c.node).some((a) => isVar(a, variable)));
        const copied = file.assignments.some((a) => inClass(a) && isVar(a.node.childForFieldName('right'), variable)) || file.declarators.some((d) => inClass(d.site) && isVar(d.value, variable));
        completed = passed || copied;
      }
    } else {
      // Chained `getDeferral().complete()`, passed along or returned: only a bare statement is surely lost.
      completed = s.node.parent?.type !== 'expression_statement';
    }
    out.push({ span: spanOf(s.node), variable, completed, completedInFinally, afterAwait: s.fn === run && firstAwait !== undefined && s.node.startIndex > firstAwait });
  }
  return out;
}

function runFact(file: JsFile, cls: ClassScope, run: FunctionScope): RunMethodFact {
  const body = run.node.childForFieldName('body');
  let asyncWork: Node | undefined;
  for (const list of [file.awaits, file.calls]) {
    for (const s of list) if (s.fn === run && asyncWorkAt(s) && (!asyncWork || s.node.startIndex < asyncWork.startIndex)) asyncWork = s.node;
  }
  const firstAwait = file.awaits.find((s) => s.fn === run)?.node.startIndex;
  const hasTryFinally = !!body && body.descendantsOfType('try_statement').some((t) => !!t?.childForFieldName('finalizer') && ancestor(t, FUNCTION_TYPES)?.id === run.node.id);
  return {
    span: spanOf(run.node),
    nameSpan: run.nameNode ? spanOf(run.nameNode) : spanOf(run.node),
    isAsync: !!tokenChild(run.node, 'async'),
    bodySpan: body?.type === 'statement_block' ? spanOf(body) : undefined,
    asyncWork: asyncWork ? spanOf(asyncWork) : undefined,
    deferrals: deferralsOf(file, cls, run, firstAwait),
    hasTryFinally,
  };
}

export function taskClassFacts(file: JsFile, language: SourceLanguage): TaskClassFact[] {
  const out: TaskClassFact[] = [];
  const canceled = eventSubscriptions(file, 'canceled');
  for (const cls of file.classes) {
    if (!implementsBackgroundTask(cls)) continue;
    const body = cls.node.childForFieldName('body');
    const run = file.functions.find((f) => f.cls === cls && f.node.type === 'method_definition' && f.name === 'run' && f.node.parent?.id === body?.id);
    const declaration = cls.node.parent?.type === 'export_statement' ? cls.node.parent : cls.node;
    out.push({
      language,
      name: cls.name,
      fullName: cls.fullName,
      nameSpan: spanOf(cls.nameNode),
      span: spanOf(declaration),
      // A module's class is reachable only when exported; TypeScript has no `sealed`, so nothing to fix there.
      isPublic: cls.isExported,
      isSealed: true,
      bodyInsert: bodyInsertOf(file, cls),
      run: run ? runFact(file, cls, run) : undefined,
      handlesCanceled: canceled.some((c) => inside(cls.node, c.anchor)),
    });
  }
  return out;
}
