// Classes of a C++ file. Task classes are C++/CX `ref class X sealed : IBackgroundTask`, C++/WinRT
// `struct X : implements<X, IBackgroundTask>` or `struct X : XT<X>` (the generated base of a runtime
// class; only with a Run(IBackgroundTaskInstance) member, as the base itself says nothing). A header
// usually only declares Run: its fact has `declarationOnly`. The `.cpp` that defines `X::Run(...)`
// without the class in sight gets a fact of its own, with the Run body, its deferrals and Canceled
// subscription, and public/sealed taken as given (the header's fact judges those).
import type { Node } from 'web-tree-sitter';
import type { ClassFact, DeferralFact, RunMethodFact, SourceLanguage, Span, TaskClassFact } from '../../facts/types';
import { ancestor, indentAt, indentUnit, spanOf, tokenChild } from '../tsUtil';
import type { CxClassInfo, Token } from './mask';
import type { CppClass, CppFile, CppFunction, Site } from './scan';
import { calleeParts, fullNameOf, isMemberOf, namespaceAtOffset, projectedNamespace } from './scan';
import { chainName, isNameChain, simpleName, templateArguments, unwrapParens } from './values';

const TASK = 'IBackgroundTask';

/** How a class derives from IBackgroundTask: directly (C++/CX, ABI), through implements<> (C++/WinRT), through XT<X>, or not. */
type TaskBase = 'direct' | 'implements' | 'generated';

function taskBase(cls: CppClass): TaskBase | undefined {
  const clause = cls.node.namedChildren.find((c) => c?.type === 'base_class_clause');
  if (!clause) return undefined;
  let generated = false;
  for (const base of clause.namedChildren) {
    if (!base || base.type === 'access_specifier' || base.type === 'comment') continue;
    const args = templateArguments(base);
    if (!args.length) {
      if (simpleName(base) === TASK) return 'direct';
      continue;
    }
    if (args.some((a) => simpleName(a) === TASK && !templateArguments(a).length)) return 'implements';
    // `struct Task : TaskT<Task>`: the base generated from the IDL runtime class.
    const baseName = simpleName(base);
    if (baseName === `${cls.name}T` && simpleName(args[0]) === cls.name) generated = true;
  }
  return generated && !cls.namespace.includes('factory_implementation') ? 'generated' : undefined;
}

function isRunSignature(fn: CppFunction): boolean {
  return fn.name === 'Run' && fn.parameters.length === 1 && simpleName(fn.parameters[0].type) === 'IBackgroundTaskInstance';
}

const ASYNC_RETURN = new Set(['fire_and_forget', 'IAsyncAction', 'IAsyncOperation', 'IAsyncActionWithProgress', 'IAsyncOperationWithProgress', 'task']);

/** Sites of the functions of a class (or of an owner this file only names in definitions). */
function memberSites(file: CppFile, cls: CppClass | undefined, owner: string | undefined): { calls: Site[]; assignments: Site[]; awaits: Site[]; declarators: CppFile['declarators'] } {
  const out = { calls: [] as Site[], assignments: [] as Site[], awaits: [] as Site[], declarators: [] as CppFile['declarators'] };
  for (const [fn, sites] of file.byFunction) {
    if (!isMemberOf(fn, cls, owner)) continue;
    out.calls.push(...sites.calls);
    out.assignments.push(...sites.assignments);
    out.awaits.push(...sites.awaits);
    out.declarators.push(...sites.declarators);
  }
  return out;
}

type Members = ReturnType<typeof memberSites>;

const ASYNC_CALLS = new Set(['create_task', 'create_async', 'then', 'when_all', 'when_any', 'async']);
const SYNC_PPL = new Set(['wait', 'cancel_current_task', 'is_task_cancellation_requested', 'is_current_task_group_canceling', 'parallel_for', 'parallel_for_each', 'parallel_invoke']);

/** Starts asynchronous work that outlives a synchronous return from Run. */
function asyncWorkAt(file: CppFile, site: Site): boolean {
  const node = site.node;
  if (node.type === 'co_await_expression') return true;
  if (node.type !== 'call_expression') return false;
  const { name, receiver, scope } = calleeParts(node, file.text);
  if (!name) return false;
  if (ASYNC_CALLS.has(name)) return true;
  // PPL (`concurrency::`) starts tasks, apart from a few synchronous helpers.
  if (scope?.some((s) => s === 'concurrency' || s === 'Concurrency') && !SYNC_PPL.has(name)) return true;
  const owner = scope?.[scope.length - 1] ?? (receiver ? simpleName(receiver) : undefined);
  if (owner === 'ThreadPoolTimer' && name.startsWith('Create')) return true;
  if (owner === 'ThreadPool' && name === 'RunAsync') return true;
  // A bare `FooAsync();` statement: fire-and-forget.
  return /Async$/.test(name) && node.parent?.type === 'expression_statement';
}

/** The variable a deferral is stored in: `auto d = ...`, `d = ...`, `this->d = ...`, or WRL `GetDeferral(&d)`. */
function deferralVariable(file: CppFile, call: Node): string | undefined {
  let parent = call.parent;
  if (parent?.type === 'initializer_list' || parent?.type === 'argument_list') parent = parent.parent;
  if (parent?.type === 'init_declarator') {
    const d = parent.childForFieldName('declarator');
    return d && isNameChain(d) ? chainName(file.text, d) : undefined;
  }
  if (parent?.type === 'assignment_expression' && parent.childForFieldName('right')?.id === call.id) {
    const left = parent.childForFieldName('left');
    return left && isNameChain(left) ? chainName(file.text, left) : undefined;
  }
  const arg = call.childForFieldName('arguments')?.namedChildren[0];
  if (arg?.type === 'pointer_expression') {
    const target = arg.childForFieldName('argument');
    return target && isNameChain(target) ? chainName(file.text, target) : undefined;
  }
  return undefined;
}

const isDeferralCall = (file: CppFile, s: Site) => {
  const { name } = calleeParts(s.node, file.text);
  if (name !== 'GetDeferral' && name !== 'get_deferral') return false;
  const args = s.node.childForFieldName('arguments')?.namedChildren.filter((a) => a && a.type !== 'comment') ?? [];
  return args.length === 0 || (args.length === 1 && args[0]?.type === 'pointer_expression');
};

const BOUNDARY = new Set(['function_definition', 'lambda_expression']);
const SCOPE_EXIT = /^(?:scope_exit|finally|final_action|make_scope_exit|ScopeExit)$/;

/** A `catch (...)` try around all of Run's co_awaits, ending before `call`: Complete() then runs whatever they throw. */
function afterCatchAll(run: CppFunction, awaits: Site[], call: Node): boolean {
  const own = awaits.filter((a) => a.fn === run && a.lambdas === 0);
  if (!own.length) return false;
  return own.every((a) => {
    for (let n = a.node.parent; n && !BOUNDARY.has(n.type); n = n.parent) {
      if (n.type !== 'try_statement' || n.endIndex > call.startIndex) continue;
      if (n.namedChildren.some((c) => c?.type === 'catch_clause' && /^\(\s*\.\.\.\s*\)$/.test(c.childForFieldName('parameters')?.text ?? ''))) return true;
    }
    return false;
  });
}

/** Complete() inside a scope-exit guard's lambda (`auto guard = wil::scope_exit([&] { d.Complete(); })`). */
function inScopeExit(call: Node): boolean {
  const lambda = ancestor(call, new Set(['lambda_expression']), new Set(['function_definition']));
  const outer = lambda?.parent?.type === 'argument_list' ? lambda.parent.parent : undefined;
  const fn = outer?.type === 'call_expression' ? outer.childForFieldName('function') : undefined;
  return !!fn && SCOPE_EXIT.test(simpleName(fn) ?? '');
}

function deferralsOf(file: CppFile, members: Members, run: CppFunction | undefined, firstAwait: number | undefined): DeferralFact[] {
  const out: DeferralFact[] = [];
  for (const s of members.calls) {
    if (!isDeferralCall(file, s)) continue;
    const variable = deferralVariable(file, s.node);
    let completed = false;
    let completedInFinally = false;
    if (variable) {
      for (const c of members.calls) {
        const { name, receiver } = calleeParts(c.node, file.text);
        if (name !== 'Complete' || !receiver || !isNameChain(unwrapParens(receiver)) || chainName(file.text, unwrapParens(receiver)) !== variable) continue;
        completed = true;
        if (inScopeExit(c.node) || (run && afterCatchAll(run, members.awaits, c.node))) completedInFinally = true;
      }
      // Handed to other code (an argument, another variable): we cannot follow it, so assume it completes.
      if (!completed && escapes(file, members, variable, s.node)) completed = true;
    } else {
      // Chained `GetDeferral().Complete()`, passed along or returned: only a bare statement is surely lost.
      completed = s.node.parent?.type !== 'expression_statement';
    }
    out.push({
      span: spanOf(s.node),
      variable,
      completed,
      completedInFinally,
      afterAwait: !!run && s.fn === run && firstAwait !== undefined && s.node.startIndex > firstAwait,
    });
  }
  return out;
}

function escapes(file: CppFile, members: Members, variable: string, taken: Node): boolean {
  const isVar = (n: Node | null | undefined) => !!n && isNameChain(unwrapParens(n)) && chainName(file.text, unwrapParens(n)) === variable;
  for (const s of members.calls) {
    const args = s.node.childForFieldName('arguments');
    if (args?.namedChildren.some((a) => isVar(a) || (a?.type === 'call_expression' && /^(?:std::)?move$/.test(a.childForFieldName('function')?.text ?? '') && isVar(a.childForFieldName('arguments')?.namedChildren[0])))) return true;
  }
  for (const s of members.assignments) if (s.node.id !== taken.parent?.id && isVar(s.node.childForFieldName('right'))) return true;
  for (const d of members.declarators) if (isVar(d.value)) return true;
  return false;
}

function handlesCanceled(members: Members): boolean {
  const isCanceled = (n: Node | null | undefined) => n?.type === 'field_expression' && n.childForFieldName('field')?.text === 'Canceled';
  if (members.assignments.some((s) => s.node.childForFieldName('operator')?.text === '+=' && isCanceled(s.node.childForFieldName('left')))) return true;
  return members.calls.some((s) => isCanceled(s.node.childForFieldName('function')) && !!s.node.childForFieldName('arguments')?.namedChildren.some((a) => a && a.type !== 'comment'));
}

function runFact(file: CppFile, run: CppFunction, members: Members): RunMethodFact {
  const inRun = (s: Site) => s.fn === run && s.lambdas === 0;
  let asyncWork: Node | undefined;
  for (const list of [members.awaits, members.calls]) {
    for (const s of list) if (inRun(s) && asyncWorkAt(file, s) && (!asyncWork || s.node.startIndex < asyncWork.startIndex)) asyncWork = s.node;
  }
  const firstAwait = members.awaits.filter(inRun).reduce<number | undefined>((min, s) => (min === undefined || s.node.startIndex < min ? s.node.startIndex : min), undefined);
  const returns = simpleName(run.returnType);
  const coroutine = firstAwait !== undefined || file.coroutineMarks.some(inRun);
  const hasTryFinally =
    !!run.body &&
    run.body.descendantsOfType('try_statement').some((t) => !!t && ancestor(t, BOUNDARY)?.id === run.node.id && t.namedChildren.some((c) => c?.type === 'catch_clause' && /^\(\s*\.\.\.\s*\)$/.test(c.childForFieldName('parameters')?.text ?? '')));
  return {
    span: spanOf(run.node),
    nameSpan: spanOf(run.nameNode),
    isAsync: coroutine || (!!returns && ASYNC_RETURN.has(returns)),
    bodySpan: run.body?.type === 'compound_statement' ? spanOf(run.body) : undefined,
    asyncWork: asyncWork ? spanOf(asyncWork) : undefined,
    deferrals: run.body ? deferralsOf(file, members, run, firstAwait) : [],
    hasTryFinally,
  };
}

/** Run declared without body: what the declaration tells. */
function declaredRun(run: CppFunction): RunMethodFact {
  const returns = simpleName(run.returnType);
  return { span: spanOf(run.node), nameSpan: spanOf(run.nameNode), isAsync: !!returns && ASYNC_RETURN.has(returns), deferrals: [], hasTryFinally: false };
}

function bodyInsertOf(file: CppFile, cls: CppClass): TaskClassFact['bodyInsert'] {
  const brace = tokenChild(cls.body, '{');
  if (!brace || brace.isMissing) return undefined;
  const members = cls.body.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const classIndent = indentAt(file.text, cls.node.startIndex);
  // After a leading `public:`, so that a Run stub is public.
  let offset = brace.endIndex;
  let first = members[0];
  if (first?.type === 'access_specifier' && file.text.slice(first.startIndex, first.endIndex) === 'public') {
    const colon = first.nextSibling;
    offset = colon && colon.type === ':' ? colon.endIndex : first.endIndex;
    first = members[1];
  }
  const indent = first && first.startIndex > offset ? indentAt(file.text, first.startIndex) : '';
  return { offset, indent: indent.length > classIndent.length ? indent : classIndent + indentUnit(classIndent) };
}

interface Shape {
  language: SourceLanguage;
  isPublic: boolean;
  isSealed: boolean;
  sealedFix?: { offset: number; text: string };
  publicFix?: { span: Span; text: string };
  start: number;
}

/** What decides public/sealed: the masked C++/CX words, `final`, and where fixes go. */
interface Head {
  cx?: CxClassInfo;
  isFinal: boolean;
  nameEnd: number;
  keywordStart: number;
  start: number;
}

function headOf(cls: CppClass): Head {
  const isFinal = cls.node.namedChildren.some((c) => c?.type === 'virtual_specifier' && c.text === 'final');
  return { cx: cls.cx, isFinal, nameEnd: cls.nameNode.endIndex, keywordStart: cls.keyword.startIndex, start: cls.node.startIndex };
}

function shapeOf(head: Head, cxFile: boolean, base?: TaskBase): Shape {
  const { cx, isFinal } = head;
  if (cx?.cxKind || (cxFile && base === 'direct')) {
    const isRef = cx?.cxKind === 'ref';
    const isSealed = !!cx?.sealed || isFinal || cx?.cxKind === 'value';
    const isPublic = !!cx?.cxKind && cx.access?.word === 'public';
    const shape: Shape = { language: 'cppcx', isPublic, isSealed, start: Math.min(cx?.start ?? head.start, head.start) };
    if (!isSealed && !cx?.abstract) shape.sealedFix = { offset: head.nameEnd, text: ' sealed' };
    if (!isPublic) {
      if (cx?.access) shape.publicFix = { span: cx.access.span, text: 'public' };
      else if (cx?.cxWord) shape.publicFix = { span: { start: cx.cxWord.start, end: cx.cxWord.start }, text: 'public ' };
      else shape.publicFix = { span: { start: head.keywordStart, end: head.keywordStart }, text: isRef ? 'public ' : 'public ref ' };
    }
    return shape;
  }
  if (cxFile) {
    // A native class in a C++/CX file: not a Windows Runtime type, not visible outside the component.
    return { language: 'cppcx', isPublic: false, isSealed: isFinal || !!cx?.sealed, start: head.start };
  }
  return { language: 'cppwinrt', isPublic: true, isSealed: true, start: head.start };
}

/** The namespace of an out-of-class definition: its enclosing namespaces and qualifier, else the file's own `using namespace`. */
const SYSTEM_NAMESPACES = /^(?:Windows|Platform|concurrency|Concurrency|std|Microsoft|ABI|WRL|wil|winrt(?:\.(?:Windows|Microsoft)(?:\.|$)|$))/;

function ownerNamespace(file: CppFile, fn: CppFunction): string[] {
  const written = projectedNamespace([...fn.namespace, ...fn.qualifier.slice(0, -1)]);
  if (written.length) return written;
  for (const u of file.usingNamespaces) {
    const dottedName = u.join('.');
    if (SYSTEM_NAMESPACES.test(dottedName)) continue;
    const projected = projectedNamespace(u);
    if (projected.length) return projected;
  }
  return [];
}

export function classFacts(file: CppFile): { taskClasses: TaskClassFact[]; classes: ClassFact[] } {
  const taskClasses: TaskClassFact[] = [];
  const classes: ClassFact[] = [];
  const cxFile = file.mask.cx;
  for (const cls of file.classes) {
    if (cls.namespace.includes('factory_implementation')) continue;
    if (cls.cx?.cxKind === 'interface') continue;
    const base = taskBase(cls);
    const declared = file.declarations.filter((f) => f.cls === cls && isRunSignature(f));
    const defined = file.functions.filter((f) => f.cls === cls && isRunSignature(f) && f.body);
    const isTask = base === 'direct' || base === 'implements' || (base === 'generated' && (declared.length > 0 || defined.length > 0));
    const shape = shapeOf(headOf(cls), cxFile, base);
    if (!isTask) {
      classes.push({ name: cls.name, fullName: cls.fullName, nameSpan: spanOf(cls.nameNode), isPublic: shape.isPublic, isSealed: shape.isSealed, isStatic: false, sealedFix: shape.sealedFix });
      continue;
    }
    const members = memberSites(file, cls, undefined);
    const definition = defined[0];
    const run = definition ? runFact(file, definition, members) : declared[0] ? declaredRun(declared[0]) : undefined;
    const fact: TaskClassFact = {
      language: base === 'implements' || base === 'generated' ? 'cppwinrt' : shape.language,
      name: cls.name,
      fullName: cls.fullName,
      nameSpan: spanOf(cls.nameNode),
      span: { start: shape.start, end: cls.node.endIndex },
      isPublic: shape.isPublic,
      isSealed: shape.isSealed,
      sealedFix: shape.sealedFix,
      publicFix: shape.publicFix,
      bodyInsert: bodyInsertOf(file, cls),
      run,
      handlesCanceled: handlesCanceled(members),
    };
    if (fact.language === 'cppwinrt') {
      fact.isPublic = true;
      fact.isSealed = true;
      delete fact.sealedFix;
      delete fact.publicFix;
    }
    if (run && !definition) fact.declarationOnly = true;
    taskClasses.push(fact);
  }

  // `void Task::Run(IBackgroundTaskInstance^ taskInstance) { ... }` in a .cpp whose class is declared elsewhere.
  const owners = new Map<string, CppFunction[]>();
  for (const fn of file.functions) {
    if (fn.cls || !fn.qualifier.length) continue;
    const key = fn.qualifier.join('::');
    owners.set(key, [...(owners.get(key) ?? []), fn]);
  }
  for (const [owner, fns] of owners) {
    const definition = fns.find((f) => isRunSignature(f) && f.body);
    if (!definition) continue;
    const members = memberSites(file, undefined, owner);
    const ownerNode = definition.qualifierNodes[definition.qualifierNodes.length - 1];
    const name = definition.qualifier[definition.qualifier.length - 1];
    const fullName = [...ownerNamespace(file, definition), name].join('.');
    taskClasses.push({
      language: cxFile ? 'cppcx' : 'cppwinrt',
      name,
      fullName,
      nameSpan: spanOf(ownerNode),
      span: { start: Math.min(...fns.map((f) => f.node.startIndex)), end: Math.max(...fns.map((f) => f.node.endIndex)) },
      // The class declaration (in its header) decides these; its own fact reports them.
      isPublic: true,
      isSealed: true,
      run: runFact(file, definition, members),
      handlesCanceled: handlesCanceled(members),
    });
  }
  if (file.root.hasError) taskClasses.push(...recoveredTaskClasses(file, new Set(file.classes.map((c) => c.keyword.startIndex))));
  return { taskClasses, classes };
}

/**
 * Mid-edit, tree-sitter-cpp may lose a whole class (an unclosed body, a half-typed class before it).
 * The tokens still show its head: `class Name [sealed] : ... IBackgroundTask ... {`. Such a task
 * keeps what the head says (name, namespace, public, sealed) and a Run found at the top level of
 * its body, as a declaration only: its body is not analysed until the code parses again.
 */
function recoveredTaskClasses(file: CppFile, known: Set<number>): TaskClassFact[] {
  const tokens = file.mask.tokens;
  const out: TaskClassFact[] = [];
  const isPunct = (t: Token | undefined, p: string) => !!t && t.kind === 'punct' && t.text === p;
  for (let i = 0; i < tokens.length; i++) {
    const keyword = tokens[i];
    if (keyword.kind !== 'id' || (keyword.text !== 'class' && keyword.text !== 'struct') || known.has(keyword.start) || tokens[i - 1]?.text === 'enum') continue;
    let k = i + 1;
    if (tokens[k]?.text === '__declspec' && isPunct(tokens[k + 1], '(')) {
      for (let depth = 0; k < tokens.length; k++) {
        if (isPunct(tokens[k], '(')) depth++;
        else if (isPunct(tokens[k], ')') && --depth === 0) break;
      }
      k++;
    }
    const name = tokens[k];
    if (name?.kind !== 'id') continue;
    k++;
    while (tokens[k]?.kind === 'id' && ['sealed', 'abstract', 'final'].includes(tokens[k].text)) k++;
    if (!isPunct(tokens[k], ':') || isPunct(tokens[k + 1], ':')) continue;
    const baseStart = k + 1;
    while (k < tokens.length && !isPunct(tokens[k], '{') && !isPunct(tokens[k], ';') && !isPunct(tokens[k], '}') && !isPunct(tokens[k], '(')) k++;
    if (!isPunct(tokens[k], '{')) continue;
    const bases = tokens.slice(baseStart, k);
    const direct = bases.some((t, j) => t.text === TASK && !isPunct(bases[j + 1], '<'));
    const generated = bases.some((t, j) => t.text === `${name.text}T` && isPunct(bases[j + 1], '<') && bases[j + 2]?.text === name.text);
    // The body: to the matching brace, or the end of the file.
    const open = k;
    let close = tokens.length;
    for (let depth = 0; k < tokens.length; k++) {
      if (isPunct(tokens[k], '{')) depth++;
      else if (isPunct(tokens[k], '}') && --depth === 0) {
        close = k;
        break;
      }
    }
    let run: RunMethodFact | undefined;
    // At any depth: a half-typed member before Run may have left a brace open.
    for (let j = open + 1; j < close; j++) {
      const t = tokens[j];
      if (t.text === 'Run' && isPunct(tokens[j + 1], '(') && !isPunct(tokens[j - 1], '.') && !isPunct(tokens[j - 1], '>')) {
        let end = j + 2;
        while (end < close && !isPunct(tokens[end], ')')) end++;
        if (tokens.slice(j + 2, end).some((u) => u.text === 'IBackgroundTaskInstance')) {
          run = { span: { start: t.start, end: (tokens[end] ?? t).end }, nameSpan: { start: t.start, end: t.end }, isAsync: false, deferrals: [], hasTryFinally: false };
          break;
        }
      }
    }
    if (!direct && !(generated && run)) continue;
    const cx = file.mask.classes.get(keyword.start);
    const namespace = namespaceAtOffset(file.namespaceBlocks, keyword.start);
    const shape = shapeOf({ cx, isFinal: tokens.slice(i, open).some((t) => t.text === 'final'), nameEnd: name.end, keywordStart: keyword.start, start: keyword.start }, file.mask.cx, direct ? 'direct' : 'generated');
    const language = generated || shape.language === 'cppwinrt' ? 'cppwinrt' : 'cppcx';
    out.push({
      language,
      name: name.text,
      fullName: fullNameOf(namespace, name.text),
      nameSpan: { start: name.start, end: name.end },
      span: { start: shape.start, end: close < tokens.length ? tokens[close].end : file.text.length },
      isPublic: language === 'cppwinrt' || shape.isPublic,
      isSealed: language === 'cppwinrt' || shape.isSealed,
      sealedFix: language === 'cppwinrt' ? undefined : shape.sealedFix,
      publicFix: language === 'cppwinrt' ? undefined : shape.publicFix,
      run,
      handlesCanceled: false,
      declarationOnly: true,
    });
  }
  return out;
}

/** Used by the registrations: an owner's simple name for a function (class member or `Owner::F`). */
export function ownerName(fn: CppFunction | undefined): string | undefined {
  return fn?.cls?.name ?? fn?.qualifier[fn.qualifier.length - 1];
}
