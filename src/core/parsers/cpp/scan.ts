// One cursor walk over a C++ tree (parsed from the masked text, see ./mask) that records what the
// fact builders need: `using namespace` directives, namespaces and classes with their nesting,
// functions (in-class and out-of-class `A::B::F` definitions) and method declarations with their
// parameters, and the interesting expression sites (calls, creations, assignments, co_awaits,
// declarators, range-for loops), each tagged with its enclosing function, class and lambda depth.
import type { Node, Tree } from 'web-tree-sitter';
import { walk } from '../tsUtil';
import type { CxClassInfo, MaskResult, Token } from './mask';
import { nameNodes, nameSegments } from './values';

export interface CppClass {
  node: Node;
  kind: 'class' | 'struct';
  name: string;
  nameNode: Node;
  /** The `class`/`struct` keyword. */
  keyword: Node;
  namespace: string[];
  /** Nesting path inside the namespace: `Outer.Inner`. */
  path: string;
  fullName: string;
  parent?: CppClass;
  /** What the masking removed: `public`, `ref`, `sealed`. */
  cx?: CxClassInfo;
  body: Node;
  mentionsAllTasks: boolean;
}

export interface Parameter {
  name: string;
  index: number;
  type?: Node;
}

export interface CppFunction {
  /** function_definition, or the declaration of a function without body. */
  node: Node;
  name: string;
  nameNode: Node;
  /** Segments written before the name: `Tasks::Task::Run` → [Tasks, Task]. */
  qualifier: string[];
  qualifierNodes: Node[];
  /** The class the function is a member of: declared in its body, or named by the qualifier. */
  cls?: CppClass;
  namespace: string[];
  parameters: Parameter[];
  returnType?: Node;
  body?: Node;
  mentionsAllTasks: boolean;
}

export interface Site {
  node: Node;
  fn?: CppFunction;
  cls?: CppClass;
  /** Lambdas between the site and its function. */
  lambdas: number;
}

export interface Declarator {
  name: string;
  nameNode: Node;
  /** Segments of a qualified declarator name (`Tasks::Names::X` → [Tasks, Names, X]). */
  segments: string[];
  /** The declaration / field_declaration. */
  node: Node;
  type?: Node;
  /** `= value`, or the single element of `auto x{ value }`. */
  value?: Node;
  /** Constructor arguments: `T x(args)`, `T x{args}` (argument_list, initializer_list or a vexing-parse parameter_list). */
  ctorArgs?: Node;
  /** Declared through `*`/`&` (a C++/CX `T^` handle is masked to `T*`). */
  isPointer: boolean;
  scope: 'local' | 'member' | 'global';
  site: Site;
}

export interface ForRange {
  name: string;
  type?: Node;
  collection?: Node;
  site: Site;
}

export interface CppFile {
  /** The original text: every text fact is read from it. */
  text: string;
  mask: MaskResult;
  root: Node;
  usingNamespaces: string[][];
  /** `namespace x = A::B;` alias → target (dotted). */
  aliases: Map<string, string>;
  classes: CppClass[];
  /** Function definitions (with bodies). */
  functions: CppFunction[];
  /** Function declarations without body (in class bodies and at namespace scope). */
  declarations: CppFunction[];
  calls: Site[];
  creations: Site[];
  assignments: Site[];
  awaits: Site[];
  /** co_return / co_yield: make a function a coroutine. */
  coroutineMarks: Site[];
  declarators: Declarator[];
  forRanges: ForRange[];
  macros: Array<{ name: string; value: string; node: Node }>;
  mentionsAllTasks: boolean;
  /** Namespace blocks found from the tokens (robust when the tree has errors). */
  namespaceBlocks: NamespaceBlock[];
  /** Per function: its sites, for per-class and per-function questions. */
  byFunction: Map<CppFunction | undefined, { calls: Site[]; assignments: Site[]; awaits: Site[]; declarators: Declarator[] }>;
}

export interface NamespaceBlock {
  segments: string[];
  /** From the `{` to the matching `}` (or the end of the text when it is missing). */
  start: number;
  end: number;
}

/** `namespace A::B { ... }` blocks by brace matching over the code tokens; an unclosed block runs to the end. */
export function namespaceBlocks(tokens: readonly Token[], textLength: number): NamespaceBlock[] {
  const blocks: NamespaceBlock[] = [];
  const stack: Array<NamespaceBlock | undefined> = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'id' && t.text === 'namespace' && tokens[i - 1]?.text !== 'using') {
      const segments: string[] = [];
      let k = i + 1;
      for (; k < tokens.length; k++) {
        const u = tokens[k];
        if (u.kind === 'id' && u.text !== 'inline') segments.push(u.text);
        else if (!(u.kind === 'punct' && u.text === ':') && !(u.kind === 'id' && u.text === 'inline')) break;
      }
      if (tokens[k]?.text === '{') {
        const block = { segments, start: tokens[k].start, end: textLength };
        blocks.push(block);
        stack.push(block);
        i = k;
      }
      continue;
    }
    if (t.kind !== 'punct') continue;
    if (t.text === '{') stack.push(undefined);
    else if (t.text === '}') {
      const block = stack.pop();
      if (block) block.end = t.end;
    }
  }
  return blocks;
}

export function namespaceAtOffset(blocks: readonly NamespaceBlock[], offset: number): string[] {
  const out: string[] = [];
  for (const b of blocks) if (b.start < offset && offset < b.end) out.push(...b.segments);
  return out;
}

/** `winrt::Tasks::implementation` → [Tasks]: the namespace as the manifest and TaskEntryPoint write it. */
export function projectedNamespace(segments: readonly string[]): string[] {
  const out = segments.filter((s) => s && s !== 'implementation' && s !== 'factory_implementation');
  if (out[0] === 'winrt') out.shift();
  return out;
}

export function fullNameOf(namespace: readonly string[], path: string): string {
  return [...projectedNamespace(namespace), path].join('.');
}

/** Every node type the scan acts on. */
const VISITED_TYPES: ReadonlySet<string> = new Set([
  'namespace_definition',
  'class_specifier',
  'struct_specifier',
  'function_definition',
  'declaration',
  'field_declaration',
  'lambda_expression',
  'call_expression',
  'new_expression',
  'compound_literal_expression',
  'assignment_expression',
  'co_await_expression',
  'co_return_statement',
  'co_yield_statement',
  'for_range_loop',
  'using_declaration',
  'namespace_alias_definition',
  'preproc_def',
]);

const DECLARATOR_WRAPPERS = new Set(['pointer_declarator', 'reference_declarator', 'array_declarator', 'parenthesized_declarator', 'attributed_declarator', 'init_declarator']);

/** The function_declarator inside a declarator (`Foo* X::Get()` wraps it in a pointer declarator). */
export function functionDeclarator(node: Node | null | undefined): Node | undefined {
  let n = node;
  for (let depth = 0; n && depth < 8; depth++) {
    if (n.type === 'function_declarator') return n;
    if (!DECLARATOR_WRAPPERS.has(n.type)) return undefined;
    n = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => !!c && c.type !== 'type_qualifier' && c.type !== 'ms_pointer_modifier') ?? null;
  }
  return undefined;
}

/** The name inside a declarator, and whether a `*`/`&` wraps it. */
function declaratorName(node: Node | null | undefined): { nameNode: Node; isPointer: boolean } | undefined {
  let n = node;
  let isPointer = false;
  for (let depth = 0; n && depth < 8; depth++) {
    if (n.type === 'identifier' || n.type === 'field_identifier' || n.type === 'qualified_identifier') return { nameNode: n, isPointer };
    if (!DECLARATOR_WRAPPERS.has(n.type)) return undefined;
    if (n.type === 'pointer_declarator' || n.type === 'reference_declarator') isPointer = true;
    n = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => !!c && c.type !== 'type_qualifier' && c.type !== 'ms_pointer_modifier') ?? null;
  }
  return undefined;
}

function parametersOf(fd: Node, text: string): Parameter[] {
  const list = fd.childForFieldName('parameters');
  const out: Parameter[] = [];
  for (const p of list?.namedChildren ?? []) {
    if (!p || (p.type !== 'parameter_declaration' && p.type !== 'optional_parameter_declaration')) continue;
    const name = declaratorName(p.childForFieldName('declarator'));
    const index = out.length;
    out.push({ name: name ? text.slice(name.nameNode.startIndex, name.nameNode.endIndex) : '', index, type: p.childForFieldName('type') ?? undefined });
  }
  return out;
}

type Frame =
  | { kind: 'namespace'; segments: string[] }
  | { kind: 'lambda' }
  | { kind: 'class'; scope: CppClass; savedFn?: CppFunction; savedLambdas: number }
  | { kind: 'function'; scope: CppFunction; savedFn?: CppFunction; savedLambdas: number };

export function scanCpp(tree: Tree, text: string, mask: MaskResult): CppFile {
  const file: CppFile = {
    text,
    mask,
    root: tree.rootNode,
    usingNamespaces: [],
    aliases: new Map(),
    classes: [],
    functions: [],
    declarations: [],
    calls: [],
    creations: [],
    assignments: [],
    awaits: [],
    coroutineMarks: [],
    declarators: [],
    forRanges: [],
    macros: [],
    mentionsAllTasks: false,
    namespaceBlocks: namespaceBlocks(mask.tokens, text.length),
    byFunction: new Map(),
  };
  // Mid-edit, tree-sitter often loses a namespace whose braces no longer match: the tokens keep it.
  const recovering = tree.rootNode.hasError;
  const namespaceFor = (offset: number) => (recovering ? namespaceAtOffset(file.namespaceBlocks, offset) : namespace);
  const frames: Frame[] = [];
  let namespace: string[] = [];
  let currentClass: CppClass | undefined;
  let currentFn: CppFunction | undefined;
  let lambdas = 0;
  const site = (node: Node): Site => ({ node, fn: currentFn, cls: currentFn?.cls ?? currentClass, lambdas });
  const slice = (n: Node) => text.slice(n.startIndex, n.endIndex);

  const makeFunction = (node: Node, fd: Node, body: Node | undefined): CppFunction | undefined => {
    const nameNode = fd.childForFieldName('declarator');
    const parts = nameNodes(nameNode);
    if (!nameNode || !parts?.length) return undefined;
    const last = parts[parts.length - 1];
    const qualifierNodes = parts.slice(0, -1);
    return {
      node,
      name: slice(last),
      nameNode: last,
      qualifier: qualifierNodes.map(slice),
      qualifierNodes,
      cls: qualifierNodes.length ? undefined : currentFn ? undefined : currentClass,
      namespace: namespaceFor(node.startIndex),
      parameters: parametersOf(fd, text),
      returnType: node.childForFieldName('type') ?? undefined,
      body,
      mentionsAllTasks: false,
    };
  };

  const addDeclarators = (node: Node) => {
    const type = node.childForFieldName('type') ?? undefined;
    const scope: Declarator['scope'] = currentFn ? 'local' : node.type === 'field_declaration' ? 'member' : 'global';
    for (const d of node.childrenForFieldName('declarator')) {
      if (!d) continue;
      const fd = functionDeclarator(d);
      if (fd) {
        if (currentFn) {
          // `SystemTrigger trigger(SystemTriggerType::X, false);` parses as a function declaration.
          const name = declaratorName(fd.childForFieldName('declarator'));
          if (name) file.declarators.push({ name: slice(name.nameNode), nameNode: name.nameNode, segments: [slice(name.nameNode)], node, type, ctorArgs: fd.childForFieldName('parameters') ?? undefined, isPointer: false, scope, site: site(node) });
        } else {
          const fn = makeFunction(node, fd, undefined);
          if (fn) file.declarations.push(fn);
        }
        continue;
      }
      let inner: Node | null = d;
      let value: Node | undefined;
      let ctorArgs: Node | undefined;
      if (d.type === 'init_declarator') {
        inner = d.childForFieldName('declarator');
        const v = d.childForFieldName('value') ?? undefined;
        if (v?.type === 'argument_list' || v?.type === 'initializer_list') {
          const items = v.namedChildren.filter((c) => c && c.type !== 'comment');
          if (type?.type === 'placeholder_type_specifier' && items.length === 1 && items[0]) value = items[0];
          else ctorArgs = v;
        } else value = v;
      } else if (node.type === 'field_declaration') {
        const v = node.childForFieldName('default_value') ?? undefined;
        if (v?.type === 'initializer_list') ctorArgs = v;
        else value = v;
      }
      const name = declaratorName(inner);
      if (!name) continue;
      const segments = nameSegments(name.nameNode, text) ?? [slice(name.nameNode)];
      file.declarators.push({ name: segments[segments.length - 1], nameNode: name.nameNode, segments, node, type, value, ctorArgs, isPointer: name.isPointer, scope, site: site(node) });
    }
  };

  walk(
    tree,
    VISITED_TYPES,
    (type, get) => {
      switch (type) {
        case 'namespace_definition': {
          const name = get().childForFieldName('name');
          const segments = (name && nameSegments(name, text)) ?? [];
          frames.push({ kind: 'namespace', segments });
          namespace = [...namespace, ...segments];
          return true;
        }
        case 'class_specifier':
        case 'struct_specifier': {
          const node = get();
          const body = node.childForFieldName('body');
          const parts = nameNodes(node.childForFieldName('name'));
          const keyword = node.children.find((c) => !!c && !c.isNamed && (c.type === 'class' || c.type === 'struct'));
          if (!body || !parts?.length || !keyword) return;
          const nameNode = parts[parts.length - 1];
          const name = slice(nameNode);
          const ns = [...namespaceFor(keyword.startIndex), ...parts.slice(0, -1).map(slice)];
          const path = currentClass ? `${currentClass.path}.${name}` : name;
          const scope: CppClass = {
            node,
            kind: type === 'class_specifier' ? 'class' : 'struct',
            name,
            nameNode,
            keyword,
            namespace: ns,
            path,
            fullName: fullNameOf(ns, path),
            parent: currentClass,
            cx: file.mask.classes.get(keyword.startIndex),
            body,
            mentionsAllTasks: false,
          };
          file.classes.push(scope);
          frames.push({ kind: 'class', scope, savedFn: currentFn, savedLambdas: lambdas });
          currentClass = scope;
          currentFn = undefined;
          lambdas = 0;
          return true;
        }
        case 'function_definition': {
          const node = get();
          const fd = functionDeclarator(node.childForFieldName('declarator'));
          const fn = fd && makeFunction(node, fd, node.childForFieldName('body') ?? undefined);
          if (!fn) return;
          file.functions.push(fn);
          frames.push({ kind: 'function', scope: fn, savedFn: currentFn, savedLambdas: lambdas });
          currentFn = fn;
          lambdas = 0;
          return true;
        }
        case 'declaration':
        case 'field_declaration':
          addDeclarators(get());
          return;
        case 'lambda_expression':
          frames.push({ kind: 'lambda' });
          lambdas++;
          return true;
        case 'call_expression':
          file.calls.push(site(get()));
          file.creations.push(site(get()));
          return;
        case 'new_expression':
        case 'compound_literal_expression':
          file.creations.push(site(get()));
          return;
        case 'assignment_expression':
          file.assignments.push(site(get()));
          return;
        case 'co_await_expression':
          file.awaits.push(site(get()));
          return;
        case 'co_return_statement':
        case 'co_yield_statement':
          file.coroutineMarks.push(site(get()));
          return;
        case 'for_range_loop': {
          const node = get();
          const name = declaratorName(node.childForFieldName('declarator'));
          if (name) file.forRanges.push({ name: slice(name.nameNode), type: node.childForFieldName('type') ?? undefined, collection: node.childForFieldName('right') ?? undefined, site: site(node) });
          return;
        }
        case 'using_declaration': {
          const node = get();
          if (!node.children.some((c) => c?.type === 'namespace' && !c.isNamed)) return;
          const target = node.namedChildren.find((c) => c && c.type !== 'comment');
          const segments = target && nameSegments(target, text);
          if (segments) file.usingNamespaces.push(segments);
          return;
        }
        case 'namespace_alias_definition': {
          const node = get();
          const name = node.childForFieldName('name');
          const target = node.namedChildren.filter((c) => c && c.id !== name?.id && c.type !== 'comment').pop();
          const segments = target && nameSegments(target, text);
          if (name && segments) file.aliases.set(slice(name), segments.join('.'));
          return;
        }
        case 'preproc_def': {
          const node = get();
          const name = node.childForFieldName('name');
          const value = node.childForFieldName('value');
          if (name && value) file.macros.push({ name: slice(name), value: slice(value), node });
          return;
        }
      }
      return;
    },
    () => {
      const frame = frames.pop();
      if (!frame) return;
      if (frame.kind === 'namespace') namespace = namespace.slice(0, namespace.length - frame.segments.length);
      else if (frame.kind === 'lambda') lambdas--;
      else if (frame.kind === 'function') {
        currentFn = frame.savedFn;
        lambdas = frame.savedLambdas;
      } else {
        currentClass = frame.scope.parent;
        currentFn = frame.savedFn;
        lambdas = frame.savedLambdas;
      }
    },
  );
  resolveOwners(file);
  markAllTasks(file);
  buildIndexes(file);
  return file;
}

/** Out-of-class definitions `Task::Run` belong to the class of that name when this file has it. */
function resolveOwners(file: CppFile): void {
  for (const fn of [...file.functions, ...file.declarations]) {
    if (fn.cls || !fn.qualifier.length) continue;
    const owner = fn.qualifier[fn.qualifier.length - 1];
    const candidates = file.classes.filter((c) => c.name === owner);
    const written = fn.qualifier.join('.');
    fn.cls = candidates.find((c) => `${c.namespace.join('.')}.${c.path}`.endsWith(written)) ?? candidates[0];
  }
  for (const list of [file.calls, file.creations, file.assignments, file.awaits, file.coroutineMarks]) for (const s of list) if (s.fn?.cls) s.cls = s.fn.cls;
  for (const d of file.declarators) if (d.site.fn?.cls) d.site.cls = d.site.fn.cls;
  for (const r of file.forRanges) if (r.site.fn?.cls) r.site.cls = r.site.fn.cls;
}

function buildIndexes(file: CppFile): void {
  const of = (fn: CppFunction | undefined) => {
    let entry = file.byFunction.get(fn);
    if (!entry) file.byFunction.set(fn, (entry = { calls: [], assignments: [], awaits: [], declarators: [] }));
    return entry;
  };
  for (const s of file.calls) of(s.fn).calls.push(s);
  for (const s of file.assignments) of(s.fn).assignments.push(s);
  for (const s of file.awaits) of(s.fn).awaits.push(s);
  for (const d of file.declarators) of(d.site.fn).declarators.push(d);
}

const NAME_NODE_TYPES = new Set(['identifier', 'field_identifier', 'type_identifier', 'namespace_identifier']);

/** `AllTasks` written as code (not in comments or strings) marks its function, its class and the file. */
function markAllTasks(file: CppFile): void {
  const re = /\bAllTasks\b/g;
  for (let m = re.exec(file.text); m; m = re.exec(file.text)) {
    const at = m.index;
    const node = file.root.descendantForIndex(at, at + m[0].length);
    if (!node || !NAME_NODE_TYPES.has(node.type)) continue;
    file.mentionsAllTasks = true;
    let fn: CppFunction | undefined;
    for (const f of file.functions) if (f.node.startIndex <= at && at < f.node.endIndex) fn = f;
    if (fn) fn.mentionsAllTasks = true;
    let cls: CppClass | undefined = fn?.cls;
    if (!cls) for (const c of file.classes) if (c.node.startIndex <= at && at < c.node.endIndex) cls = c;
    if (cls) cls.mentionsAllTasks = true;
  }
}

/** Members of a class (or of an owner known only by name): the functions whose sites count for it. */
export function isMemberOf(fn: CppFunction | undefined, cls: CppClass | undefined, owner?: string): boolean {
  if (!fn) return false;
  if (cls) return fn.cls === cls;
  return !fn.cls && !!owner && fn.qualifier.join('::') === owner;
}

export type Binding =
  | { kind: 'parameter'; parameter: Parameter; fn: CppFunction }
  | { kind: 'local' | 'member' | 'global'; declarator: Declarator }
  | { kind: 'range'; variable: ForRange };

/** What a name at `site` refers to: a local declared before it, a parameter, a range-for variable, a member or a global. */
export function lookup(file: CppFile, name: string, site: Site): Binding | undefined {
  const bare = name.replace(/^this\./, '');
  const at = site.node.startIndex;
  if (bare === name && site.fn) {
    let best: Declarator | undefined;
    for (const d of file.byFunction.get(site.fn)?.declarators ?? []) if (d.name === bare && d.scope === 'local' && d.node.startIndex < at) best = d;
    if (best) return { kind: 'local', declarator: best };
    const parameter = site.fn.parameters.find((p) => p.name === bare);
    if (parameter) return { kind: 'parameter', parameter, fn: site.fn };
    const variable = file.forRanges.find((v) => v.site.fn === site.fn && v.name === bare && v.site.node.startIndex < at && at < v.site.node.endIndex);
    if (variable) return { kind: 'range', variable };
  }
  const cls = site.fn?.cls ?? site.cls;
  for (let c = cls; c; c = c.parent) {
    const member = file.declarators.find((d) => d.scope === 'member' && d.name === bare && d.site.cls === c && !d.site.fn);
    if (member) return { kind: 'member', declarator: member };
  }
  if (bare !== name) return undefined;
  const global = file.declarators.find((d) => d.scope === 'global' && d.name === bare);
  return global ? { kind: 'global', declarator: global } : undefined;
}

export function bindingType(binding: Binding | undefined): Node | undefined {
  if (!binding) return undefined;
  if (binding.kind === 'parameter') return binding.parameter.type;
  if (binding.kind === 'range') return binding.variable.type?.type === 'placeholder_type_specifier' ? undefined : binding.variable.type;
  return binding.declarator.type?.type === 'placeholder_type_specifier' ? undefined : binding.declarator.type;
}

/** The receiver and method name of `x->M(...)`, `x.M(...)`, `A::M(...)`, `M(...)`. */
export function calleeParts(call: Node, text: string): { receiver?: Node; name?: string; nameNode?: Node; scope?: string[]; text: string } {
  const fn = call.childForFieldName('function');
  if (!fn) return { text: '' };
  const written = text.slice(fn.startIndex, fn.endIndex);
  if (fn.type === 'field_expression') {
    const field = fn.childForFieldName('field');
    const parts = nameNodes(field);
    const nameNode = parts?.[parts.length - 1];
    return { receiver: fn.childForFieldName('argument') ?? undefined, name: nameNode ? text.slice(nameNode.startIndex, nameNode.endIndex) : undefined, nameNode, text: written };
  }
  const parts = nameNodes(fn);
  if (!parts?.length) return { text: written };
  const nameNode = parts[parts.length - 1];
  return { name: text.slice(nameNode.startIndex, nameNode.endIndex), nameNode, scope: parts.slice(0, -1).map((p) => text.slice(p.startIndex, p.endIndex)), text: written };
}
