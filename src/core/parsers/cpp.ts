// The C++/CX and C++/WinRT facts extractor. C++/CX syntax is masked first with text of the same
// length (cpp/mask), so tree-sitter-cpp parses it and every offset it reports is an offset into the
// original text. Then one scan of the tree (cpp/scan) feeds the task classes and classes
// (cpp/classes), registrations and helper calls (cpp/registrations), constants, RequestAccessAsync
// calls, OnBackgroundActivated and ApplicationTrigger.RequestAsync sites.
import type { Node } from 'web-tree-sitter';
import { emptyFacts, type FileFacts, type Span } from '../facts/types';
import { classFacts } from './cpp/classes';
import { includesOf, macroValue } from './cpp/constants';
import { maskCx } from './cpp/mask';
import { registrationFacts } from './cpp/registrations';
import { bindingType, calleeParts, lookup, projectedNamespace, scanCpp, type CppClass, type CppFile, type CppFunction } from './cpp/scan';
import { attachScopes } from '../facts/scopes';
import { argumentNodes, chainName, creationOf, isNameChain, simpleName, stringValue, unwrapParens } from './cpp/values';
import { parserFor } from './treeSitter';
import { spanOf, withTree } from './tsUtil';

export function extractCpp(path: string, text: string): FileFacts {
  const mask = maskCx(text);
  const facts = emptyFacts(path, mask.cx ? 'cppcx' : 'cppwinrt');
  return withTree(() => parserFor('cpp').parse(mask.text), facts, 'C++', (tree) => {
    const file = scanCpp(tree, text, mask);
    const { taskClasses, classes } = classFacts(file);
    facts.taskClasses = taskClasses;
    facts.classes = classes;
    const { registrations, calls } = registrationFacts(file);
    facts.registrations = registrations;
    facts.calls = calls;
    facts.constants = constantsOf(file);
    const usings = file.usingNamespaces.map((u) => projectedNamespace(u).join('.')).filter(Boolean);
    if (usings.length) facts.usings = usings;
    const includes = includesOf(text);
    if (includes.length) facts.includes = includes;
    attachScopes(facts, (offset) => scopeAt(file, offset));
    const lookups = [...new Set(file.functions.filter((f) => f.mentionsAllTasks).map((f) => f.name))];
    if (lookups.length) facts.allTasksFunctions = lookups;
    facts.requestAccess = requestAccessCalls(file);
    facts.onBackgroundActivated = onBackgroundActivated(file);
    facts.applicationTriggerRequests = applicationTriggerRequests(file);
  });
}

/**
 * String constants outside functions: `const wchar_t* X = L"..."`, `static constexpr wchar_t X[] = L"..."`,
 * `static Platform::String^ X = "..."`, out-of-class `const wchar_t* Names::X = L"..."` and
 * `#define X L"..."`; keyed by full name `Ns.Class.X` (`X` for a macro; names resolve by scope at link time).
 */
function constantsOf(file: CppFile): Record<string, string> {
  const constants: Record<string, string> = {};
  const add = (segments: string[], value: string) => {
    const key = segments.join('.');
    if (!(key in constants)) constants[key] = value;
  };
  for (const m of file.macros) {
    const value = macroValue(m.value);
    if (value !== undefined) add([m.name], value);
  }
  for (const d of file.declarators) {
    if (d.scope === 'local') continue;
    const init = d.value ?? (d.ctorArgs && argumentNodes(d.ctorArgs).length === 1 ? argumentNodes(d.ctorArgs)[0] : undefined);
    const value = init && stringValue(unwrapParens(init), file.text);
    if (value === undefined) continue;
    const cls = d.site.cls;
    const owner = d.scope === 'member' && cls ? [...projectedNamespace(cls.namespace), ...cls.path.split('.')] : projectedNamespace(namespaceAt(file, d.node.startIndex));
    add([...owner, ...d.segments], value);
  }
  return constants;
}

/** The dotted class (else namespace) a reference at `offset` is written in: `void Page::F() {...}` is in Page. */
function scopeAt(file: CppFile, offset: number): string | undefined {
  let fn: CppFunction | undefined;
  for (const f of file.functions) if (f.node.startIndex <= offset && offset < f.node.endIndex && (!fn || f.node.startIndex >= fn.node.startIndex)) fn = f;
  if (fn) return fn.cls?.fullName ?? [...projectedNamespace(fn.namespace), ...fn.qualifier].join('.');
  let cls: CppClass | undefined;
  for (const c of file.classes) if (c.node.startIndex <= offset && offset < c.node.endIndex) cls = c;
  return cls?.fullName ?? (projectedNamespace(namespaceAt(file, offset)).join('.') || undefined);
}

/** Namespace segments enclosing an offset. */
function namespaceAt(file: CppFile, offset: number): string[] {
  const out: string[] = [];
  for (let n = file.root.descendantForIndex(offset, offset); n; n = n.parent) {
    if (n.type !== 'namespace_definition') continue;
    const name = n.childForFieldName('name');
    if (name) out.unshift(...file.text.slice(name.startIndex, name.endIndex).split('::').map((s) => s.trim()));
  }
  return out;
}

function requestAccessCalls(file: CppFile): Span[] {
  const out: Span[] = [];
  for (const s of file.calls) {
    const { name, scope, receiver } = calleeParts(s.node, file.text);
    if (name !== 'RequestAccessAsync' && name !== 'RequestAccessKindAsync') continue;
    const owner = scope?.[scope.length - 1] ?? (receiver ? simpleName(receiver) : undefined);
    if (owner === 'BackgroundExecutionManager') out.push(spanOf(s.node));
  }
  // `task<BackgroundAccessStatus> t(BackgroundExecutionManager::RequestAccessAsync());` in a body is C++'s
  // vexing parse: the grammar reads a local function declaration whose parameter has the type
  // `BackgroundExecutionManager::RequestAccessAsync` and an empty abstract declarator `()`; the compiler
  // (and Microsoft's 8.1 Geolocation C++ sample) mean the call.
  for (const d of file.declarators) {
    if (d.scope !== 'local' || d.ctorArgs?.type !== 'parameter_list') continue;
    for (const p of d.ctorArgs.namedChildren) {
      const type = p?.type === 'parameter_declaration' ? p.childForFieldName('type') : null;
      if (!type || p!.childForFieldName('declarator')?.type !== 'abstract_function_declarator') continue;
      if (/(?:^|::)BackgroundExecutionManager::RequestAccess(?:Kind)?Async$/.test(file.text.slice(type.startIndex, type.endIndex).replace(/\s+/g, ''))) out.push(spanOf(p!));
    }
  }
  return out;
}

function onBackgroundActivated(file: CppFile): Span | undefined {
  const fn = [...file.declarations, ...file.functions].find((f) => f.name === 'OnBackgroundActivated');
  if (fn) return spanOf(fn.nameNode);
  const handled = (n: Node | null | undefined) => (n?.type === 'field_expression' && n.childForFieldName('field')?.text === 'BackgroundActivated' ? n.childForFieldName('field') : null);
  for (const s of file.assignments) {
    const field = s.node.childForFieldName('operator')?.text === '+=' ? handled(s.node.childForFieldName('left')) : null;
    if (field) return spanOf(field);
  }
  for (const s of file.calls) {
    const field = handled(s.node.childForFieldName('function'));
    if (field && argumentNodes(s.node.childForFieldName('arguments')).length) return spanOf(field);
  }
  return undefined;
}

/** `trigger->RequestAsync(...)` where the receiver is typed, created or named like an ApplicationTrigger. */
function applicationTriggerRequests(file: CppFile): Span[] {
  const out: Span[] = [];
  for (const s of file.calls) {
    const { name, receiver } = calleeParts(s.node, file.text);
    if (name !== 'RequestAsync' || !receiver) continue;
    const r = unwrapParens(receiver);
    const created = creationOf(r)?.name;
    const binding = isNameChain(r) ? lookup(file, chainName(file.text, r), s) : undefined;
    let declared = simpleName(bindingType(binding));
    if (!declared && binding && binding.kind !== 'parameter' && binding.kind !== 'range') declared = creationOf(binding.declarator.value)?.name;
    if (created === 'ApplicationTrigger' || declared === 'ApplicationTrigger' || (!created && !declared && /trigger/i.test(r.text))) out.push(spanOf(s.node));
  }
  return out;
}
