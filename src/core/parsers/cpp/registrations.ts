// BackgroundTaskBuilder registrations in C++/CX (`auto builder = ref new BackgroundTaskBuilder();
// builder->Name = "X";`) and C++/WinRT (`BackgroundTaskBuilder builder; builder.Name(L"X");`):
// properties, SetTrigger, AddCondition, Register, the AllTasks check, try guard and Completed
// handler; helper registrations fed from parameters, and the calls that may reach such helpers.
import type { Node } from 'web-tree-sitter';
import type { CallFact, ConditionFact, RegistrationFact, Span, TriggerFact, ValueFact } from '../../facts/types';
import { indentAt, registrationsOf, spanOf } from '../tsUtil';
import { ownerName } from './classes';
import type { Binding, CppFile, CppFunction, Declarator, Site } from './scan';
import { bindingType, calleeParts, lookup } from './scan';
import type { Creation } from './values';
import { argumentNodes, chainName, compact, spanIn, conditionFromCreation, creationOf, isNameChain, isTriggerClassName, simpleName, triggerFromCreation, unwrapParens, valueOf } from './values';

type HelperParameters = NonNullable<RegistrationFact['helperParameters']>;

const PROPERTIES: Record<string, 'name' | 'entryPoint' | 'cancelOnConditionLoss' | 'isNetworkRequested' | 'taskGroup'> = {
  Name: 'name',
  TaskEntryPoint: 'entryPoint',
  CancelOnConditionLoss: 'cancelOnConditionLoss',
  IsNetworkRequested: 'isNetworkRequested',
  TaskGroup: 'taskGroup',
};
const BUILDER_METHODS = new Set(['SetTrigger', 'AddCondition', 'SetTaskEntryPointClsid', 'Register']);
const BOUNDARY = new Set(['function_definition', 'lambda_expression']);
const BUILDER = 'BackgroundTaskBuilder';

const WINRT_NS = 'Windows.ApplicationModel.Background';
const APPSDK_NS = 'Microsoft.Windows.ApplicationModel.Background';

interface Builder {
  site: Site;
  fact: RegistrationFact;
  helper: HelperParameters;
  /** The creation expression, when the builder is one (not a declaration `BackgroundTaskBuilder b;`). */
  node?: Node;
  resultVariable?: string;
  registerNode?: Node;
}

const projected = (name: string) => name.replace(/^winrt\./, '');

/** A type's namespace as written, through `namespace x = ...;` aliases. */
function resolveAlias(file: CppFile, written: string): string {
  const name = written.replace(/::/g, '.').replace(/^\./, '');
  const dot = name.indexOf('.');
  const head = dot > 0 ? file.aliases.get(name.slice(0, dot)) : undefined;
  return projected(head ? head + name.slice(dot) : name);
}

function kindOfBuilderType(file: CppFile, written: string): RegistrationFact['builderKind'] {
  const target = resolveAlias(file, written);
  if (target.startsWith(`${APPSDK_NS}.`)) return 'appsdk';
  if (target.startsWith(`${WINRT_NS}.`)) return 'winrt';
  const usings = new Set(file.usingNamespaces.map((u) => projected(u.join('.'))));
  const appsdk = usings.has(APPSDK_NS);
  const winrt = usings.has(WINRT_NS);
  return appsdk && !winrt ? 'appsdk' : winrt && !appsdk ? 'winrt' : 'unknown';
}

function statementOf(node: Node): Node {
  for (let n: Node | null = node; n; n = n.parent) {
    if (n.type.endsWith('_statement') || n.type === 'declaration' || n.type === 'field_declaration') return n;
  }
  return node;
}

export function isGuarded(node: Node): boolean {
  for (let n: Node | null = node; n && n.parent; n = n.parent) {
    if (BOUNDARY.has(n.type)) return false;
    if (n.type === 'compound_statement' && n.parent.type === 'try_statement') return true;
  }
  return false;
}

/**
 * The flow checks AllTasks: the function, its class (members defined anywhere in the file), or a
 * same-file caller, transitively, mentions it. Looser than a flow analysis on purpose, as in C#: a
 * page may look registrations up in one handler and register from another.
 */
export function allTasksChecked(file: CppFile, site: Site): boolean {
  if (!site.fn) return site.cls ? site.cls.mentionsAllTasks : file.mentionsAllTasks;
  const owner = ownerName(site.fn);
  if (owner && (site.fn.cls?.mentionsAllTasks || file.functions.some((f) => f.mentionsAllTasks && ownerName(f) === owner))) return true;
  const seen = new Set<CppFunction>();
  const queue: CppFunction[] = [site.fn];
  while (queue.length) {
    const fn = queue.shift()!;
    if (seen.has(fn)) continue;
    seen.add(fn);
    if (fn.mentionsAllTasks) return true;
    for (const call of file.calls) if (call.fn && mayCall(file, call, fn.name)) queue.push(call.fn);
  }
  return false;
}

/** Simple names the site's class (its functions in this file), else its function, calls: for a lookup helper in another file. */
function classCalls(file: CppFile, site: Site): string[] {
  const owner = site.fn && ownerName(site.fn);
  const names = new Set<string>();
  for (const call of file.calls) {
    if (!call.fn || (owner ? ownerName(call.fn) !== owner : call.fn !== site.fn)) continue;
    const { name } = calleeParts(call.node, file.text);
    if (name && name !== 'Register' && name !== 'SetTrigger' && name !== 'AddCondition') names.add(name);
  }
  return [...names].sort();
}

/** A call that may reach a same-file function by that name; `local.F()` calls a method of a local's type instead. */
function mayCall(file: CppFile, call: Site, name: string): boolean {
  const { name: callee, receiver } = calleeParts(call.node, file.text);
  if (callee !== name) return false;
  if (!receiver || receiver.type === 'this' || receiver.type !== 'identifier') return true;
  const binding = lookup(file, receiver.text, call);
  return binding?.kind !== 'local' && binding?.kind !== 'parameter';
}

/** The latest value a local or member name was given before `site` in the same function. */
function latestValue(file: CppFile, binding: Binding, name: string, site: Site): { value?: Node; declarator?: Declarator } | undefined {
  if (binding.kind !== 'local' && binding.kind !== 'member') return undefined;
  let best: { value?: Node; declarator?: Declarator } | undefined = binding.kind === 'local' ? { value: binding.declarator.value, declarator: binding.declarator } : undefined;
  let bestAt = binding.kind === 'local' ? binding.declarator.node.startIndex : -1;
  for (const a of file.byFunction.get(site.fn)?.assignments ?? []) {
    if (a.node.startIndex >= site.node.startIndex || a.node.startIndex < bestAt) continue;
    const left = a.node.childForFieldName('left');
    if (a.node.childForFieldName('operator')?.text !== '=' || !left || !isNameChain(left) || chainName(file.text, left) !== name) continue;
    best = { value: a.node.childForFieldName('right') ?? undefined };
    bestAt = a.node.startIndex;
  }
  return best;
}

/** A creation a binding's latest value makes: `auto t = ref new T(...)`, `T t(...)`, `T t{...}`, `t = T(...)`. */
function creationOfBinding(file: CppFile, binding: Binding, name: string, site: Site): Creation | undefined {
  const latest = latestValue(file, binding, name, site);
  if (!latest) return undefined;
  if (latest.value) return creationOf(latest.value);
  const d = latest.declarator;
  if (d?.ctorArgs && d.type) {
    const typeName = simpleName(d.type);
    if (typeName) return { name: typeName, type: d.type, node: d.node, args: argumentNodes(d.ctorArgs), span: { start: d.node.startIndex, end: d.ctorArgs.endIndex } };
  }
  return undefined;
}

function classNameOfType(type: Node | undefined): string {
  const name = simpleName(type);
  return name && isTriggerClassName(name) ? name : 'unknown';
}

/** A trigger passed as an expression; `helper` learns the parameter index when it is a parameter. */
function resolveTrigger(file: CppFile, expression: Node, site: Site, helper?: HelperParameters): TriggerFact {
  const e = unwrapParens(expression);
  const span = spanIn(file.text, expression);
  const created = creationOf(e);
  if (created) return triggerFromCreation(created, file.text) ?? { className: isTriggerClassName(created.name) ? created.name : 'unknown', span, unresolved: true };
  if (!isNameChain(e)) return { className: 'unknown', span, unresolved: true };
  const name = chainName(file.text, e);
  const binding = lookup(file, name, site);
  if (!binding) return { className: 'unknown', span, unresolved: true };
  if (binding.kind === 'parameter') {
    if (helper && binding.fn === site.fn) helper.trigger = binding.parameter.index;
    return { className: classNameOfType(binding.parameter.type), span, unresolved: true };
  }
  if (binding.kind === 'local') {
    const c = creationOfBinding(file, binding, name, site);
    const followed = c && triggerFromCreation(c, file.text);
    if (followed) return followed;
  }
  const declared = bindingType(binding) ?? (binding.kind !== 'range' ? creationOf(binding.declarator.value)?.type : undefined);
  return { className: classNameOfType(declared), span, unresolved: true };
}

/** A condition passed to AddCondition; undefined when it is a helper parameter (supplied per call site). */
function resolveCondition(file: CppFile, expression: Node, call: Node, site: Site, helper?: HelperParameters): ConditionFact | undefined {
  const e = unwrapParens(expression);
  const span = spanOf(call);
  const created = creationOf(e);
  if (created) return conditionFromCreation(created, file.text, span) ?? { span };
  if (isNameChain(e)) {
    const name = chainName(file.text, e);
    const binding = lookup(file, name, site);
    if (binding?.kind === 'parameter' && helper && binding.fn === site.fn) {
      helper.condition = binding.parameter.index;
      return undefined;
    }
    if (binding?.kind === 'local') {
      const c = creationOfBinding(file, binding, name, site);
      if (c) return conditionFromCreation(c, file.text, span) ?? { span };
    }
  }
  return { span };
}

/** A property value; a parameter of the builder's function makes the registration a helper. */
function propertyValue(file: CppFile, expression: Node, site: Site, builderFn: CppFunction | undefined, helper: HelperParameters, property: keyof HelperParameters | undefined): ValueFact {
  const value = valueOf(expression, file.text);
  if (value.kind !== 'reference' || value.name.includes('.')) return value;
  const binding = lookup(file, value.name, site);
  if (binding?.kind === 'parameter' && builderFn && binding.fn === builderFn && property) helper[property] = binding.parameter.index;
  if (binding?.kind === 'local' && binding.declarator.value) {
    // `auto name = L"X"; builder->Name = name;`: a literal local stands for its literal.
    const local = valueOf(binding.declarator.value, file.text);
    if (local.kind !== 'expression' && local.kind !== 'reference' && latestValue(file, binding, value.name, site)?.value === binding.declarator.value) return local;
  }
  return value;
}

function applyProperty(file: CppFile, b: Builder, prop: string, right: Node, site: Site): void {
  const key = PROPERTIES[prop];
  if (!key) return;
  const helperKey = key === 'name' || key === 'entryPoint' || key === 'taskGroup' ? key : undefined;
  b.fact[key] = propertyValue(file, right, site, b.site.fn, b.helper, helperKey);
}

function variableHolding(file: CppFile, node: Node): string | undefined {
  let parent = node.parent;
  if (parent?.type === 'initializer_list' && parent.namedChildCount === 1) parent = parent.parent;
  if (parent?.type === 'init_declarator') {
    const d = parent.childForFieldName('declarator');
    let n = d;
    while (n && (n.type === 'pointer_declarator' || n.type === 'reference_declarator')) n = n.childForFieldName('declarator') ?? n.namedChildren[0] ?? null;
    return n && isNameChain(n) ? chainName(file.text, n) : undefined;
  }
  if (parent?.type === 'assignment_expression' && parent.childForFieldName('right')?.id === node.id) {
    const left = parent.childForFieldName('left');
    return left && isNameChain(left) ? chainName(file.text, left) : undefined;
  }
  return undefined;
}

function applyMethod(file: CppFile, b: Builder, call: Site, name: string): void {
  const args = argumentNodes(call.node.childForFieldName('arguments'));
  const first = args[0];
  switch (name) {
    case 'SetTrigger':
      if (first) b.fact.trigger = resolveTrigger(file, first, call, b.helper);
      break;
    case 'AddCondition': {
      const condition = first && resolveCondition(file, first, call.node, call, b.helper);
      if (condition) b.fact.conditions.push(condition);
      break;
    }
    case 'SetTaskEntryPointClsid':
      if (first) b.fact.entryPointClsid = valueOf(first, file.text);
      break;
    case 'Register':
      b.fact.registerCall = spanOf(call.node);
      b.fact.registerGuarded = isGuarded(call.node);
      b.registerNode = call.node;
      b.resultVariable = variableHolding(file, call.node);
      // App SDK `Register(name)`.
      if (first && !b.fact.name) b.fact.name = propertyValue(file, first, call, b.site.fn, b.helper, 'name');
      break;
  }
}

/** A Completed subscription: `x->Completed += handler`, C++/CX `x->Completed::add(handler)` (the event's
 *  add accessor, whose token the page keeps to remove the handler) or C++/WinRT `x.Completed(handler)`. */
interface CompletedSite {
  site: Site;
  receiver: Node;
  handler?: Node;
}

function completedSites(file: CppFile): CompletedSite[] {
  const out: CompletedSite[] = [];
  const isCompleted = (field: Node | null | undefined, call: boolean) =>
    field?.text === 'Completed' ||
    (call && field?.type === 'qualified_identifier' && field.childForFieldName('scope')?.text === 'Completed' && field.childForFieldName('name')?.text === 'add');
  const completedField = (n: Node | null | undefined, call = false) => (n?.type === 'field_expression' && isCompleted(n.childForFieldName('field'), call) ? n.childForFieldName('argument') : null);
  for (const s of file.assignments) {
    if (s.node.childForFieldName('operator')?.text !== '+=') continue;
    const receiver = completedField(s.node.childForFieldName('left'));
    if (receiver) out.push({ site: s, receiver, handler: s.node.childForFieldName('right') ?? undefined });
  }
  for (const s of file.calls) {
    const receiver = completedField(s.node.childForFieldName('function'), true);
    const args = argumentNodes(s.node.childForFieldName('arguments'));
    if (receiver && args.length) out.push({ site: s, receiver, handler: args[0] });
  }
  return out;
}

function receiverIsRegistration(file: CppFile, c: CompletedSite): boolean {
  let root = unwrapParens(c.receiver);
  while (root.type === 'field_expression' && root.childForFieldName('argument')?.type !== 'this') root = root.childForFieldName('argument')!;
  if (root.type === 'call_expression') return /AllTasks|BackgroundTaskRegistration/.test(compact(file.text, root));
  const binding = isNameChain(root) ? lookup(file, chainName(file.text, root), c.site) : undefined;
  if (!binding) return false;
  if (binding.kind === 'range' && binding.variable.collection && /AllTasks/.test(binding.variable.collection.text)) return true;
  if (binding.kind !== 'parameter' && binding.kind !== 'range' && binding.declarator.value && /AllTasks/.test(binding.declarator.value.text)) return true;
  return /BackgroundTaskRegistration/.test(bindingType(binding)?.text ?? '');
}

function setCompletedHandlers(file: CppFile, builders: Builder[]): void {
  const completed = completedSites(file);
  const fileAttaches = completed.some((c) => /BackgroundTaskCompletedEventHandler/.test(c.handler?.text ?? '') || receiverIsRegistration(file, c));
  for (const b of builders) {
    const parent = b.registerNode?.parent;
    const chained = parent?.type === 'field_expression' && parent.childForFieldName('field')?.text === 'Completed';
    const viaResult = !!b.resultVariable && completed.some((c) => isNameChain(unwrapParens(c.receiver)) && chainName(file.text, unwrapParens(c.receiver)) === b.resultVariable);
    b.fact.completedHandler = chained || viaResult || fileAttaches;
  }
}

function newBuilder(file: CppFile, site: Site, anchor: Span, written: string, variable: string | undefined, node?: Node): Builder {
  const statement = statementOf(site.node);
  return {
    site,
    node,
    helper: {},
    fact: {
      span: anchor,
      builderVariable: variable,
      builderKind: kindOfBuilderType(file, written),
      conditions: [],
      registerGuarded: false,
      allTasksChecked: allTasksChecked(file, site),
      completedHandler: false,
      enclosingFunction: site.fn?.name,
      ...(allTasksChecked(file, site) ? {} : { classCalls: classCalls(file, site) }),
      statementStart: statement.startIndex,
      indent: indentAt(file.text, statement.startIndex),
    },
  };
}

/** `BackgroundTaskBuilder builder;` / `BackgroundTaskBuilder builder{};` (C++/WinRT default construction). */
function isDeclaredBuilder(file: CppFile, d: Declarator): boolean {
  if (d.scope !== 'local' || d.isPointer || d.value || simpleName(d.type) !== BUILDER) return false;
  return !d.ctorArgs || !/\bnullptr\b/.test(file.text.slice(d.ctorArgs.startIndex, d.ctorArgs.endIndex));
}

export function registrationFacts(file: CppFile): { registrations: RegistrationFact[]; calls: CallFact[] } {
  const builders: Builder[] = [];
  for (const site of file.creations) {
    const created = creationOf(site.node);
    if (created?.name !== BUILDER || created.node.id !== site.node.id) continue;
    builders.push(newBuilder(file, site, spanIn(file.text, site.node), compact(file.text, created.type), variableHolding(file, site.node), site.node));
  }
  for (const d of file.declarators) {
    if (!isDeclaredBuilder(file, d) || !d.type) continue;
    const anchor = { start: d.node.startIndex, end: (d.ctorArgs ?? d.nameNode).endIndex };
    builders.push(newBuilder(file, d.site, anchor, compact(file.text, d.type), d.name));
  }
  builders.sort((a, b) => a.fact.span.start - b.fact.span.start);
  if (!builders.length) return { registrations: [], calls: callFacts(file, new Set(), new Set()) };

  const ownerOf = (receiver: Node | null | undefined, site: Site): Builder | undefined => {
    if (!receiver) return undefined;
    const r = unwrapParens(receiver);
    const direct = builders.find((b) => b.node?.id === r.id);
    if (direct) return direct;
    if (!isNameChain(r)) return undefined;
    const name = chainName(file.text, r);
    let best: Builder | undefined;
    for (const b of builders) if (b.fact.builderVariable === name && b.site.fn === site.fn && b.fact.span.start < site.node.startIndex) best = b;
    return best;
  };

  // Source order, so a later assignment wins as it does at run time.
  const uses: Array<{ site: Site; kind: 'assign' | 'call' }> = [];
  for (const s of file.assignments) uses.push({ site: s, kind: 'assign' });
  for (const s of file.calls) uses.push({ site: s, kind: 'call' });
  uses.sort((x, y) => x.site.node.startIndex - y.site.node.startIndex);
  for (const { site, kind } of uses) {
    if (kind === 'assign') {
      const left = site.node.childForFieldName('left');
      const right = site.node.childForFieldName('right');
      if (left?.type !== 'field_expression' || !right || site.node.childForFieldName('operator')?.text !== '=') continue;
      const prop = left.childForFieldName('field')?.text;
      if (!prop || !PROPERTIES[prop]) continue;
      const b = ownerOf(left.childForFieldName('argument'), site);
      if (b) applyProperty(file, b, prop, right, site);
    } else {
      const { name, receiver } = calleeParts(site.node, file.text);
      if (!name || !receiver) continue;
      if (BUILDER_METHODS.has(name)) {
        const b = ownerOf(receiver, site);
        if (b) applyMethod(file, b, site, name);
      } else if (PROPERTIES[name]) {
        // C++/WinRT property setter `builder.Name(L"X")`.
        const args = argumentNodes(site.node.childForFieldName('arguments'));
        const b = args.length === 1 ? ownerOf(receiver, site) : undefined;
        if (b) applyProperty(file, b, name, args[0], site);
      }
    }
  }
  setCompletedHandlers(file, builders);

  const { registrations, helperNames } = registrationsOf(builders, (b) => b.site.fn?.name);
  const registerCalls = new Set(builders.flatMap((b) => (b.registerNode ? [b.registerNode.id] : [])));
  return { registrations, calls: callFacts(file, helperNames, registerCalls) };
}

/** Calls that may reach a registration helper (here or in another file). */
function callFacts(file: CppFile, helperNames: Set<string>, registerCalls: Set<number>): CallFact[] {
  const calls: CallFact[] = [];
  for (const site of file.calls) {
    if (registerCalls.has(site.node.id)) continue;
    const { name, text } = calleeParts(site.node, file.text);
    if (!name || (BUILDER_METHODS.has(name) && name !== 'Register') || PROPERTIES[name]) continue;
    if (creationOf(site.node)) continue;
    const args = argumentNodes(site.node.childForFieldName('arguments'));
    const inlineTrigger = args.some((a) => {
      const created = creationOf(a);
      return !!created && isTriggerClassName(created.name);
    });
    if (!inlineTrigger && !helperNames.has(name) && !name.includes('Register')) continue;
    calls.push({
      callee: text.replace(/\s+/g, '').replace(/<[^<>()]*>/g, '').replace(/^::/, '').replace(/::|->/g, '.').replace(/^this\./, ''),
      span: spanOf(site.node),
      args: args.map((a) => {
        const arg: CallFact['args'][number] = { value: valueOf(a, file.text) };
        const e = unwrapParens(a);
        const created = creationOf(e);
        if (created && isTriggerClassName(created.name)) arg.trigger = triggerFromCreation(created, file.text);
        else if (created?.name === 'SystemCondition') arg.condition = conditionFromCreation(created, file.text, spanIn(file.text, e));
        else if (isNameChain(e)) {
          // A trigger held in a variable: followed to its creation, or at least its declared class.
          const trigger = resolveTrigger(file, e, site);
          if (trigger.className !== 'unknown') arg.trigger = trigger;
          else {
            const name = chainName(file.text, e);
            const binding = lookup(file, name, site);
            const c = binding ? creationOfBinding(file, binding, name, site) : undefined;
            if (c?.name === 'SystemCondition') arg.condition = conditionFromCreation(c, file.text, c.span ?? spanIn(file.text, c.node));
          }
        }
        return arg;
      }),
      enclosingFunction: site.fn?.name,
      allTasksChecked: allTasksChecked(file, site),
      guarded: isGuarded(site.node),
    });
  }
  return calls;
}
