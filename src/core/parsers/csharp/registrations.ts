// BackgroundTaskBuilder registrations in C# (initializers, property assignments, SetTrigger,
// AddCondition, Register), helper registrations fed from parameters, and the calls that may
// reach such helpers, for the workspace link step.
import type { Node } from 'web-tree-sitter';
import type { CallFact, ConditionFact, RegistrationFact, TriggerFact, ValueFact } from '../../facts/types';
import { compactText, indentAt, registrationsOf, spanOf } from '../tsUtil';
import type { Binding, CSharpFile, FunctionScope, Site } from './scan';
import { bindingType, calleeParts, lookup, sitesOf } from './scan';
import { argumentsOf, conditionFromCreation, creationType, isNameChain, isTriggerClassName, simpleName, triggerFromCreation, typeText, unwrapParens, valueOf } from './values';

type HelperParameters = NonNullable<RegistrationFact['helperParameters']>;

const PROPERTIES: Record<string, 'name' | 'entryPoint' | 'cancelOnConditionLoss' | 'isNetworkRequested' | 'taskGroup'> = {
  Name: 'name',
  TaskEntryPoint: 'entryPoint',
  CancelOnConditionLoss: 'cancelOnConditionLoss',
  IsNetworkRequested: 'isNetworkRequested',
  TaskGroup: 'taskGroup',
};
const BUILDER_METHODS = new Set(['SetTrigger', 'AddCondition', 'SetTaskEntryPointClsid', 'Register']);
const BOUNDARY = new Set(['method_declaration', 'constructor_declaration', 'local_function_statement', 'lambda_expression', 'anonymous_method_expression', 'accessor_declaration']);

const WINRT_NS = 'Windows.ApplicationModel.Background';
const APPSDK_NS = 'Microsoft.Windows.ApplicationModel.Background';

interface Builder {
  site: Site;
  fact: RegistrationFact;
  helper: HelperParameters;
  resultVariable?: string;
  registerNode?: Node;
}

/** A type name through `using X = ...;` aliases of the type itself or of its leading namespace. */
function resolveAlias(file: CSharpFile, written: string): string {
  const name = written.replace(/::/g, '.');
  const exact = file.aliases.get(name);
  if (exact) return exact;
  const dot = name.indexOf('.');
  const head = dot > 0 ? file.aliases.get(name.slice(0, dot)) : undefined;
  return head ? head + name.slice(dot) : name;
}

function kindOfBuilderType(file: CSharpFile, written: string): RegistrationFact['builderKind'] {
  const target = resolveAlias(file, written);
  if (target.startsWith(`${APPSDK_NS}.`)) return 'appsdk';
  if (target.startsWith(`${WINRT_NS}.`)) return 'winrt';
  const appsdk = file.usings.has(APPSDK_NS);
  const winrt = file.usings.has(WINRT_NS);
  return appsdk && !winrt ? 'appsdk' : winrt && !appsdk ? 'winrt' : 'unknown';
}

function isBuilderTypeText(file: CSharpFile, written: string | undefined): boolean {
  if (!written) return false;
  const target = resolveAlias(file, written);
  return target === 'BackgroundTaskBuilder' || target.endsWith('.BackgroundTaskBuilder');
}

/** The builder type a creation makes, as written (resolving `new()` through the declared type). */
function builderTypeOf(file: CSharpFile, site: Site): string | undefined {
  const node = site.node;
  let written: string | undefined;
  if (node.type === 'object_creation_expression') written = typeText(node.childForFieldName('type'));
  else {
    const parent = node.parent;
    if (parent?.type === 'variable_declarator') written = typeText(parent.parent?.childForFieldName('type'));
    else if (parent?.type === 'assignment_expression') {
      const left = parent.childForFieldName('left');
      if (left && isNameChain(left)) written = typeText(bindingType(lookup(file, compactText(left), site)));
    }
  }
  return isBuilderTypeText(file, written) ? written : undefined;
}

function variableHolding(node: Node): string | undefined {
  const parent = node.parent;
  if (parent?.type === 'variable_declarator') return parent.childForFieldName('name')?.text;
  if (parent?.type === 'assignment_expression' && parent.childForFieldName('right')?.id === node.id) {
    const left = parent.childForFieldName('left');
    return left && isNameChain(left) ? compactText(left).replace(/^this\./, '') : undefined;
  }
  return undefined;
}

function statementOf(node: Node): Node {
  for (let n: Node | null = node; n; n = n.parent) {
    if (n.type.endsWith('_statement') || n.type === 'field_declaration') return n;
  }
  return node;
}

export function isGuarded(node: Node): boolean {
  for (let n: Node | null = node; n && n.parent; n = n.parent) {
    if (BOUNDARY.has(n.type)) return false;
    if (n.type === 'block' && n.parent.type === 'try_statement') return true;
  }
  return false;
}

/**
 * The flow checks AllTasks: the function (or a function it sits in) or a same-file caller, transitively,
 * mentions it, or another member of its class does. The last is looser than a flow analysis on
 * purpose: Microsoft's BackgroundTask sample looks registrations up in a page's OnNavigatedTo and
 * registers from a button handler that runs only when none was found, and that must not be flagged.
 */
export function allTasksChecked(file: CSharpFile, site: Site): boolean {
  if (!site.fn) return site.type ? site.type.mentionsAllTasks : file.mentionsAllTasks;
  if (site.fn.type?.mentionsAllTasks) return true;
  const seen = new Set<FunctionScope>();
  const queue: FunctionScope[] = [site.fn];
  while (queue.length) {
    const fn = queue.shift()!;
    if (seen.has(fn)) continue;
    seen.add(fn);
    if (fn.mentionsAllTasks) return true;
    if (fn.parent) queue.push(fn.parent);
    for (const call of file.invocations) if (call.fn && mayCall(file, call, fn.name)) queue.push(call.fn);
  }
  return false;
}

/** Simple names of the methods the site's class calls (for a lookup helper in another file). */
function classCalls(file: CSharpFile, site: Site): string[] {
  const names = new Set<string>();
  for (const s of sitesOf(file, site.type).invocations) {
    const { name } = calleeParts(s.node);
    if (name && name !== 'Register' && name !== 'SetTrigger' && name !== 'AddCondition') names.add(name);
  }
  return [...names].sort();
}

/** A call that may reach a same-file method by that name; `local.Name()` calls a method of a local's type instead. */
function mayCall(file: CSharpFile, call: Site, name: string): boolean {
  const { name: callee, receiver } = calleeParts(call.node);
  if (callee !== name) return false;
  if (!receiver || receiver.type === 'this' || !isNameChain(receiver) || receiver.type !== 'identifier') return true;
  const binding = lookup(file, receiver.text, call);
  return binding?.kind !== 'local' && binding?.kind !== 'parameter';
}

/** The latest `new ...` a local or field name was given before `site` in the same function. */
function latestValue(file: CSharpFile, binding: Binding, name: string, site: Site): Node | undefined {
  if (binding.kind !== 'local' && binding.kind !== 'field') return undefined;
  let best: Node | undefined = binding.kind === 'local' ? binding.declarator.value : undefined;
  let bestAt = best?.startIndex ?? -1;
  for (const a of file.assignments) {
    if (a.fn !== site.fn || a.node.startIndex >= site.node.startIndex || a.node.startIndex < bestAt) continue;
    const left = a.node.childForFieldName('left');
    if (a.node.childForFieldName('operator')?.text !== '=' || !left || compactText(left).replace(/^this\./, '') !== name) continue;
    best = a.node.childForFieldName('right') ?? undefined;
    bestAt = a.node.startIndex;
  }
  return best;
}

function classNameOfType(type: Node | undefined): string {
  const name = simpleName(type);
  return name && isTriggerClassName(name) ? name : 'unknown';
}

/** A trigger passed as an expression; `helper` learns the parameter index when it is a parameter. */
function resolveTrigger(file: CSharpFile, expression: Node, site: Site, helper?: HelperParameters): TriggerFact {
  const e = unwrapParens(expression);
  const span = spanOf(expression);
  if (e.type === 'object_creation_expression') return triggerFromCreation(e) ?? { className: creationType(e)?.name ?? 'unknown', span, unresolved: true };
  if (!isNameChain(e)) return { className: 'unknown', span, unresolved: true };
  const name = compactText(e).replace(/^this\./, '');
  const binding = lookup(file, compactText(e), site);
  if (!binding) return { className: 'unknown', span, unresolved: true };
  if (binding.kind === 'parameter') {
    if (helper && binding.fn === site.fn) helper.trigger = binding.parameter.index;
    return { className: classNameOfType(binding.parameter.type), span, unresolved: true };
  }
  if (binding.kind === 'local') {
    const value = latestValue(file, binding, name, site);
    const followed = value && unwrapParens(value).type === 'object_creation_expression' ? triggerFromCreation(value) : undefined;
    if (followed) return followed;
  }
  const declared = bindingType(binding) ?? (binding.kind === 'field' ? creationType(binding.declarator.value)?.type : undefined);
  return { className: classNameOfType(declared), span, unresolved: true };
}

/** A condition passed to AddCondition; undefined when it is a helper parameter (supplied per call site). */
function resolveCondition(file: CSharpFile, expression: Node, call: Node, site: Site, helper?: HelperParameters): ConditionFact | undefined {
  const e = unwrapParens(expression);
  const span = spanOf(call);
  if (e.type === 'object_creation_expression') return conditionFromCreation(e, span) ?? { span };
  if (isNameChain(e)) {
    const binding = lookup(file, compactText(e), site);
    if (binding?.kind === 'parameter' && helper && binding.fn === site.fn) {
      helper.condition = binding.parameter.index;
      return undefined;
    }
    if (binding?.kind === 'local') {
      const value = latestValue(file, binding, compactText(e), site);
      if (value && unwrapParens(value).type === 'object_creation_expression') return conditionFromCreation(value, span) ?? { span };
    }
  }
  return { span };
}

/** A property value; a parameter of the builder's function makes the registration a helper. */
function propertyValue(file: CSharpFile, expression: Node, site: Site, builderFn: FunctionScope | undefined, helper: HelperParameters, property: keyof HelperParameters | undefined): ValueFact {
  const value = valueOf(expression);
  if (value.kind !== 'reference' || value.name.includes('.')) return value;
  const binding = lookup(file, value.name, site);
  if (binding?.kind === 'parameter' && builderFn && binding.fn === builderFn && property) helper[property] = binding.parameter.index;
  if (binding?.kind === 'local' && binding.declarator.value) {
    // `var name = "X"; builder.Name = name;`: a literal local stands for its literal.
    const local = valueOf(binding.declarator.value);
    if (local.kind !== 'expression' && local.kind !== 'reference' && latestValue(file, binding, value.name, site) === binding.declarator.value) return local;
  }
  return value;
}

function applyProperty(file: CSharpFile, b: Builder, prop: string, right: Node, site: Site): void {
  const key = PROPERTIES[prop];
  if (!key) return;
  const helperKey = key === 'name' || key === 'entryPoint' || key === 'taskGroup' ? key : undefined;
  b.fact[key] = propertyValue(file, right, site, b.site.fn, b.helper, helperKey);
}

function applyMethod(file: CSharpFile, b: Builder, call: Site, name: string): void {
  const args = argumentsOf(call.node.childForFieldName('arguments'));
  const first = args[0]?.expression;
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
      if (first) b.fact.entryPointClsid = valueOf(first);
      break;
    case 'Register':
      b.fact.registerCall = spanOf(call.node);
      b.fact.registerGuarded = isGuarded(call.node);
      b.registerNode = call.node;
      b.resultVariable = variableHolding(call.node);
      // App SDK `Register(String name)`.
      if (first && !b.fact.name) b.fact.name = propertyValue(file, first, call, b.site.fn, b.helper, 'name');
      break;
  }
}

function completedReceiverIsRegistration(file: CSharpFile, site: Site, receiver: Node): boolean {
  let root = unwrapParens(receiver);
  while (root.type === 'member_access_expression' && root.childForFieldName('expression')?.type !== 'this') root = root.childForFieldName('expression')!;
  const binding = isNameChain(root) ? lookup(file, compactText(root), site) : undefined;
  if (!binding) return false;
  if (binding.kind === 'foreach' && binding.variable.collection && /AllTasks/.test(binding.variable.collection.text)) return true;
  return /BackgroundTaskRegistration/.test(bindingType(binding)?.text ?? '');
}

function setCompletedHandlers(file: CSharpFile, builders: Builder[]): void {
  const completed = file.assignments.filter((s) => {
    const left = s.node.childForFieldName('left');
    return s.node.childForFieldName('operator')?.text === '+=' && left?.type === 'member_access_expression' && left.childForFieldName('name')?.text === 'Completed';
  });
  const fileAttaches = completed.some((s) => {
    const receiver = s.node.childForFieldName('left')!.childForFieldName('expression');
    return /BackgroundTaskCompletedEventHandler/.test(s.node.childForFieldName('right')?.text ?? '') || (!!receiver && completedReceiverIsRegistration(file, s, receiver));
  });
  for (const b of builders) {
    const chained = b.registerNode?.parent?.type === 'member_access_expression' && b.registerNode.parent.childForFieldName('name')?.text === 'Completed';
    const viaResult = !!b.resultVariable && completed.some((s) => compactText(s.node.childForFieldName('left')!.childForFieldName('expression')!).replace(/^this\./, '') === b.resultVariable);
    b.fact.completedHandler = chained || viaResult || fileAttaches;
  }
}

export function registrationFacts(file: CSharpFile): { registrations: RegistrationFact[]; calls: CallFact[] } {
  const builders: Builder[] = [];
  for (const site of file.creations) {
    const written = builderTypeOf(file, site);
    if (!written) continue;
    const statement = statementOf(site.node);
    builders.push({
      site,
      helper: {},
      fact: {
        span: spanOf(site.node),
        builderVariable: variableHolding(site.node),
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
    });
  }
  if (!builders.length) return { registrations: [], calls: callFacts(file, new Set(), new Set()) };

  const byVariable = new Map<string, Builder[]>();
  for (const b of builders) if (b.fact.builderVariable) byVariable.set(b.fact.builderVariable, [...(byVariable.get(b.fact.builderVariable) ?? []), b]);
  const ownerOf = (receiver: Node | null | undefined, site: Site): Builder | undefined => {
    if (!receiver) return undefined;
    const r = unwrapParens(receiver);
    const direct = builders.find((b) => b.site.node.id === r.id);
    if (direct) return direct;
    if (!isNameChain(r)) return undefined;
    const name = compactText(r).replace(/^this\./, '');
    let best: Builder | undefined;
    for (const b of byVariable.get(name) ?? []) if (b.site.fn === site.fn && b.site.node.startIndex < site.node.startIndex) best = b;
    return best;
  };

  for (const b of builders) {
    const initializer = b.site.node.namedChildren.find((c) => c?.type === 'initializer_expression');
    for (const a of initializer?.namedChildren ?? []) {
      if (a?.type !== 'assignment_expression') continue;
      const left = a.childForFieldName('left');
      const right = a.childForFieldName('right');
      if (left?.type === 'identifier' && right) applyProperty(file, b, left.text, right, b.site);
    }
  }
  // Source order, so a later assignment wins as it does at run time.
  const uses: Array<{ site: Site; kind: 'assign' | 'call' }> = [];
  for (const s of file.assignments) uses.push({ site: s, kind: 'assign' });
  for (const s of file.invocations) uses.push({ site: s, kind: 'call' });
  uses.sort((x, y) => x.site.node.startIndex - y.site.node.startIndex);
  for (const { site, kind } of uses) {
    if (kind === 'assign') {
      const left = site.node.childForFieldName('left');
      const right = site.node.childForFieldName('right');
      if (left?.type !== 'member_access_expression' || !right || site.node.childForFieldName('operator')?.text !== '=') continue;
      const prop = left.childForFieldName('name')?.text;
      if (!prop || !PROPERTIES[prop]) continue;
      const b = ownerOf(left.childForFieldName('expression'), site);
      if (b) applyProperty(file, b, prop, right, site);
    } else {
      const { name, receiver } = calleeParts(site.node);
      if (!name || !BUILDER_METHODS.has(name)) continue;
      const b = ownerOf(receiver, site);
      if (b) applyMethod(file, b, site, name);
    }
  }
  setCompletedHandlers(file, builders);

  const { registrations, helperNames } = registrationsOf(builders, (b) => b.site.fn?.name);
  const registerCalls = new Set(builders.flatMap((b) => (b.registerNode ? [b.registerNode.id] : [])));
  return { registrations, calls: callFacts(file, helperNames, registerCalls) };
}

/** Calls that may reach a registration helper (here or in another file). */
function callFacts(file: CSharpFile, helperNames: Set<string>, registerCalls: Set<number>): CallFact[] {
  const calls: CallFact[] = [];
  for (const site of file.invocations) {
    if (registerCalls.has(site.node.id)) continue;
    const { name, text } = calleeParts(site.node);
    if (!name || (BUILDER_METHODS.has(name) && name !== 'Register')) continue;
    const args = argumentsOf(site.node.childForFieldName('arguments'));
    const inlineTrigger = args.some((a) => {
      const created = creationType(a.expression);
      return !!created && isTriggerClassName(created.name);
    });
    if (!inlineTrigger && !helperNames.has(name) && !name.includes('Register')) continue;
    calls.push({
      callee: text.replace(/^this\./, ''),
      span: spanOf(site.node),
      args: args.map((a) => {
        const arg: CallFact['args'][number] = { value: valueOf(a.expression) };
        const e = unwrapParens(a.expression);
        const created = creationType(e);
        if (created && isTriggerClassName(created.name)) arg.trigger = triggerFromCreation(e);
        else if (created?.name === 'SystemCondition') arg.condition = conditionFromCreation(e, spanOf(e));
        else if (isNameChain(e)) {
          // A trigger held in a variable: followed to its `new`, or at least its declared class.
          const trigger = resolveTrigger(file, e, site);
          if (trigger.className !== 'unknown') arg.trigger = trigger;
          else {
            const binding = lookup(file, compactText(e), site);
            const value = binding ? latestValue(file, binding, compactText(e).replace(/^this\./, ''), site) : undefined;
            if (value && creationType(value)?.name === 'SystemCondition') arg.condition = conditionFromCreation(value, spanOf(value));
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
