// BackgroundTaskBuilder registrations in Visual Basic, on the statements of vb/scan: `New
// BackgroundTaskBuilder` (a variable, `With` block or `With { .Name = ... }` initializer), property
// assignments, SetTrigger/AddCondition/Register, helper registrations fed from parameters, the calls
// that may reach helpers, and Completed handlers; the same facts the C# extractor gives.
import type { CallFact, ConditionFact, RegistrationFact, Span, TriggerFact, ValueFact } from '../../facts/types';
import { SYSTEM_CONDITION_TYPES, SYSTEM_TRIGGER_TYPES, TRIGGER_CLASSES } from '../../model/catalog';
import { registrationsOf } from '../tsUtil';
import { closingParen, lookup, mentionsOf, namedFunction, splitTopLevel, type VbFile, type VbFunction, type VbStatement, type VbType } from './scan';

type HelperParameters = NonNullable<RegistrationFact['helperParameters']>;

const PROPERTIES: Record<string, 'name' | 'entryPoint' | 'cancelOnConditionLoss' | 'isNetworkRequested' | 'taskGroup'> = {
  name: 'name',
  taskentrypoint: 'entryPoint',
  cancelonconditionloss: 'cancelOnConditionLoss',
  isnetworkrequested: 'isNetworkRequested',
  taskgroup: 'taskGroup',
};
const BUILDER_METHODS = new Set(['settrigger', 'addcondition', 'settaskentrypointclsid', 'register']);
const NOT_CALLS = new Set(['if', 'elseif', 'while', 'until', 'new', 'sub', 'function', 'ctype', 'directcast', 'trycast', 'gettype', 'nameof', 'cstr', 'cint', 'cbool', 'clng', 'cdbl', 'cobj', 'not', 'and', 'or', 'andalso', 'orelse', 'return', 'of', 'in', 'addressof', 'await', 'as', 'call', 'addhandler', 'removehandler', 'raiseevent', 'handles', 'implements', 'typeof', 'is', 'isnot']);
const WINRT_NS = 'windows.applicationmodel.background';
const APPSDK_NS = 'microsoft.windows.applicationmodel.background';

/** VB names are case-insensitive: `New systemtrigger(systemtriggertype.internetavailable, ...)` means the platform's names. */
const CANONICAL = new Map([...TRIGGER_CLASSES, ...SYSTEM_TRIGGER_TYPES, ...SYSTEM_CONDITION_TYPES, { name: 'SystemCondition' }].map((t) => [t.name.toLowerCase(), t.name]));
const canonical = (name: string) => CANONICAL.get(name.toLowerCase()) ?? name;

const NAME_CHAIN = /^(?:(?:Me|MyClass|Global)\.)?[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*$/i;

/** A value as written between two offsets of the original text. */
export function valueAt(file: VbFile, start: number, end: number): ValueFact {
  while (start < end && /\s/.test(file.text[start])) start++;
  while (end > start && /\s/.test(file.text[end - 1])) end--;
  // `(expr)` stands for expr.
  while (file.code[start] === '(' && closingParen(file.code, start) === end - 1) {
    start++;
    end--;
    while (start < end && /\s/.test(file.text[start])) start++;
    while (end > start && /\s/.test(file.text[end - 1])) end--;
  }
  const written = file.text.slice(start, end);
  const span = { start, end };
  let m: RegExpExecArray | null;
  if ((m = /^["\u201c\u201d]((?:[^"\u201c\u201d]|["\u201c\u201d]{2})*)["\u201c\u201d]$/.exec(written))) return { kind: 'string', value: m[1].replace(/(["\u201c\u201d])\1/g, '$1'), span };
  if (/^-?\d+(?:\.\d+)?$/.test(written)) return { kind: 'number', value: Number(written), span };
  if (/^(?:True|False)$/i.test(written)) return { kind: 'boolean', value: /^true$/i.test(written), span };
  if ((m = /^GetType\s*\(\s*([\w.]+)\s*\)\s*\.\s*FullName$/i.exec(written))) return { kind: 'typeName', name: m[1].replace(/^Global\./i, ''), span };
  if (NAME_CHAIN.test(written) && !/^(?:Nothing|Me)$/i.test(written)) return { kind: 'reference', name: written.replace(/\s+/g, '').replace(/^(?:Me|MyClass|Global)\./i, ''), span };
  return { kind: 'expression', text: written, span };
}

/** `New T(args)` at [start, end): the type's simple name and its argument spans (original offsets). */
function creationAt(file: VbFile, start: number, end: number): { name: string; args: Array<{ start: number; end: number; named?: string }>; span: Span } | undefined {
  const code = file.code.slice(start, end);
  const lead = code.search(/\S/);
  const m = /^New\s+((?:[\w]+\s*\.\s*)*)([A-Za-z_]\w*)\s*/i.exec(code.slice(Math.max(0, lead)));
  if (lead < 0 || !m) return undefined;
  const at = start + lead + m[0].length;
  const args: Array<{ start: number; end: number; named?: string }> = [];
  let stop = start + lead + m[0].trimEnd().length;
  if (file.code[at] === '(') {
    const close = closingParen(file.code, at);
    if (close < 0 || close >= end) return undefined;
    for (const p of splitTopLevel(file.code, at + 1, close)) {
      if (p.end <= p.start) continue;
      const named = /^([A-Za-z_]\w*)\s*:=\s*/.exec(file.code.slice(p.start, p.end));
      args.push(named ? { start: p.start + named[0].length, end: p.end, named: named[1].toLowerCase() } : p);
    }
    stop = close + 1;
  }
  return { name: canonical(m[2]), args, span: { start: start + lead, end: stop } };
}

const isTriggerClassName = (name: string) => /Trigger$/.test(name) && name !== 'IBackgroundTrigger';

function argumentFor<A extends { named?: string }>(args: A[], name: string, index: number): A | undefined {
  return args.find((a) => a.named === name.toLowerCase()) ?? (args[index] && !args[index].named ? args[index] : undefined);
}

/** A TriggerFact for `New XTrigger(...)`, with the SystemTriggerType member and freshness/oneShot arguments. */
function triggerFromCreation(file: VbFile, start: number, end: number): TriggerFact | undefined {
  const created = creationAt(file, start, end);
  if (!created || !isTriggerClassName(created.name)) return undefined;
  const fact: TriggerFact = { className: created.name, span: created.span };
  const value = (a: { start: number; end: number } | undefined) => (a ? valueAt(file, a.start, a.end) : undefined);
  if (created.name === 'SystemTrigger') {
    const typeArg = argumentFor(created.args, 'triggerType', 0);
    const member = typeArg && /([A-Za-z_]\w*)\s*$/.exec(file.code.slice(typeArg.start, typeArg.end));
    if (typeArg && member && NAME_CHAIN.test(file.code.slice(typeArg.start, typeArg.end).trim())) {
      const at = typeArg.start + member.index;
      fact.systemTriggerType = { name: canonical(member[1]), span: { start: at, end: at + member[1].length } };
    }
    const oneShot = value(argumentFor(created.args, 'oneShot', 1));
    if (oneShot) fact.oneShot = oneShot;
  } else if (created.name === 'TimeTrigger' || created.name === 'MaintenanceTrigger') {
    const freshness = value(argumentFor(created.args, 'freshnessTime', 0));
    if (freshness) fact.freshness = freshness;
    const oneShot = value(argumentFor(created.args, 'oneShot', 1));
    if (oneShot) fact.oneShot = oneShot;
  }
  return fact;
}

/** A ConditionFact for `New SystemCondition(SystemConditionType.X)`; `span` is the given anchor. */
function conditionFromCreation(file: VbFile, start: number, end: number, span: Span): ConditionFact | undefined {
  const created = creationAt(file, start, end);
  if (!created || created.name !== 'SystemCondition') return undefined;
  const typeArg = argumentFor(created.args, 'conditionType', 0);
  const written = typeArg ? file.code.slice(typeArg.start, typeArg.end).trim() : '';
  const member = NAME_CHAIN.test(written) ? /([A-Za-z_]\w*)\s*$/.exec(file.code.slice(typeArg!.start, typeArg!.end)) : null;
  if (!member) return { span };
  const at = typeArg!.start + member.index;
  return { type: canonical(member[1]), span, typeSpan: { start: at, end: at + member[1].length } };
}

interface Builder {
  statement: VbStatement;
  /** Offset of `New`. */
  at: number;
  fact: RegistrationFact;
  helper: HelperParameters;
  resultVariable?: string;
}

/** The value a local got last before `at` in its function: its initializer or a later `x = ...`. */
function latestValue(file: VbFile, name: string, at: VbStatement): { start: number; end: number } | undefined {
  const binding = lookup(file, name, at);
  if (!binding || binding.kind === 'parameter') return undefined;
  let best = binding.kind === 'local' ? binding.declaration.value : undefined;
  const key = name.replace(/^Me\./i, '').toLowerCase();
  for (const s of file.byFunction.get(at.fn) ?? []) {
    if (s.start >= at.start) break;
    if (best && s.start < best.start) continue;
    const m = /^((?:Me\.)?[A-Za-z_]\w*)\s*=\s*/i.exec(s.code);
    if (m && m[1].replace(/^Me\./i, '').toLowerCase() === key) best = { start: s.start + m[0].length, end: s.end };
  }
  return best;
}

function parameterOf(file: VbFile, name: string, at: VbStatement, fn: VbFunction | undefined): number | undefined {
  const binding = lookup(file, name, at);
  return binding?.kind === 'parameter' && fn && binding.fn === fn ? binding.parameter.index : undefined;
}

/** A trigger passed to SetTrigger (or to a helper); `helper` learns the parameter index when it is one. */
function resolveTrigger(file: VbFile, start: number, end: number, at: VbStatement, builderFn: VbFunction | undefined, helper?: HelperParameters): TriggerFact {
  const span = { start, end };
  const direct = triggerFromCreation(file, start, end);
  if (direct) return direct;
  const value = valueAt(file, start, end);
  if (value.kind !== 'reference') return { className: creationAt(file, start, end)?.name ?? 'unknown', span: value.span, unresolved: true };
  const binding = lookup(file, value.name, at);
  if (!binding) return { className: 'unknown', span: value.span, unresolved: true };
  const declared = (type: string | undefined) => {
    const simple = type && canonical(type.slice(type.lastIndexOf('.') + 1));
    return simple && isTriggerClassName(simple) ? simple : 'unknown';
  };
  if (binding.kind === 'parameter') {
    if (helper && builderFn && binding.fn === builderFn) helper.trigger = binding.parameter.index;
    return { className: declared(binding.parameter.type), span: value.span, unresolved: true };
  }
  const latest = latestValue(file, value.name, at);
  const followed = latest && triggerFromCreation(file, latest.start, latest.end);
  if (followed && binding.kind === 'local') return followed;
  return { className: declared(binding.declaration.type) !== 'unknown' ? declared(binding.declaration.type) : binding.declaration.value ? (creationAt(file, binding.declaration.value.start, binding.declaration.value.end)?.name ?? 'unknown') : 'unknown', span, unresolved: true };
}

/** A property value; a parameter of the builder's function makes the registration a helper. */
function propertyValue(file: VbFile, start: number, end: number, at: VbStatement, b: Builder, property: keyof HelperParameters | undefined): ValueFact {
  const value = valueAt(file, start, end);
  if (value.kind !== 'reference' || value.name.includes('.')) return value;
  const index = parameterOf(file, value.name, at, b.statement.fn);
  if (index !== undefined && property) b.helper[property] = index;
  const binding = lookup(file, value.name, at);
  if (binding?.kind === 'local' && binding.declaration.value) {
    // `Dim name = "X" : builder.Name = name`: a literal local stands for its literal.
    const latest = latestValue(file, value.name, at);
    const local = valueAt(file, binding.declaration.value.start, binding.declaration.value.end);
    if (latest?.start === binding.declaration.value.start && local.kind !== 'expression' && local.kind !== 'reference') return local;
  }
  return value;
}

function builderKind(file: VbFile, written: string): RegistrationFact['builderKind'] {
  const target = written.replace(/\s+/g, '').replace(/^Global\./i, '').toLowerCase();
  if (target.startsWith(`${APPSDK_NS}.`)) return 'appsdk';
  if (target.startsWith(`${WINRT_NS}.`)) return 'winrt';
  const imports = file.imports.map((i) => i.toLowerCase());
  const appsdk = imports.includes(APPSDK_NS);
  const winrt = imports.includes(WINRT_NS);
  return appsdk && !winrt ? 'appsdk' : winrt && !appsdk ? 'winrt' : 'unknown';
}

/** The name of a variable an expression at `at` is assigned to: `Dim x = <e>`, `Dim x As New ...`, `x = <e>`. */
function variableHolding(statement: VbStatement, at: number): string | undefined {
  const before = statement.code.slice(0, at - statement.start);
  const m = /^(?:(?:Dim|Private|Public|Protected|Friend|Shared|Static|ReadOnly)\s+)*((?:Me\.)?[A-Za-z_]\w*)\s*(?:As\s+[\w.]+\s*)?(?:=\s*|As\s+)$/i.exec(before);
  return m && !/^(?:Return|If|ElseIf|AddHandler|Call|Await)$/i.test(m[1]) ? m[1].replace(/^Me\./i, '') : undefined;
}

function indentAt(text: string, offset: number): string {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  return /^[ \t]*/.exec(text.slice(s, offset))![0];
}

const checkedFunctions = new WeakMap<VbFile, Map<VbFunction, boolean>>();

/**
 * The flow checks AllTasks: the function (or one it sits in), its class, or a same-file function that
 * names it (a caller, transitively) mentions it. As loose as the C# reading, on purpose (see csharp/registrations).
 */
export function allTasksChecked(file: VbFile, statement: VbStatement): boolean {
  if (!statement.fn) return !!statement.type?.mentionsAllTasks;
  if (statement.fn.type?.mentionsAllTasks) return true;
  let memo = checkedFunctions.get(file);
  if (!memo) checkedFunctions.set(file, (memo = new Map()));
  const known = memo.get(statement.fn);
  if (known !== undefined) return known;
  const seen = new Set<VbFunction>();
  const queue: VbFunction[] = [statement.fn];
  let found = false;
  while (queue.length && !found) {
    const fn = queue.shift()!;
    if (seen.has(fn)) continue;
    seen.add(fn);
    if (fn.mentionsAllTasks) found = true;
    if (fn.parent) queue.push(fn.parent);
    if (fn.name) for (const caller of mentionsOf(file).get(fn.name.toLowerCase()) ?? []) if (caller !== fn) queue.push(caller);
  }
  memo.set(statement.fn, found);
  return found;
}

/** Invocations in a statement: the callee chain, its last name, and the argument list's parens (code offsets of the statement). */
function invocations(statement: VbStatement): Array<{ callee: string; name: string; start: number; open: number; close: number }> {
  const out: Array<{ callee: string; name: string; start: number; open: number; close: number }> = [];
  const c = statement.code;
  for (const m of c.matchAll(/((?:[A-Za-z_]\w*\s*(?:\(\s*\))?\s*\.\s*)*)([A-Za-z_]\w*)\s*\(/g)) {
    const name = m[2];
    const before = c.slice(0, m.index).trimEnd();
    if (NOT_CALLS.has(name.toLowerCase()) || /\bNew$/i.test(before) || /\bOf$/i.test(before)) continue;
    if (m.index! > 0 && /[\w.]/.test(c[m.index! - 1])) continue;
    const open = m.index! + m[0].length - 1;
    const close = closingParen(c, open);
    if (close < 0) continue;
    out.push({ callee: (m[1] + name).replace(/\s+/g, '').replace(/^(?:Me|MyClass)\./i, ''), name, start: m.index!, open, close });
  }
  // `.SetTrigger(...)` inside a With block.
  for (const m of c.matchAll(/(^|[^\w)\]])\.\s*([A-Za-z_]\w*)\s*\(/g)) {
    const open = m.index! + m[0].length - 1;
    const close = closingParen(c, open);
    if (close >= 0) out.push({ callee: `.${m[2]}`, name: m[2], start: m.index! + m[1].length, open, close });
  }
  return out.sort((a, b) => a.start - b.start);
}

const classCallsMemo = new WeakMap<VbFile, Map<VbType | undefined, string[]>>();

/** Simple names of the methods the statement's class calls (for a lookup helper in another file). */
function classCalls(file: VbFile, statement: VbStatement): string[] {
  let memo = classCallsMemo.get(file);
  if (!memo) classCallsMemo.set(file, (memo = new Map()));
  const known = memo.get(statement.type);
  if (known) return known;
  const names = new Set<string>();
  const start = statement.type?.start ?? 0;
  const end = statement.type?.end ?? file.text.length;
  let lo = 0;
  for (let hi = file.statements.length; lo < hi; ) {
    const mid = (lo + hi) >> 1;
    if (file.statements[mid].start < start) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < file.statements.length; k++) {
    const s = file.statements[k];
    if (s.start > end) break;
    if (s.type !== statement.type || s.header) continue;
    for (const call of invocations(s)) if (!BUILDER_METHODS.has(call.name.toLowerCase())) names.add(call.name);
    const bare = /^(?:Call\s+)?(?:(?:Me|[A-Za-z_]\w*)\.)*([A-Za-z_]\w*)$/i.exec(s.code);
    if (bare && !/^(?:End|Next|Loop|Else|Return|Try|Finally|Exit|Continue|Stop|Throw)$/i.test(bare[1])) names.add(bare[1]);
  }
  const sorted = [...names].sort();
  memo.set(statement.type, sorted);
  return sorted;
}

/** Facts of the VB registrations of a file. */
export function registrationFacts(file: VbFile): { registrations: RegistrationFact[]; calls: CallFact[] } {
  const builders: Builder[] = [];
  for (const s of file.statements) {
    for (const m of s.code.matchAll(/\bNew\s+((?:[A-Za-z_]\w*\s*\.\s*)*BackgroundTaskBuilder)\b/gi)) {
      const at = s.start + m.index!;
      const created = creationAt(file, at, s.end);
      const checked = allTasksChecked(file, s);
      builders.push({
        statement: s,
        at,
        helper: {},
        fact: {
          span: created?.span ?? { start: at, end: at + m[0].length },
          builderVariable: variableHolding(s, at),
          builderKind: builderKind(file, m[1]),
          conditions: [],
          registerGuarded: false,
          allTasksChecked: checked,
          completedHandler: false,
          enclosingFunction: namedFunction(s.fn)?.name,
          ...(checked ? {} : { classCalls: classCalls(file, s) }),
          statementStart: s.start,
          indent: indentAt(file.text, s.start),
        },
      });
      // `New BackgroundTaskBuilder() With { .Name = "X", ... }`.
      const init = /^\s*With\s*\{/i.exec(file.code.slice(created?.span.end ?? at, s.end));
      if (init) {
        const open = (created?.span.end ?? at) + init[0].length - 1;
        const close = closingParen(file.code, open);
        const b = builders[builders.length - 1];
        for (const p of splitTopLevel(file.code, open + 1, close < 0 ? s.end : close)) {
          const a = /^\.\s*([A-Za-z_]\w*)\s*=\s*/.exec(file.code.slice(p.start, p.end));
          if (a) applyProperty(file, b, a[1], p.start + a[0].length, p.end, s);
        }
      }
    }
  }
  if (!builders.length) return { registrations: [], calls: callFacts(file, new Set()) };

  const byVariable = new Map<string, Builder[]>();
  for (const b of builders) {
    const key = b.fact.builderVariable?.toLowerCase();
    if (key) byVariable.set(key, [...(byVariable.get(key) ?? []), b]);
  }
  /** The builder a receiver means at a statement: a `With` target, the latest builder variable of that name in the function, or a `New` inline. */
  const ownerOf = (receiver: string, s: VbStatement): Builder | undefined => {
    let name = receiver.trim();
    if (name === '') {
      const w = s.withs[s.withs.length - 1];
      if (!w) return undefined;
      const inline = builders.find((b) => b.at >= w.start && b.at < w.start + w.code.length);
      if (inline) return inline;
      name = w.code;
    }
    name = name.replace(/\s+/g, '').replace(/^Me\./i, '').toLowerCase();
    const candidates = byVariable.get(name) ?? [];
    let best: Builder | undefined;
    for (const b of candidates) if (b.statement.fn === s.fn && b.at < s.start + s.code.length) best = b;
    if (!best) for (const b of candidates) if (b.statement.fn && s.fn && namedFunction(b.statement.fn) === namedFunction(s.fn) && b.at < s.start) best = b;
    return best;
  };

  for (const s of file.statements) {
    // `builder.Name = x` / `.Name = x` (With).
    const assign = /^((?:Me\.)?[A-Za-z_]\w*)?\s*\.\s*([A-Za-z_]\w*)\s*=\s*/i.exec(s.code);
    if (assign && PROPERTIES[assign[2].toLowerCase()]) {
      const b = ownerOf(assign[1] ?? '', s);
      if (b) applyProperty(file, b, assign[2], s.start + assign[0].length, s.end, s);
    }
    for (const call of invocations(s)) {
      const method = call.name.toLowerCase();
      if (!BUILDER_METHODS.has(method)) continue;
      const receiver = call.callee.startsWith('.') ? '' : call.callee.slice(0, call.callee.lastIndexOf('.'));
      if (!call.callee.includes('.')) continue;
      const b = ownerOf(receiver, s);
      if (!b) continue;
      const argStart = s.start + call.open + 1;
      const argEnd = s.start + call.close;
      const args = splitTopLevel(file.code, argStart, argEnd).filter((p) => p.end > p.start);
      const first = args[0];
      switch (method) {
        case 'settrigger':
          if (first) b.fact.trigger = resolveTrigger(file, first.start, first.end, s, b.statement.fn, b.helper);
          break;
        case 'addcondition': {
          if (!first) break;
          const span = { start: s.start + call.start, end: s.start + call.close + 1 };
          const direct = conditionFromCreation(file, first.start, first.end, span);
          if (direct) {
            b.fact.conditions.push(direct);
            break;
          }
          const value = valueAt(file, first.start, first.end);
          if (value.kind === 'reference') {
            const index = parameterOf(file, value.name, s, b.statement.fn);
            if (index !== undefined) {
              b.helper.condition = index;
              break;
            }
            const latest = latestValue(file, value.name, s);
            const followed = latest && conditionFromCreation(file, latest.start, latest.end, span);
            if (followed) {
              b.fact.conditions.push(followed);
              break;
            }
          }
          b.fact.conditions.push({ span });
          break;
        }
        case 'settaskentrypointclsid':
          if (first) b.fact.entryPointClsid = valueAt(file, first.start, first.end);
          break;
        case 'register': {
          b.fact.registerCall = { start: s.start + call.start, end: s.start + call.close + 1 };
          b.fact.registerGuarded = s.guarded;
          b.resultVariable = variableHolding(s, s.start + call.start);
          // App SDK `Register(name)`.
          if (first && !b.fact.name) b.fact.name = propertyValue(file, first.start, first.end, s, b, 'name');
          // `builder.Register().Completed` handled directly.
          if (/^\s*\.\s*Completed\b/i.test(s.code.slice(call.close + 1))) b.fact.completedHandler = true;
          break;
        }
      }
    }
  }
  setCompletedHandlers(file, builders);
  const { registrations, helperNames } = registrationsOf(builders, (b) => namedFunction(b.statement.fn)?.name);
  return { registrations, calls: callFacts(file, helperNames) };
}

function applyProperty(file: VbFile, b: Builder, property: string, start: number, end: number, s: VbStatement): void {
  const key = PROPERTIES[property.toLowerCase()];
  if (!key) return;
  const helperKey = key === 'name' || key === 'entryPoint' || key === 'taskGroup' ? key : undefined;
  b.fact[key] = propertyValue(file, start, end, s, b, helperKey);
}

/** `AddHandler x.Completed, ...` on the registration result, a registration from AllTasks, or any BackgroundTaskRegistration of the file. */
function setCompletedHandlers(file: VbFile, builders: Builder[]): void {
  const handlers: Array<{ root: string; s: VbStatement }> = [];
  let fileAttaches = false;
  let declaredTypes: Map<string, string | undefined> | undefined;
  const declaredType = (name: string) => {
    if (!declaredTypes) {
      declaredTypes = new Map();
      for (const d of file.declarations) if (!declaredTypes.has(d.name.toLowerCase())) declaredTypes.set(d.name.toLowerCase(), d.type);
      for (const f of file.functions) for (const p of f.parameters) if (!declaredTypes.has(p.name.toLowerCase())) declaredTypes.set(p.name.toLowerCase(), p.type);
    }
    return declaredTypes.get(name);
  };
  for (const s of file.statements) {
    const m = /^AddHandler\s+(.+?)\s*\.\s*Completed\s*,(.*)$/i.exec(s.code);
    const handles = /\bHandles\s+(?:[\w.]+\s*,\s*)*([A-Za-z_]\w*)\s*\.\s*Completed\b/i.exec(s.code);
    if (!m && !handles) continue;
    const root = (m ? m[1] : handles![1]).replace(/^Me\./i, '').split(/[.(]/)[0].trim().toLowerCase();
    handlers.push({ root, s });
    if (m && /BackgroundTaskCompletedEventHandler/i.test(m[2])) fileAttaches = true;
    else if (file.allTasksLoops.some((l) => l.name === root)) fileAttaches = true;
    else {
      const declared = declaredType(root);
      if (declared && /BackgroundTaskRegistration/i.test(declared)) fileAttaches = true;
    }
  }
  for (const b of builders) {
    const viaResult = !!b.resultVariable && handlers.some((h) => h.root === b.resultVariable!.toLowerCase());
    b.fact.completedHandler = b.fact.completedHandler || viaResult || fileAttaches;
  }
}

/** Calls that may reach a registration helper (here or in another file). */
function callFacts(file: VbFile, helperNames: Set<string>): CallFact[] {
  const calls: CallFact[] = [];
  const helpers = new Set([...helperNames].map((h) => h.toLowerCase()));
  for (const s of file.statements) {
    if (s.header) continue;
    for (const call of invocations(s)) {
      const lower = call.name.toLowerCase();
      if (BUILDER_METHODS.has(lower) || call.callee.startsWith('.')) continue;
      const args = splitTopLevel(file.code, s.start + call.open + 1, s.start + call.close).filter((p) => p.end > p.start);
      const inlineTrigger = args.some((a) => {
        const created = creationAt(file, a.start, a.end);
        return !!created && isTriggerClassName(created.name);
      });
      if (!inlineTrigger && !helpers.has(lower) && !/register/i.test(call.name)) continue;
      calls.push({
        callee: call.callee,
        span: { start: s.start + call.start, end: s.start + call.close + 1 },
        args: args.map((a) => {
          const arg: CallFact['args'][number] = { value: valueAt(file, a.start, a.end) };
          const created = creationAt(file, a.start, a.end);
          if (created && isTriggerClassName(created.name)) arg.trigger = triggerFromCreation(file, a.start, a.end);
          else if (created?.name === 'SystemCondition') arg.condition = conditionFromCreation(file, a.start, a.end, arg.value.span);
          else if (arg.value.kind === 'reference') {
            // A trigger held in a variable: followed to its `New`, or at least its declared class.
            const trigger = resolveTrigger(file, a.start, a.end, s, undefined);
            if (trigger.className !== 'unknown') arg.trigger = trigger;
            else {
              const latest = latestValue(file, arg.value.name, s);
              const condition = latest && conditionFromCreation(file, latest.start, latest.end, { start: latest.start, end: latest.end });
              if (condition) arg.condition = condition;
            }
          }
          return arg;
        }),
        enclosingFunction: namedFunction(s.fn)?.name,
        allTasksChecked: allTasksChecked(file, s),
        guarded: s.guarded,
      });
    }
  }
  return calls;
}
