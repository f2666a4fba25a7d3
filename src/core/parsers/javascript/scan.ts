// One cursor walk over a JavaScript/TypeScript tree that records what the fact builders need:
// functions (declared, or named after the variable, property or object key they are assigned to)
// with their parameters, classes with their namespace, variable declarators, object-literal
// properties, and the interesting expression sites (calls, `new`, assignments, awaits), each tagged
// with its enclosing function and class.
import type { Node, Tree } from 'web-tree-sitter';
import { walk } from '../tsUtil';
import { chainText, isNameChain, keyName, stringValue, unwrap } from './values';

export interface Parameter {
  name: string;
  index: number;
}

export interface ClassScope {
  node: Node;
  name: string;
  nameNode: Node;
  namespace: string;
  fullName: string;
  parent?: ClassScope;
  isExported: boolean;
  mentionsAllTasks: boolean;
}

export interface FunctionScope {
  node: Node;
  /** Declared name, or the variable / property / object key the function is assigned to. */
  name?: string;
  nameNode?: Node;
  parent?: FunctionScope;
  cls?: ClassScope;
  parameters: Parameter[];
  mentionsAllTasks: boolean;
}

export interface Site {
  node: Node;
  fn?: FunctionScope;
  cls?: ClassScope;
}

export interface Declarator {
  name: string;
  node: Node;
  value?: Node;
  site: Site;
}

/** `key: value` in an object literal, with the path of the object: `BackgroundTaskSample.entryPoint`. */
export interface Property {
  key: string;
  /** Dotted path of the object holding it when known (`Sample`, `Sample.inner`), else ''. */
  owner: string;
  value: Node;
  site: Site;
}

export interface JsFile {
  text: string;
  root: Node;
  functions: FunctionScope[];
  classes: ClassScope[];
  calls: Site[];
  news: Site[];
  assignments: Site[];
  awaits: Site[];
  declarators: Declarator[];
  properties: Property[];
  functionsByName: Map<string, FunctionScope[]>;
  declaratorsByName: Map<string, Declarator[]>;
  mentionsAllTasks: boolean;
}

export const FUNCTION_TYPES: ReadonlySet<string> = new Set([
  'function_declaration',
  'generator_function_declaration',
  'function_expression',
  'generator_function',
  'arrow_function',
  'method_definition',
]);
const CLASS_TYPES = new Set(['class_declaration', 'abstract_class_declaration', 'class']);
const NAMESPACE_TYPES = new Set(['internal_module', 'module']);
/** Every node type the scan acts on. */
const VISITED_TYPES: ReadonlySet<string> = new Set([
  'call_expression',
  'new_expression',
  'assignment_expression',
  'augmented_assignment_expression',
  'await_expression',
  'variable_declarator',
  'pair',
  ...NAMESPACE_TYPES,
  ...CLASS_TYPES,
  ...FUNCTION_TYPES,
]);

type Frame =
  | { kind: 'namespace'; name: string }
  | { kind: 'class'; scope: ClassScope; savedFn?: FunctionScope }
  | { kind: 'function'; scope: FunctionScope };

export function scanJavaScript(tree: Tree, text: string): JsFile {
  const file: JsFile = {
    text,
    root: tree.rootNode,
    functions: [],
    classes: [],
    calls: [],
    news: [],
    assignments: [],
    awaits: [],
    declarators: [],
    properties: [],
    functionsByName: new Map(),
    declaratorsByName: new Map(),
    mentionsAllTasks: false,
  };
  const frames: Frame[] = [];
  const namespaces: string[] = [];
  let currentClass: ClassScope | undefined;
  let currentFn: FunctionScope | undefined;
  const site = (node: Node): Site => ({ node, fn: currentFn, cls: currentClass });

  walk(
    tree,
    VISITED_TYPES,
    (type, get) => {
      switch (type) {
        case 'call_expression':
          file.calls.push(site(get()));
          return;
        case 'new_expression':
          file.news.push(site(get()));
          return;
        case 'assignment_expression':
        case 'augmented_assignment_expression':
          file.assignments.push(site(get()));
          return;
        case 'await_expression':
          file.awaits.push(site(get()));
          return;
        case 'variable_declarator': {
          const node = get();
          const name = node.childForFieldName('name');
          if (name?.type !== 'identifier') return;
          const d: Declarator = { name: name.text, node, value: node.childForFieldName('value') ?? undefined, site: site(node) };
          file.declarators.push(d);
          push(file.declaratorsByName, d.name, d);
          return;
        }
        case 'pair': {
          const node = get();
          const key = keyName(node.childForFieldName('key'));
          const value = node.childForFieldName('value');
          if (key !== undefined && value) file.properties.push({ key, owner: objectPath(node.parent), value, site: site(node) });
          return;
        }
      }
      if (NAMESPACE_TYPES.has(type)) {
        const node = get();
        if (!node.isNamed) return; // the `module` keyword token
        const name = node.childForFieldName('name');
        if (!name) return;
        const ns = name.text.replace(/\s+/g, '').replace(/^["']|["']$/g, '');
        frames.push({ kind: 'namespace', name: ns });
        namespaces.push(ns);
        return true;
      }
      if (CLASS_TYPES.has(type)) {
        const node = get();
        if (!node.isNamed) return; // the `class` keyword token
        const nameNode = node.childForFieldName('name') ?? inferredNameNode(node);
        if (!nameNode) return;
        const name = keyName(nameNode) ?? nameNode.text;
        const namespace = namespaces.filter(Boolean).join('.');
        const scope: ClassScope = {
          node,
          name,
          nameNode,
          namespace,
          fullName: namespace ? `${namespace}.${name}` : name,
          parent: currentClass,
          isExported: node.parent?.type === 'export_statement',
          mentionsAllTasks: false,
        };
        file.classes.push(scope);
        frames.push({ kind: 'class', scope, savedFn: currentFn });
        currentClass = scope;
        currentFn = undefined;
        return true;
      }
      if (FUNCTION_TYPES.has(type)) {
        const node = get();
        const nameNode = functionNameNode(node);
        const name = nameNode ? keyName(nameNode) ?? (isNameChain(nameNode) ? chainText(nameNode).split('.').pop() : undefined) : undefined;
        const scope: FunctionScope = { node, name, nameNode, parent: currentFn, cls: currentClass, parameters: parametersOf(node), mentionsAllTasks: false };
        file.functions.push(scope);
        if (name) push(file.functionsByName, name, scope);
        frames.push({ kind: 'function', scope });
        currentFn = scope;
        return true;
      }
      return;
    },
    () => {
      const frame = frames.pop();
      if (!frame) return;
      if (frame.kind === 'namespace') namespaces.pop();
      else if (frame.kind === 'function') currentFn = frame.scope.parent;
      else {
        currentClass = frame.scope.parent;
        currentFn = frame.savedFn;
      }
    },
  );
  markAllTasks(file);
  return file;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The dotted path an object literal is known by: `var A = {...}`, `A.b = {...}`, `{ b: {...} }` inside those. */
function objectPath(object: Node | null): string {
  if (!object || object.type !== 'object') return '';
  const parent = object.parent;
  if (!parent) return '';
  if (parent.type === 'variable_declarator') return parent.childForFieldName('name')?.text ?? '';
  if (parent.type === 'assignment_expression') {
    const left = parent.childForFieldName('left');
    return left && isNameChain(left) ? chainText(left) : '';
  }
  if (parent.type === 'pair') {
    const key = keyName(parent.childForFieldName('key'));
    const outer = objectPath(parent.parent);
    return key === undefined ? '' : outer ? `${outer}.${key}` : key;
  }
  if (parent.type === 'parenthesized_expression' || parent.type === 'as_expression' || parent.type === 'satisfies_expression') return objectPath(parent);
  if (parent.type === 'arguments') {
    // `WinJS.Namespace.define("Sample", { ... })` publishes the members as `Sample.member`.
    const call = parent.parent;
    const callee = call?.childForFieldName('function');
    const args = parent.namedChildren.filter((c) => c && c.type !== 'comment');
    if (callee && /(^|\.)Namespace\.define$/.test(callee.text.replace(/\s+/g, '')) && args[1]?.id === object.id && args[0]?.type === 'string') {
      return stringValue(args[0]) ?? '';
    }
  }
  return '';
}

/** Where an anonymous function or class expression gets its name: a variable, a property, an assignment target. */
function inferredNameNode(node: Node): Node | undefined {
  let child = node;
  let parent = node.parent;
  while (parent && (parent.type === 'parenthesized_expression' || parent.type === 'as_expression')) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return undefined;
  switch (parent.type) {
    case 'variable_declarator':
      return parent.childForFieldName('value')?.id === child.id ? parent.childForFieldName('name') ?? undefined : undefined;
    case 'pair':
      return parent.childForFieldName('value')?.id === child.id ? parent.childForFieldName('key') ?? undefined : undefined;
    case 'public_field_definition':
      return parent.childForFieldName('name') ?? undefined;
    case 'assignment_expression': {
      const left = parent.childForFieldName('left');
      if (!left || parent.childForFieldName('right')?.id !== child.id || !isNameChain(left)) return undefined;
      return left.type === 'member_expression' ? left.childForFieldName('property') ?? undefined : left;
    }
    default:
      return undefined;
  }
}

function functionNameNode(node: Node): Node | undefined {
  if (node.type === 'function_declaration' || node.type === 'generator_function_declaration' || node.type === 'method_definition') {
    return node.childForFieldName('name') ?? undefined;
  }
  // `var f = function g() {}`: callers use `f`.
  return inferredNameNode(node) ?? node.childForFieldName('name') ?? undefined;
}

function parametersOf(node: Node): Parameter[] {
  const single = node.childForFieldName('parameter');
  if (single) return single.type === 'identifier' ? [{ name: single.text, index: 0 }] : [];
  const list = node.childForFieldName('parameters');
  if (!list) return [];
  const out: Parameter[] = [];
  let index = 0;
  for (const p of list.namedChildren) {
    if (!p || p.type === 'comment') continue;
    let pattern: Node | null = p;
    if (p.type === 'required_parameter' || p.type === 'optional_parameter') pattern = p.childForFieldName('pattern');
    if (pattern?.type === 'assignment_pattern') pattern = pattern.childForFieldName('left');
    if (pattern?.type === 'identifier') out.push({ name: pattern.text, index });
    else if (pattern?.type === 'this') continue; // TS `this` parameter takes no argument
    index++;
  }
  return out;
}

/** `allTasks` written as code (not in comments or strings) marks its functions, its class and the file. */
function markAllTasks(file: JsFile): void {
  const re = /\b[aA]llTasks\b/g;
  for (let m = re.exec(file.text); m; m = re.exec(file.text)) {
    const at = m.index;
    const node = file.root.descendantForIndex(at, at + m[0].length);
    if (!node || (node.type !== 'identifier' && node.type !== 'property_identifier')) continue;
    file.mentionsAllTasks = true;
    for (const f of file.functions) if (f.node.startIndex <= at && at < f.node.endIndex) f.mentionsAllTasks = true;
    for (const c of file.classes) if (c.node.startIndex <= at && at < c.node.endIndex) c.mentionsAllTasks = true;
  }
}

export type Binding = { kind: 'parameter'; parameter: Parameter; fn: FunctionScope } | { kind: 'local'; declarator: Declarator };

function within(fn: FunctionScope | undefined, node: Node): boolean {
  return !fn || (fn.node.startIndex <= node.startIndex && node.endIndex <= fn.node.endIndex);
}

interface NameIndex {
  /** Declarators by name, then by the function that declares them (undefined: the file). */
  declarators: Map<string, Map<FunctionScope | undefined, Declarator[]>>;
  /** `x = ...` assignments to a plain identifier, by the identifier, in document order. */
  assignments: Map<string, Site[]>;
}

const nameIndexes = new WeakMap<JsFile, NameIndex>();

/**
 * Built once per file on first use, so a look-up costs the declarations of its name in the functions
 * around the site, not every same-named declaration of the file (a minified bundle declares `e`, `t`,
 * `n` thousands of times).
 */
function nameIndex(file: JsFile): NameIndex {
  let index = nameIndexes.get(file);
  if (index) return index;
  index = { declarators: new Map(), assignments: new Map() };
  for (const [name, list] of file.declaratorsByName) {
    const byFn = new Map<FunctionScope | undefined, Declarator[]>();
    for (const d of list) {
      const inFn = byFn.get(d.site.fn);
      if (inFn) inFn.push(d);
      else byFn.set(d.site.fn, [d]);
    }
    index.declarators.set(name, byFn);
  }
  for (const a of file.assignments) {
    if (a.node.type !== 'assignment_expression') continue;
    const left = a.node.childForFieldName('left');
    if (left?.type !== 'identifier') continue;
    const list = index.assignments.get(left.text);
    if (list) list.push(a);
    else index.assignments.set(left.text, [a]);
  }
  nameIndexes.set(file, index);
  return index;
}

/** What a simple name at `site` refers to: a variable of an enclosing function (or the file) or a parameter. */
export function lookup(file: JsFile, name: string, site: Site): Binding | undefined {
  if (name.includes('.')) return undefined;
  const at = site.node.startIndex;
  const byFn = nameIndex(file).declarators.get(name);
  for (let fn = site.fn; ; fn = fn.parent) {
    let best: Declarator | undefined;
    let hoisted: Declarator | undefined;
    for (const d of byFn?.get(fn) ?? []) {
      if (d.node.startIndex < at) best = d;
      else hoisted ??= d;
    }
    if (best ?? hoisted) return { kind: 'local', declarator: (best ?? hoisted)! };
    if (!fn) return undefined;
    const parameter = fn.parameters.find((p) => p.name === name);
    if (parameter) return { kind: 'parameter', parameter, fn };
  }
}

/** The latest value a variable was given before `site` (its initializer or a later `x = ...` in scope). */
export function latestValue(file: JsFile, binding: Binding | undefined, site: Site): Node | undefined {
  if (!binding || binding.kind !== 'local') return undefined;
  const d = binding.declarator;
  let best: Node | undefined = d.value;
  let bestAt = d.node.startIndex;
  for (const a of nameIndex(file).assignments.get(d.name) ?? []) {
    const start = a.node.startIndex;
    if (start >= site.node.startIndex) break; // document order: the rest come later
    if (start < bestAt || !within(d.site.fn, a.node)) continue;
    const b = lookup(file, d.name, a);
    if (b?.kind !== 'local' || b.declarator !== d) continue;
    best = a.node.childForFieldName('right') ?? undefined;
    bestAt = start;
  }
  return best;
}

/**
 * A name chain with its leading variable replaced by the chain it was given:
 * `var background = Windows.ApplicationModel.Background;` makes `background.BackgroundTaskBuilder`
 * read `Windows.ApplicationModel.Background.BackgroundTaskBuilder`.
 */
export function resolveChain(file: JsFile, node: Node, site: Site): string {
  let text = chainText(unwrap(node));
  for (let depth = 0; depth < 8; depth++) {
    const dot = text.indexOf('.');
    const head = dot < 0 ? text : text.slice(0, dot);
    const binding = lookup(file, head, site);
    const value = binding?.kind === 'local' ? binding.declarator.value : undefined;
    if (!value) break;
    const v = unwrap(value);
    if (!isNameChain(v) || v.type === 'this') break;
    const replacement = chainText(v);
    if (replacement === head) break;
    text = replacement + (dot < 0 ? '' : text.slice(dot));
    site = binding!.kind === 'local' ? binding!.declarator.site : site;
  }
  return text;
}

/** The nearest enclosing function that has a name (anonymous callbacks are looked through). */
export function namedFunction(fn: FunctionScope | undefined): FunctionScope | undefined {
  for (let f = fn; f; f = f.parent) if (f.name) return f;
  return undefined;
}

/** The receiver and simple name of `x.m(...)`, `x?.m(...)`, `m(...)`. */
export function calleeParts(call: Node): { receiver?: Node; name?: string; nameNode?: Node; fn?: Node } {
  const fn = call.childForFieldName('function');
  if (!fn) return {};
  const f = unwrap(fn);
  if (f.type === 'identifier') return { name: f.text, nameNode: f, fn: f };
  if (f.type === 'member_expression') {
    const property = f.childForFieldName('property');
    return { receiver: f.childForFieldName('object') ?? undefined, name: property?.text, nameNode: property ?? undefined, fn: f };
  }
  return { fn: f };
}
