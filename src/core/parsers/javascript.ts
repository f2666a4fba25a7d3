// The JavaScript/TypeScript facts extractor: parses with tree-sitter (tsx for JavaScript, typescript
// for .ts; grammars loaded by the caller), scans the tree once (javascript/scan), then builds
// registrations and helper calls (WinRT camelCase projection, through `var background =
// Windows.ApplicationModel.Background;` aliases), constants, requestAccessAsync and
// ApplicationTrigger.requestAsync sites, task scripts (WebUIBackgroundTaskInstance.current) and
// TypeScript IBackgroundTask classes.
import { emptyFacts, type FileFacts, type Span } from '../facts/types';
import { eventSubscriptions, registrationFacts } from './javascript/registrations';
import { calleeParts, latestValue, lookup, resolveChain, scanJavaScript, type JsFile } from './javascript/scan';
import { jsTaskFacts, taskClassFacts } from './javascript/tasks';
import { chainText, creationType, isNameChain, keyName, stringValue, unwrap } from './javascript/values';
import { parserFor } from './treeSitter';
import { spanOf, withTree } from './tsUtil';

export function extractJavaScript(path: string, text: string, isTypeScript: boolean): FileFacts {
  const language = isTypeScript ? 'typescript' : 'javascript';
  const facts = emptyFacts(path, language);
  return withTree(() => parserFor(isTypeScript && !path.endsWith('.tsx') ? 'typescript' : 'tsx').parse(text), facts, isTypeScript ? 'TypeScript' : 'JavaScript', (tree) => {
    const file = scanJavaScript(tree, text);
    const { registrations, calls } = registrationFacts(file);
    facts.registrations = registrations;
    facts.calls = calls;
    facts.constants = constantsOf(file);
    facts.requestAccess = requestAccessCalls(file);
    facts.applicationTriggerRequests = applicationTriggerRequests(file);
    facts.onBackgroundActivated = onBackgroundActivated(file);
    facts.jsTasks = jsTaskFacts(file);
    facts.taskClasses = taskClassFacts(file, language);
  });
}

/** An IIFE: `(function () { ... })()`, `(() => { ... })()`, `!function () { ... }()`. */
function isModuleLike(fn: JsFile['functions'][number] | undefined): boolean {
  if (!fn) return true;
  if (fn.name || fn.parent) return false;
  let n = fn.node;
  while (n.parent && (n.parent.type === 'parenthesized_expression' || n.parent.type === 'unary_expression')) n = n.parent;
  const call = n.parent;
  return call?.type === 'call_expression' && call.childForFieldName('function')?.id === n.id;
}

/**
 * String constants by name: variables of the file or of a top-level IIFE given a literal and never
 * reassigned (`X`), object-literal properties (`key` and `Owner.key`, including WinJS.Namespace.define),
 * and static class fields (`Class.X` and `X`).
 */
function constantsOf(file: JsFile): Record<string, string> {
  const constants: Record<string, string> = {};
  const add = (key: string, value: string) => {
    if (key && !(key in constants)) constants[key] = value;
  };
  for (const d of file.declarators) {
    if (!d.value || d.site.cls || !isModuleLike(d.site.fn)) continue;
    const value = stringValue(unwrap(d.value));
    if (value === undefined) continue;
    const reassigned = file.assignments.some((a) => {
      const left = a.node.childForFieldName('left');
      if (left?.type !== 'identifier' || left.text !== d.name) return false;
      const b = lookup(file, d.name, a);
      return b?.kind === 'local' && b.declarator === d;
    });
    if (!reassigned) add(d.name, value);
  }
  for (const p of file.properties) {
    if (p.site.fn && !isModuleLike(p.site.fn)) continue;
    const value = stringValue(unwrap(p.value));
    if (value === undefined) continue;
    // Keys of anonymous objects (call options and the like) are no constants anyone can name.
    if (!p.owner) continue;
    add(`${p.owner}.${p.key}`, value);
    add(p.key, value);
  }
  for (const cls of file.classes) {
    for (const member of cls.node.childForFieldName('body')?.namedChildren ?? []) {
      if (member?.type !== 'public_field_definition' || !member.children.some((c) => c?.type === 'static')) continue;
      const key = keyName(member.childForFieldName('name'));
      const valueNode = member.childForFieldName('value');
      const value = valueNode ? stringValue(unwrap(valueNode)) : undefined;
      if (key === undefined || value === undefined) continue;
      add(`${cls.name}.${key}`, value);
      if (cls.fullName !== cls.name) add(`${cls.fullName}.${key}`, value);
      add(key, value);
    }
  }
  return constants;
}

function requestAccessCalls(file: JsFile): Span[] {
  const out: Span[] = [];
  for (const s of file.calls) {
    const { name, receiver } = calleeParts(s.node);
    if (name !== 'requestAccessAsync' && name !== 'requestAccessKindAsync') continue;
    if (!receiver || !isNameChain(unwrap(receiver))) continue;
    const chain = resolveChain(file, receiver, s);
    if (chain === 'BackgroundExecutionManager' || chain.endsWith('.BackgroundExecutionManager')) out.push(spanOf(s.node));
  }
  return out;
}

/** `trigger.requestAsync(...)` where the receiver is created, or holds, an ApplicationTrigger, or is named like a trigger. */
function applicationTriggerRequests(file: JsFile): Span[] {
  const out: Span[] = [];
  for (const s of file.calls) {
    const { name, receiver } = calleeParts(s.node);
    if (name !== 'requestAsync' || !receiver) continue;
    const r = unwrap(receiver);
    const createdCtor = creationType(r)?.ctor;
    let created = createdCtor ? resolveChain(file, createdCtor, s) : undefined;
    if (!created && r.type === 'identifier') {
      const binding = lookup(file, r.text, s);
      const value = latestValue(file, binding, s);
      const ctor = value ? creationType(value)?.ctor : undefined;
      if (ctor) created = resolveChain(file, ctor, binding?.kind === 'local' ? binding.declarator.site : s);
    }
    const className = created?.slice(created.lastIndexOf('.') + 1);
    const named = isNameChain(r) && /trigger/i.test(chainText(r));
    if (className === 'ApplicationTrigger' || (!className && named)) out.push(spanOf(s.node));
  }
  return out;
}

/** In-process activation: `addEventListener("backgroundactivated", ...)` or `onbackgroundactivated = ...`. */
function onBackgroundActivated(file: JsFile): Span | undefined {
  const first = eventSubscriptions(file, 'backgroundactivated')[0];
  return first ? spanOf(first.anchor) : undefined;
}
