// One cursor walk over a C# tree that records what the fact builders need: usings, namespaces and
// types with their nesting, functions with parameters, and the interesting expression sites
// (invocations, creations, assignments, awaits, declarators) each tagged with its enclosing scopes.
import type { Node, Tree } from 'web-tree-sitter';
import { compactText, walk } from '../tsUtil';
import { typeText } from './values';

export interface TypeScope {
  node: Node;
  kind: 'class' | 'record' | 'struct' | 'interface';
  name: string;
  nameNode: Node;
  /** Nesting path inside the namespace: `Outer.Inner`. */
  path: string;
  namespace: string;
  fullName: string;
  parent?: TypeScope;
  mentionsAllTasks: boolean;
}

export interface Parameter {
  name: string;
  index: number;
  type?: Node;
}

export interface FunctionScope {
  node: Node;
  name: string;
  nameNode?: Node;
  type?: TypeScope;
  /** The function a local function is declared in. */
  parent?: FunctionScope;
  parameters: Parameter[];
  mentionsAllTasks: boolean;
}

export interface Site {
  node: Node;
  type?: TypeScope;
  fn?: FunctionScope;
  /** Lambdas/anonymous methods between the site and its function. */
  lambdas: number;
}

export interface Declarator {
  name: string;
  node: Node;
  /** Declared type; undefined for `var`. */
  type?: Node;
  value?: Node;
  site: Site;
  isField: boolean;
  modifiers: string[];
}

export interface ForeachVariable {
  name: string;
  type?: Node;
  collection?: Node;
  site: Site;
}

export interface CSharpFile {
  text: string;
  root: Node;
  usings: Set<string>;
  /** `using X = A.B.C;` alias → target. */
  aliases: Map<string, string>;
  types: TypeScope[];
  functions: FunctionScope[];
  invocations: Site[];
  creations: Site[];
  assignments: Site[];
  awaits: Site[];
  declarators: Declarator[];
  foreachVariables: ForeachVariable[];
  methodsByName: Map<string, FunctionScope[]>;
  mentionsAllTasks: boolean;
  /** Indexes built after the walk, so per-class and per-function questions don't rescan the file. */
  localsByFunction: Map<FunctionScope, Declarator[]>;
  fieldsByType: Map<TypeScope, Declarator[]>;
  byType: Map<TypeScope | undefined, { invocations: Site[]; assignments: Site[]; awaits: Site[]; declarators: Declarator[] }>;
}

const TYPE_KINDS: Record<string, TypeScope['kind']> = {
  class_declaration: 'class',
  record_declaration: 'record',
  record_struct_declaration: 'record',
  struct_declaration: 'struct',
  interface_declaration: 'interface',
};

const FUNCTION_TYPES = new Set([
  'method_declaration',
  'constructor_declaration',
  'destructor_declaration',
  'operator_declaration',
  'conversion_operator_declaration',
  'local_function_statement',
  'property_declaration',
  'indexer_declaration',
  'event_declaration',
]);

/** Every node type the scan acts on. */
const VISITED_TYPES: ReadonlySet<string> = new Set([
  'using_directive',
  'namespace_declaration',
  'ERROR',
  'file_scoped_namespace_declaration',
  'lambda_expression',
  'anonymous_method_expression',
  'invocation_expression',
  'object_creation_expression',
  'implicit_object_creation_expression',
  'assignment_expression',
  'await_expression',
  'variable_declarator',
  'foreach_statement',
  ...Object.keys(TYPE_KINDS),
  ...FUNCTION_TYPES,
]);

type Frame =
  | { kind: 'namespace'; name: string }
  | { kind: 'lambda' }
  // Scopes save the function and lambda depth they interrupt, restored when they end.
  | { kind: 'type'; scope: TypeScope; savedFn?: FunctionScope; savedLambdas: number }
  | { kind: 'function'; scope: FunctionScope; savedLambdas: number };

export function scanCSharp(tree: Tree, text: string): CSharpFile {
  const file: CSharpFile = {
    text,
    root: tree.rootNode,
    usings: new Set(),
    aliases: new Map(),
    types: [],
    functions: [],
    invocations: [],
    creations: [],
    assignments: [],
    awaits: [],
    declarators: [],
    foreachVariables: [],
    methodsByName: new Map(),
    mentionsAllTasks: false,
    localsByFunction: new Map(),
    fieldsByType: new Map(),
    byType: new Map(),
  };
  const frames: Frame[] = [];
  const namespaces: string[] = [];
  let fileNamespace = '';
  let currentType: TypeScope | undefined;
  let currentFn: FunctionScope | undefined;
  let lambdas = 0;
  const site = (node: Node): Site => ({ node, type: currentType, fn: currentFn, lambdas });

  const push = (frame: Frame): true => {
    frames.push(frame);
    if (frame.kind === 'namespace') namespaces.push(frame.name);
    else if (frame.kind === 'lambda') lambdas++;
    return true;
  };

  walk(
    tree,
    VISITED_TYPES,
    (type, get) => {
      switch (type) {
        case 'using_directive': {
          const node = get();
          const alias = node.childForFieldName('name');
          const target = node.namedChildren.filter((c) => c && c.id !== alias?.id).pop();
          const targetText = typeText(target);
          if (!targetText) return;
          if (alias) file.aliases.set(alias.text, targetText);
          else file.usings.add(targetText);
          return;
        }
        case 'namespace_declaration': {
          const name = typeText(get().childForFieldName('name'));
          return push({ kind: 'namespace', name: name ?? '' });
        }
        case 'ERROR': {
          // Mid-edit, a namespace whose braces no longer match parses as `namespace` `Name` inside an ERROR.
          const children = get().children;
          const keyword = children.findIndex((c) => c?.type === 'namespace' && !c.isNamed);
          const name = keyword >= 0 ? children[keyword + 1] : undefined;
          if (name && (name.type === 'identifier' || name.type === 'qualified_name')) return push({ kind: 'namespace', name: typeText(name)! });
          return;
        }
        case 'file_scoped_namespace_declaration':
          fileNamespace = typeText(get().childForFieldName('name')) ?? '';
          return;
        case 'lambda_expression':
        case 'anonymous_method_expression':
          return push({ kind: 'lambda' });
        case 'invocation_expression':
          file.invocations.push(site(get()));
          return;
        case 'object_creation_expression':
        case 'implicit_object_creation_expression':
          file.creations.push(site(get()));
          return;
        case 'assignment_expression':
          file.assignments.push(site(get()));
          return;
        case 'await_expression':
          file.awaits.push(site(get()));
          return;
        case 'variable_declarator':
          addDeclarator(file, get(), site);
          return;
        case 'foreach_statement': {
          const node = get();
          const left = node.childForFieldName('left');
          if (left?.type === 'identifier') {
            file.foreachVariables.push({ name: left.text, type: node.childForFieldName('type') ?? undefined, collection: node.childForFieldName('right') ?? undefined, site: site(node) });
          }
          return;
        }
      }
      const kind = TYPE_KINDS[type];
      if (kind) {
        const node = get();
        const nameNode = node.childForFieldName('name');
        if (!nameNode) return;
        const namespace = [fileNamespace, ...namespaces].filter(Boolean).join('.');
        const path = currentType ? `${currentType.path}.${nameNode.text}` : nameNode.text;
        const scope: TypeScope = { node, kind, name: nameNode.text, nameNode, path, namespace, fullName: namespace ? `${namespace}.${path}` : path, parent: currentType, mentionsAllTasks: false };
        file.types.push(scope);
        frames.push({ kind: 'type', scope, savedFn: currentFn, savedLambdas: lambdas });
        currentType = scope;
        currentFn = undefined;
        lambdas = 0;
        return true;
      }
      if (FUNCTION_TYPES.has(type)) {
        const node = get();
        const nameNode = node.childForFieldName('name') ?? undefined;
        const name = type === 'constructor_declaration' || type === 'destructor_declaration' ? currentType?.name ?? '' : nameNode?.text ?? type;
        const scope: FunctionScope = { node, name, nameNode, type: currentType, parent: currentFn, parameters: parametersOf(node), mentionsAllTasks: false };
        file.functions.push(scope);
        if (type === 'method_declaration') {
          const list = file.methodsByName.get(name) ?? [];
          list.push(scope);
          file.methodsByName.set(name, list);
        }
        frames.push({ kind: 'function', scope, savedLambdas: lambdas });
        currentFn = scope;
        lambdas = 0;
        return true;
      }
      return;
    },
    () => {
      const frame = frames.pop();
      if (!frame) return;
      if (frame.kind === 'namespace') namespaces.pop();
      else if (frame.kind === 'lambda') lambdas--;
      else if (frame.kind === 'function') {
        currentFn = frame.scope.parent;
        lambdas = frame.savedLambdas;
      } else {
        currentType = frame.scope.parent;
        currentFn = frame.savedFn;
        lambdas = frame.savedLambdas;
      }
    },
  );
  markAllTasks(file);
  buildIndexes(file);
  return file;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function buildIndexes(file: CSharpFile): void {
  const of = (type: TypeScope | undefined) => {
    let entry = file.byType.get(type);
    if (!entry) file.byType.set(type, (entry = { invocations: [], assignments: [], awaits: [], declarators: [] }));
    return entry;
  };
  for (const s of file.invocations) of(s.type).invocations.push(s);
  for (const s of file.assignments) of(s.type).assignments.push(s);
  for (const s of file.awaits) of(s.type).awaits.push(s);
  for (const d of file.declarators) {
    of(d.site.type).declarators.push(d);
    if (d.isField) {
      if (d.site.type) push(file.fieldsByType, d.site.type, d);
    } else if (d.site.fn) push(file.localsByFunction, d.site.fn, d);
  }
}

const EMPTY_SITES = { invocations: [] as Site[], assignments: [] as Site[], awaits: [] as Site[], declarators: [] as Declarator[] };

/** The sites directly inside a type (not in nested types). */
export function sitesOf(file: CSharpFile, type: TypeScope | undefined): typeof EMPTY_SITES {
  return file.byType.get(type) ?? EMPTY_SITES;
}

function parametersOf(node: Node): Parameter[] {
  const list = node.childForFieldName('parameters');
  if (!list) return [];
  const out: Parameter[] = [];
  for (const p of list.namedChildren) {
    if (!p || p.type !== 'parameter') continue;
    const name = p.childForFieldName('name');
    if (name) out.push({ name: name.text, index: out.length, type: p.childForFieldName('type') ?? undefined });
  }
  return out;
}

function addDeclarator(file: CSharpFile, node: Node, site: (n: Node) => Site): void {
  const nameNode = node.childForFieldName('name');
  if (!nameNode) return;
  const declaration = node.parent;
  const holder = declaration?.parent;
  const named = node.namedChildren;
  const last = named[named.length - 1];
  const value = last && last.id !== nameNode.id && last.type !== 'bracketed_argument_list' ? last : undefined;
  const typeNode = declaration?.type === 'variable_declaration' ? declaration.childForFieldName('type') : null;
  const isField = holder?.type === 'field_declaration' || holder?.type === 'event_field_declaration';
  file.declarators.push({
    name: nameNode.text,
    node,
    type: typeNode && typeNode.type !== 'implicit_type' ? typeNode : undefined,
    value,
    site: site(node),
    isField,
    modifiers: isField && holder ? holder.namedChildren.filter((c) => c?.type === 'modifier').map((c) => c!.text) : [],
  });
}

/** `AllTasks` written as code (not in comments or strings) marks its function, its type and the file. */
function markAllTasks(file: CSharpFile): void {
  const re = /\bAllTasks\b/g;
  for (let m = re.exec(file.text); m; m = re.exec(file.text)) {
    const at = m.index;
    const node = file.root.descendantForIndex(at, at + m[0].length);
    if (node?.type !== 'identifier') continue;
    file.mentionsAllTasks = true;
    let fn: FunctionScope | undefined;
    for (const f of file.functions) if (f.node.startIndex <= at && at < f.node.endIndex) fn = f;
    if (fn) fn.mentionsAllTasks = true;
    let type: TypeScope | undefined;
    for (const t of file.types) if (t.node.startIndex <= at && at < t.node.endIndex) type = t;
    if (type) type.mentionsAllTasks = true;
  }
}

export type Binding =
  | { kind: 'parameter'; parameter: Parameter; fn: FunctionScope }
  | { kind: 'local' | 'field'; declarator: Declarator }
  | { kind: 'foreach'; variable: ForeachVariable };

/** What a simple name at `site` refers to: a local declared before it, a parameter, a foreach variable or a field. */
export function lookup(file: CSharpFile, name: string, site: Site): Binding | undefined {
  const bare = name.replace(/^this\./, '');
  const at = site.node.startIndex;
  if (bare === name) {
    for (let fn = site.fn; fn; fn = fn.parent) {
      let best: Declarator | undefined;
      for (const d of file.localsByFunction.get(fn) ?? []) if (d.name === bare && d.node.startIndex < at) best = d;
      if (best) return { kind: 'local', declarator: best };
      const parameter = fn.parameters.find((p) => p.name === bare);
      if (parameter) return { kind: 'parameter', parameter, fn };
      const variable = file.foreachVariables.find((v) => v.site.fn === fn && v.name === bare && v.site.node.startIndex < at && at < v.site.node.endIndex);
      if (variable) return { kind: 'foreach', variable };
    }
  }
  for (let type = site.type; type; type = type.parent) {
    const field = file.fieldsByType.get(type)?.find((d) => d.name === bare);
    if (field) return { kind: 'field', declarator: field };
  }
  return undefined;
}

export function bindingType(binding: Binding | undefined): Node | undefined {
  if (!binding) return undefined;
  if (binding.kind === 'parameter') return binding.parameter.type;
  if (binding.kind === 'foreach') return binding.variable.type?.type === 'implicit_type' ? undefined : binding.variable.type;
  return binding.declarator.type;
}

/** The receiver text of `x.M(...)` / `x?.M(...)` and the method's simple name. */
export function calleeParts(invocation: Node): { receiver?: Node; name?: string; nameNode?: Node; text: string } {
  const fn = invocation.childForFieldName('function');
  if (!fn) return { text: '' };
  switch (fn.type) {
    case 'identifier':
      return { name: fn.text, nameNode: fn, text: fn.text };
    case 'generic_name':
      return { name: fn.namedChildren[0]?.text, nameNode: fn.namedChildren[0] ?? undefined, text: fn.namedChildren[0]?.text ?? '' };
    case 'member_access_expression': {
      const nameNode = fn.childForFieldName('name');
      const name = nameNode?.type === 'generic_name' ? nameNode.namedChildren[0]?.text : nameNode?.text;
      return { receiver: fn.childForFieldName('expression') ?? undefined, name, nameNode: nameNode ?? undefined, text: compactText(fn).replace(/<[^()]*>$/, '') };
    }
    case 'conditional_access_expression': {
      const binding = fn.namedChildren.find((c) => c?.type === 'member_binding_expression');
      const nameNode = binding?.childForFieldName('name');
      return { receiver: fn.childForFieldName('condition') ?? undefined, name: nameNode?.text, nameNode: nameNode ?? undefined, text: compactText(fn) };
    }
    default:
      return { text: compactText(fn) };
  }
}
