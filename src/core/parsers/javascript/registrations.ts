// BackgroundTaskBuilder registrations in JavaScript/TypeScript (`builder.name = ...`,
// `builder.taskEntryPoint = ...`, setTrigger, addCondition, register), helper registrations fed from
// their function's parameters, and the calls that may reach such helpers, for the workspace link step.
import type { Node } from 'web-tree-sitter';
import type { CallFact, ConditionFact, RegistrationFact, Span, TriggerFact, ValueFact } from '../../facts/types';
import { indentAt, registrationsOf, spanOf } from '../tsUtil';
import type { FunctionScope, JsFile, Site } from './scan';
import { calleeParts, FUNCTION_TYPES, latestValue, lookup, namedFunction, resolveChain } from './scan';
import { argumentsOf, chainText, conditionFromCreation, creationType, isNameChain, isTriggerClassName, stringValue, triggerFromCreation, unwrap, valueOf } from './values';

type HelperParameters = NonNullable<RegistrationFact['helperParameters']>;

const PROPERTIES: Record<string, 'name' | 'entryPoint' | 'cancelOnConditionLoss' | 'isNetworkRequested' | 'taskGroup'> = {
  name: 'name',
  taskEntryPoint: 'entryPoint',
  cancelOnConditionLoss: 'cancelOnConditionLoss',
  isNetworkRequested: 'isNetworkRequested',
  taskGroup: 'taskGroup',
};
const BUILDER_METHODS = new Set(['setTrigger', 'addCondition', 'setTaskEntryPointClsid', 'register']);
const STATEMENT_TYPES = new Set(['variable_declaration', 'lexical_declaration']);
const WRAPPERS = new Set(['parenthesized_expression', 'as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion']);

interface Builder {
  site: Site;
  /** The named function whose parameters make this a helper. */
  helperFn?: FunctionScope;
  fact: RegistrationFact;
  helper: HelperParameters;
}

function lastSegment(chain: string): string {
  return chain.slice(chain.lastIndexOf('.') + 1);
}

/** The class a `new` makes, through aliases: `new background.SystemTrigger(...)` → SystemTrigger. */
function createdClass(file: JsFile, node: Node, site: Site): { name: string; full: string } | undefined {
  const created = creationType(node);
  if (!created) return undefined;
  const full = resolveChain(file, created.ctor, site);
  return { name: lastSegment(full), full };
}

function variableHolding(node: Node): string | undefined {
  let child = node;
  let parent = node.parent;
  while (parent && WRAPPERS.has(parent.type)) {
    child = parent;
    parent = parent.parent;
  }
  if (parent?.type === 'variable_declarator' && parent.childForFieldName('value')?.id === child.id) {
    const name = parent.childForFieldName('name');
    return name?.type === 'identifier' ? name.text : undefined;
  }
  if (parent?.type === 'assignment_expression' && parent.childForFieldName('right')?.id === child.id) {
    const left = parent.childForFieldName('left');
    return left && isNameChain(left) ? chainText(left) : undefined;
  }
  return undefined;
}

export function statementOf(node: Node): Node {
  for (let n: Node | null = node; n && n.type !== 'program'; n = n.parent) {
    if (n.type.endsWith('_statement') || STATEMENT_TYPES.has(n.type)) return n;
  }
  return node;
}

const PROMISE_THEN = new Set(['then', 'done']);

/** A promise call whose chain (this call and those after it) has an error handler. */
function chainHandlesErrors(call: Node): boolean {
  let current: Node | null = call;
  for (let i = 0; current && i < 20; i++) {
    const member: Node | null = current.parent;
    if (member?.type !== 'member_expression' || member.childForFieldName('object')?.id !== current.id) return false;
    const outer: Node | null = member.parent;
    if (outer?.type !== 'call_expression' || outer.childForFieldName('function')?.id !== member.id) return false;
    const name = member.childForFieldName('property')?.text ?? '';
    const args = argumentsOf(outer);
    if (name === 'catch' && args.length >= 1) return true;
    if (PROMISE_THEN.has(name) && args.length >= 2) return true;
    current = outer;
  }
  return false;
}

/** A function passed as the success callback of `.then(ok, error)` / `.done(ok, error)`, or of a chain that catches. */
function promiseHandled(fn: Node): boolean {
  let child = fn;
  let parent = fn.parent;
  while (parent?.type === 'parenthesized_expression') {
    child = parent;
    parent = parent.parent;
  }
  if (parent?.type !== 'arguments') return false;
  const call = parent.parent;
  if (call?.type !== 'call_expression') return false;
  const { name } = calleeParts(call);
  if (!name || !PROMISE_THEN.has(name)) return false;
  const args = argumentsOf(call);
  const index = args.findIndex((a) => a.id === child.id);
  if (index === 0 && args.length >= 2) return true;
  return index === 0 && chainHandlesErrors(call);
}

/** Inside a try block of its own function, or in a promise callback whose errors are handled. */
export function isGuarded(node: Node): boolean {
  for (let n: Node | null = node; n && n.parent; n = n.parent) {
    if (FUNCTION_TYPES.has(n.type)) return promiseHandled(n);
    if (n.type === 'statement_block' && n.parent.type === 'try_statement') return true;
  }
  return false;
}

/**
 * The flow checks allTasks. As in C#, this is looser than a flow analysis: the enclosing function, a
 * function it sits in, a same-file caller (transitively) or a function it calls mentions allTasks, or
 * else its class does, or — outside classes — anything in the file does (WinJS apps keep their
 * registration code in one IIFE, where a lookup function guards the register functions).
 */
export function allTasksChecked(file: JsFile, site: Site): boolean {
  if (site.cls ? site.cls.mentionsAllTasks : file.mentionsAllTasks) return true;
  if (!site.fn) return false;
  const index = callIndex(file);
  const known = index.checked.get(site.fn);
  if (known !== undefined) return known;
  const seen = new Set<FunctionScope>();
  const queue: FunctionScope[] = [site.fn];
  let found = false;
  while (queue.length && !found) {
    const fn = queue.shift()!;
    if (seen.has(fn)) continue;
    seen.add(fn);
    if (fn.mentionsAllTasks) found = true;
    else {
      if (fn.parent) queue.push(fn.parent);
      if (fn.name) for (const caller of index.callersByName.get(fn.name) ?? []) queue.push(caller);
      for (const callee of index.calleesByFn.get(fn) ?? []) if (file.functionsByName.get(callee)?.some((f) => f.mentionsAllTasks)) found = true;
    }
  }
  index.checked.set(site.fn, found);
  return found;
}

interface CallIndex {
  /** Functions that call a name. */
  callersByName: Map<string, FunctionScope[]>;
  /** Names each function calls. */
  calleesByFn: Map<FunctionScope, Set<string>>;
  checked: Map<FunctionScope, boolean>;
}

const callIndexes = new WeakMap<JsFile, CallIndex>();

/** Who calls what, built once per file, so the allTasks search costs no pass over every call per registration. */
function callIndex(file: JsFile): CallIndex {
  let index = callIndexes.get(file);
  if (index) return index;
  index = { callersByName: new Map(), calleesByFn: new Map(), checked: new Map() };
  for (const call of file.calls) {
    const callee = calleeParts(call.node).name;
    if (!callee || !call.fn) continue;
    const callers = index.callersByName.get(callee);
    if (callers) callers.push(call.fn);
    else index.callersByName.set(callee, [call.fn]);
    const callees = index.calleesByFn.get(call.fn);
    if (callees) callees.add(callee);
    else index.calleesByFn.set(call.fn, new Set([callee]));
  }
  callIndexes.set(file, index);
  return index;
}

/** A trigger passed as an expression; `helper` learns the parameter index when it is a parameter of `helperFn`. */
function resolveTrigger(file: JsFile, expression: Node, site: Site, helper?: HelperParameters, helperFn?: FunctionScope): TriggerFact {
  const e = unwrap(expression);
  const span = spanOf(expression);
  const created = createdClass(file, e, site);
  if (created) return triggerFromCreation(e, created.name) ?? { className: isTriggerClassName(created.name) ? created.name : 'unknown', span, unresolved: true };
  if (e.type !== 'identifier') return { className: 'unknown', span, unresolved: true };
  const binding = lookup(file, e.text, site);
  if (binding?.kind === 'parameter') {
    if (helper && helperFn && binding.fn === helperFn) helper.trigger = binding.parameter.index;
    return { className: 'unknown', span, unresolved: true };
  }
  const value = latestValue(file, binding, site);
  const valueSite = binding?.kind === 'local' ? binding.declarator.site : site;
  const followed = value && createdClass(file, value, valueSite);
  if (value && followed) return triggerFromCreation(unwrap(value), followed.name) ?? { className: isTriggerClassName(followed.name) ? followed.name : 'unknown', span, unresolved: true };
  return { className: 'unknown', span, unresolved: true };
}

/** A condition passed to addCondition; undefined when it is a helper parameter (supplied per call site). */
function resolveCondition(file: JsFile, expression: Node, anchor: Span, site: Site, helper?: HelperParameters, helperFn?: FunctionScope): ConditionFact | undefined {
  const e = unwrap(expression);
  const created = createdClass(file, e, site);
  if (created) return conditionFromCreation(e, anchor, created.name) ?? { span: anchor };
  if (e.type === 'identifier') {
    const binding = lookup(file, e.text, site);
    if (binding?.kind === 'parameter' && helper && helperFn && binding.fn === helperFn) {
      helper.condition = binding.parameter.index;
      return undefined;
    }
    const value = latestValue(file, binding, site);
    const followed = value && createdClass(file, value, binding?.kind === 'local' ? binding.declarator.site : site);
    if (value && followed) return conditionFromCreation(unwrap(value), anchor, followed.name) ?? { span: anchor };
  }
  return { span: anchor };
}

/**
 * A value, with a local variable that holds a literal (or a constant's dotted name) and is not
 * reassigned before `site` replaced by what it holds: `var name = "X"; builder.name = name;`.
 */
function followLocal(file: JsFile, value: ValueFact, site: Site, depth = 0): ValueFact {
  if (value.kind !== 'reference' || value.name.includes('.') || depth > 8) return value;
  const binding = lookup(file, value.name, site);
  if (binding?.kind !== 'local' || !binding.declarator.value || latestValue(file, binding, site) !== binding.declarator.value) return value;
  const local = valueOf(binding.declarator.value);
  if (local.kind === 'string' || local.kind === 'number' || local.kind === 'boolean') return local;
  if (local.kind !== 'reference') return value;
  // `const entry = ENTRY_POINT;` or `= Sample.entryPoint`: what the local names, at the use's range.
  const followed = followLocal(file, local, binding.declarator.site, depth + 1);
  return followed.kind === 'reference' ? { kind: 'reference', name: followed.name, span: value.span } : followed;
}

/** A property value; a parameter of the builder's function makes the registration a helper. */
function propertyValue(file: JsFile, expression: Node, site: Site, b: Builder, property: keyof HelperParameters | undefined): ValueFact {
  const value = valueOf(expression);
  if (value.kind !== 'reference' || value.name.includes('.')) return value;
  const binding = lookup(file, value.name, site);
  if (binding?.kind === 'parameter') {
    if (property && b.helperFn && binding.fn === b.helperFn) b.helper[property] = binding.parameter.index;
    return value;
  }
  return followLocal(file, value, site);
}

function applyProperty(file: JsFile, b: Builder, prop: string, right: Node, site: Site): void {
  const key = PROPERTIES[prop];
  if (!key) return;
  const helperKey = key === 'name' || key === 'entryPoint' || key === 'taskGroup' ? key : undefined;
  b.fact[key] = propertyValue(file, right, site, b, helperKey);
}

function applyMethod(file: JsFile, b: Builder, call: Site, name: string): void {
  const first = argumentsOf(call.node)[0];
  switch (name) {
    case 'setTrigger':
      if (first) b.fact.trigger = resolveTrigger(file, first, call, b.helper, b.helperFn);
      break;
    case 'addCondition': {
      const condition = first && resolveCondition(file, first, spanOf(call.node), call, b.helper, b.helperFn);
      if (condition) b.fact.conditions.push(condition);
      break;
    }
    case 'setTaskEntryPointClsid':
      if (first) b.fact.entryPointClsid = valueOf(first);
      break;
    case 'register':
      b.fact.registerCall = spanOf(call.node);
      b.fact.registerGuarded = isGuarded(call.node);
      break;
  }
}

/**
 * `x.addEventListener("completed", ...)` calls and `x.oncompleted = ...` assignments: the receiver
 * (the call itself for a bare `addEventListener(...)`) and the event name as written, for ranges.
 */
export function eventSubscriptions(file: JsFile, event: string): Array<{ receiver: Node; anchor: Node }> {
  const out: Array<{ receiver: Node; anchor: Node }> = [];
  for (const s of file.calls) {
    const { name, receiver } = calleeParts(s.node);
    if (name !== 'addEventListener' && name !== 'attachEvent') continue;
    const first = argumentsOf(s.node)[0];
    const value = first && stringValue(unwrap(first));
    if (first && (value === event || value === `on${event}`)) out.push({ receiver: receiver ?? s.node, anchor: first });
  }
  for (const s of file.assignments) {
    const left = s.node.childForFieldName('left');
    const property = left?.type === 'member_expression' ? left.childForFieldName('property') : null;
    if (left && property?.text === `on${event}`) out.push({ receiver: left.childForFieldName('object') ?? left, anchor: property });
  }
  return out;
}

function setCompletedHandlers(file: JsFile, builders: Builder[]): void {
  // Without types, any completed subscription in the file counts (as a C# file-wide handler does):
  // apps attach handlers in a shared function fed with both new and existing registrations, and a
  // handler chained on register() or on the variable holding its result is one of those.
  const attached = eventSubscriptions(file, 'completed').length > 0;
  for (const b of builders) b.fact.completedHandler = attached;
}

export function registrationFacts(file: JsFile): { registrations: RegistrationFact[]; calls: CallFact[] } {
  const builders: Builder[] = [];
  for (const site of file.news) {
    const created = createdClass(file, site.node, site);
    if (!created || created.name !== 'BackgroundTaskBuilder') continue;
    const statement = statementOf(site.node);
    const owner = namedFunction(site.fn);
    builders.push({
      site,
      helperFn: owner,
      helper: {},
      fact: {
        span: spanOf(site.node),
        builderVariable: variableHolding(site.node),
        // JavaScript sees only the WinRT projection; the App SDK builder has none.
        builderKind: /^Microsoft\.Windows\./.test(created.full) ? 'appsdk' : 'winrt',
        conditions: [],
        registerGuarded: false,
        allTasksChecked: allTasksChecked(file, site),
        completedHandler: false,
        enclosingFunction: owner?.name,
        statementStart: statement.startIndex,
        indent: indentAt(file.text, statement.startIndex),
      },
    });
  }
  if (!builders.length) return { registrations: [], calls: callFacts(file, new Set(), new Set()) };

  const ownerOf = (receiver: Node | null | undefined, site: Site): Builder | undefined => {
    if (!receiver) return undefined;
    const r = unwrap(receiver);
    const direct = builders.find((b) => b.site.node.id === r.id);
    if (direct) return direct;
    if (!isNameChain(r)) return undefined;
    const name = chainText(r);
    let best: Builder | undefined;
    for (const b of builders) {
      if (b.fact.builderVariable !== name || b.site.node.startIndex >= site.node.startIndex) continue;
      const scope = b.site.fn?.node;
      if (scope && (site.node.startIndex < scope.startIndex || site.node.endIndex > scope.endIndex)) continue;
      if (!best || b.site.node.startIndex > best.site.node.startIndex) best = b;
    }
    return best;
  };

  // Source order, so a later assignment wins as it does at run time.
  const uses: Array<{ site: Site; kind: 'assign' | 'call' }> = [];
  for (const s of file.assignments) if (s.node.type === 'assignment_expression') uses.push({ site: s, kind: 'assign' });
  for (const s of file.calls) uses.push({ site: s, kind: 'call' });
  uses.sort((x, y) => x.site.node.startIndex - y.site.node.startIndex);
  const builderCalls = new Set<number>();
  for (const { site, kind } of uses) {
    if (kind === 'assign') {
      const left = site.node.childForFieldName('left');
      const right = site.node.childForFieldName('right');
      if (left?.type !== 'member_expression' || !right) continue;
      const prop = left.childForFieldName('property')?.text;
      if (!prop || !PROPERTIES[prop]) continue;
      const b = ownerOf(left.childForFieldName('object'), site);
      if (b) applyProperty(file, b, prop, right, site);
    } else {
      const { name, receiver } = calleeParts(site.node);
      if (!name || !BUILDER_METHODS.has(name)) continue;
      const b = ownerOf(receiver, site);
      if (!b) continue;
      builderCalls.add(site.node.id);
      applyMethod(file, b, site, name);
    }
  }
  setCompletedHandlers(file, builders);

  const { registrations, helperNames } = registrationsOf(builders, (b) => b.helperFn?.name);
  return { registrations, calls: callFacts(file, helperNames, builderCalls) };
}

/** Calls that may reach a registration helper (here or in another file). */
function callFacts(file: JsFile, helperNames: Set<string>, builderCalls: Set<number>): CallFact[] {
  const calls: CallFact[] = [];
  for (const site of file.calls) {
    if (builderCalls.has(site.node.id)) continue;
    const { name, fn } = calleeParts(site.node);
    if (!name || !fn || (BUILDER_METHODS.has(name) && name !== 'register')) continue;
    const args = argumentsOf(site.node);
    const inlineTrigger = args.some((a) => {
      const created = createdClass(file, a, site);
      return !!created && isTriggerClassName(created.name);
    });
    if (!inlineTrigger && !helperNames.has(name) && !/register/i.test(name)) continue;
    calls.push({
      callee: isNameChain(fn) ? chainText(fn) : name,
      span: spanOf(site.node),
      args: args.map((a) => {
        const arg: CallFact['args'][number] = { value: followLocal(file, valueOf(a), site) };
        const e = unwrap(a);
        const created = createdClass(file, e, site);
        if (created && isTriggerClassName(created.name)) arg.trigger = triggerFromCreation(e, created.name);
        else if (created?.name === 'SystemCondition') arg.condition = conditionFromCreation(e, spanOf(e), created.name);
        else if (e.type === 'identifier') {
          // A trigger or condition held in a variable: followed to its `new`.
          const binding = lookup(file, e.text, site);
          const value = latestValue(file, binding, site);
          const followed = value && createdClass(file, value, binding?.kind === 'local' ? binding.declarator.site : site);
          if (value && followed && isTriggerClassName(followed.name)) arg.trigger = triggerFromCreation(unwrap(value), followed.name);
          else if (value && followed?.name === 'SystemCondition') arg.condition = conditionFromCreation(unwrap(value), spanOf(value), followed.name);
        }
        return arg;
      }),
      enclosingFunction: namedFunction(site.fn)?.name,
      allTasksChecked: allTasksChecked(file, site),
      guarded: isGuarded(site.node),
    });
  }
  return calls;
}
