// The Visual Basic facts extractor, by lines (no grammar is bundled for VB; see vb/scan): which
// classes a .vb file declares (namespace, NotInheritable/Public, IBackgroundTask with Run and a
// Canceled handler, or a base), its registrations and helper calls (vb/registrations), string
// constants, Imports, RequestAccessAsync, OnBackgroundActivated and ApplicationTrigger.RequestAsync,
// and in task classes Run's asynchronous work and deferrals.
import { emptyFacts, type ClassFact, type DeferralFact, type FileFacts, type Span, type TaskClassFact } from '../facts/types';
import { attachScopes } from '../facts/scopes';
import { registrationFacts, valueAt } from './vb/registrations';
import { closingParen, lookup, scanVb, typeAt, type VbFile, type VbFunction } from './vb/scan';

const CLASS = /^[ \t]*((?:(?:Public|Friend|Private|Protected|Partial|NotInheritable|MustInherit|Shadows)\s+)*)Class\s+([A-Za-z_]\w*)/gim;

export function extractVb(path: string, text: string): FileFacts {
  const facts = emptyFacts(path, 'vb');
  const file = scanVb(text);
  const code = file.code;
  // Namespace blocks by line, so a class knows the namespaces around it.
  const namespaces: Array<{ name: string; start: number; end: number; global: boolean }> = [];
  const stack: Array<{ name: string; start: number; global: boolean }> = [];
  for (const m of code.matchAll(/^[ \t]*(End\s+Namespace|Namespace\s+([\w.]+))\b/gim)) {
    // `Namespace Global.Tasks` names the root namespace Tasks (VB's Global qualifier), not Global.Tasks;
    // any other namespace (and a class outside any) sits under the project's RootNamespace.
    if (m[2]) stack.push({ name: m[2].replace(/^Global\./i, ''), start: m.index!, global: /^Global\./i.test(m[2]) });
    else {
      const open = stack.pop();
      if (open) namespaces.push({ ...open, end: m.index! });
    }
  }
  for (const open of stack) namespaces.push({ ...open, end: code.length });
  const namespacesAt = (at: number) => namespaces.filter((n) => n.start <= at && at < n.end).sort((a, b) => a.start - b.start);
  const namespaceAt = (at: number) =>
    namespacesAt(at)
      .map((n) => n.name)
      .join('.');
  const rootRelativeAt = (at: number) => !namespacesAt(at)[0]?.global;

  for (const m of code.matchAll(CLASS)) {
    const modifiers = m[1].toLowerCase();
    const nameStart = m.index! + m[0].length - m[2].length;
    const endMatch = /^[ \t]*End\s+Class\b/gim;
    endMatch.lastIndex = nameStart;
    const end = endMatch.exec(code);
    const bodyEnd = end ? end.index + end[0].length : code.length;
    const body = code.slice(nameStart, bodyEnd);
    const namespace = namespaceAt(m.index!);
    const fullName = namespace ? `${namespace}.${m[2]}` : m[2];
    const rootRelative = rootRelativeAt(m.index!) ? { rootRelative: true } : {};
    const nameSpan = { start: nameStart, end: nameStart + m[2].length };
    const isPublic = /\bpublic\b/.test(modifiers);
    const isSealed = /\bnotinheritable\b/.test(modifiers);
    const implementsTask = /^[ \t]*Implements\s+(?:[\w.]+\s*,\s*)*(?:[\w.]*\.)?IBackgroundTask\b(?!\w)/im.test(body);
    if (!implementsTask) {
      const bases = [...body.matchAll(/^[ \t]*Inherits\s+([\w.]+)/gim)].map((b) => b[1]);
      const cls: ClassFact = { name: m[2], fullName, nameSpan, isPublic, isSealed, isStatic: false, ...(bases.length ? { bases } : {}), ...rootRelative };
      facts.classes.push(cls);
      continue;
    }
    const run = /\b(Async\s+)?Sub\s+(Run)\s*\(/i.exec(body);
    const runFn = file.functions.find((f) => f.type?.fullName === fullName && f.kind === 'sub' && /^run$/i.test(f.name));
    const task: TaskClassFact = {
      language: 'vb',
      name: m[2],
      fullName,
      nameSpan,
      span: { start: m.index!, end: bodyEnd },
      isPublic,
      isSealed,
      handlesCanceled: /\bAddHandler\s+[\w.]+\.Canceled\b|\.Canceled\s*\+=/i.test(body),
      ...rootRelative,
      ...(run ? { run: { span: { start: nameStart + run.index, end: nameStart + run.index + run[0].length }, nameSpan: { start: nameStart + run.index + run[0].length - 4, end: nameStart + run.index + run[0].length - 1 }, isAsync: !!run[1], ...runFacts(file, runFn, { start: m.index!, end: bodyEnd }) } } : {}),
    };
    facts.taskClasses.push(task);
  }
  const { registrations, calls } = registrationFacts(file);
  facts.registrations = registrations;
  facts.calls = calls;
  facts.constants = constantsOf(file);
  if (file.imports.length) facts.usings = file.imports;
  attachScopes(facts, (offset) => {
    const at = statementAt(file, offset);
    return at ? (at.type?.fullName ?? (at.namespace || undefined)) : typeAt(file, offset)?.fullName;
  });
  const lookups = [...new Set(file.functions.filter((f) => f.mentionsAllTasks && f.name).map((f) => f.name))];
  if (lookups.length) facts.allTasksFunctions = lookups;
  facts.requestAccess = requestAccessCalls(file);
  const activated = onBackgroundActivated(file);
  if (activated) facts.onBackgroundActivated = activated;
  facts.applicationTriggerRequests = applicationTriggerRequests(file);
  return facts;
}

/** Starts asynchronous work that outlives a synchronous return from Run (§8 #7): where in the statement, or -1. */
function asyncWorkIn(code: string): number {
  const m = /\bAwait\b|\bThreadPoolTimer\s*\.\s*Create\w*\s*\(|\bThreadPool\s*\.\s*RunAsync\s*\(|\bTask\s*\.\s*Run\s*\(|\.\s*(?:ContinueWith|AsTask)\s*\(/i.exec(code);
  if (m) return m.index;
  // A bare `FooAsync()` statement: fire-and-forget.
  return /^(?:Call\s+)?(?:[A-Za-z_]\w*\s*\.\s*)*[A-Za-z_]\w*Async\s*\(.*\)$/i.test(code) ? 0 : -1;
}

/** Run's asynchronous work, its deferrals (taken in the class from the task instance) and whether a Complete() sits in a Finally. */
function runFacts(file: VbFile, run: VbFunction | undefined, classSpan: Span): Pick<TaskClassFact['run'] & object, 'deferrals' | 'hasTryFinally' | 'asyncWork'> {
  if (!run) return { deferrals: [], hasTryFinally: false };
  const inRun = file.byFunction.get(run) ?? [];
  let asyncWork: Span | undefined;
  let firstAwait: number | undefined;
  for (const s of inRun) {
    const at = asyncWorkIn(s.code);
    if (at >= 0 && !asyncWork) asyncWork = { start: s.start + at, end: s.end };
    const wait = /\bAwait\b/i.exec(s.code);
    if (wait && firstAwait === undefined) firstAwait = s.start + wait.index;
  }
  const inClass = file.statements.filter((s) => s.start >= classSpan.start && s.end <= classSpan.end);
  const instance = run.parameters[0]?.name.toLowerCase();
  const deferrals: DeferralFact[] = [];
  for (const s of inClass) {
    for (const m of s.code.matchAll(/((?:Me\.)?[A-Za-z_]\w*)\s*\.\s*GetDeferral\s*\(\s*\)/gi)) {
      const receiver = m[1].replace(/^Me\./i, '').toLowerCase();
      const binding = lookup(file, m[1], s);
      const type = binding?.kind === 'parameter' ? binding.parameter.type : binding?.declaration.type;
      if (!(type ? /IBackgroundTaskInstance$/i.test(type) : receiver === instance && s.fn === run)) continue;
      const before = s.code.slice(0, m.index);
      const holder = /^(?:Dim\s+)?((?:Me\.)?[A-Za-z_]\w*)\s*(?:As\s+[\w.]+\s*)?=\s*$/i.exec(before);
      const variable = holder ? holder[1].replace(/^Me\./i, '') : undefined;
      let completed = false;
      let completedInFinally = false;
      if (variable) {
        const complete = new RegExp(`(^|[^\\w.]|Me\\.)${variable}\\s*\\??\\.\\s*Complete\\s*\\(`, 'i');
        const mention = new RegExp(`(^|[^\\w.]|Me\\.)${variable}\\b`, 'i');
        let escapes = false;
        for (const c of inClass) {
          if (complete.test(c.code)) {
            completed = true;
            if (c.inFinally) completedInFinally = true;
          } else if (c !== s && mention.test(c.code) && !/^(?:Private|Public|Dim|Friend|Protected)\b/i.test(c.code) && !new RegExp(`^(?:Me\\.)?${variable}\\s*=`, 'i').test(c.code) && !/\bIs(?:Not)?\s+Nothing\b/i.test(c.code)) escapes = true;
        }
        // Handed to other code (an argument, another variable): we cannot follow it, so assume it completes.
        if (!completed && escapes) completed = true;
      } else completed = !/^(?:Call\s+)?(?:Me\.)?[A-Za-z_]\w*\s*\.\s*GetDeferral\s*\(\s*\)$/i.test(s.code);
      const start = s.start + m.index!;
      deferrals.push({ span: { start, end: start + m[0].length }, ...(variable ? { variable } : {}), completed, completedInFinally, afterAwait: s.fn === run && firstAwait !== undefined && start > firstAwait });
    }
  }
  return { deferrals, hasTryFinally: inRun.some((s) => /^Finally$/i.test(s.code)), ...(asyncWork ? { asyncWork } : {}) };
}

/** The statement holding an offset (statements are in source order). */
function statementAt(file: VbFile, offset: number): VbFile['statements'][number] | undefined {
  let lo = 0;
  let hi = file.statements.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = file.statements[mid];
    if (offset < s.start) hi = mid - 1;
    else if (offset > s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/**
 * `Const X As String = "..."`, `Shared ReadOnly X As String = "..."`, `ReadOnly Property X As String = "..."`
 * and a read-only property whose Get returns a literal, by full name `Ns.Class.X` (resolved by scope at link time).
 */
function constantsOf(file: VbFile): Record<string, string> {
  const constants: Record<string, string> = {};
  const add = (owner: string, name: string, value: string) => {
    const key = `${owner}.${name}`;
    if (!(key in constants)) constants[key] = value;
  };
  const isString = (type: string | undefined) => !type || /^(?:System\.)?String$/i.test(type);
  for (const d of file.declarations) {
    const type = d.statement.type;
    if (d.fn || !type || !d.value || !isString(d.type)) continue;
    if (!d.modifiers.includes('const') && !(d.modifiers.includes('shared') && d.modifiers.includes('readonly'))) continue;
    const value = valueAt(file, d.value.start, d.value.end);
    if (value.kind === 'string') add(type.fullName, d.name, value.value);
  }
  for (const s of file.statements) {
    const f = s.header;
    if (!f || f.kind !== 'property' || !f.type) continue;
    const m = /\bProperty\s+[A-Za-z_]\w*\s*(?:\(\s*\))?\s*(?:As\s+([\w.]+))?\s*(=)?/i.exec(s.code);
    if (!m || !isString(m[1]) || !/\bReadOnly\b/i.test(s.code.slice(0, m.index))) continue;
    let value;
    if (m[2]) value = valueAt(file, s.start + m.index + m[0].length, s.end);
    else {
      const body = (file.byFunction.get(f) ?? []).filter((b) => !/^(?:End\s+)?Get$|^End\s+Property$/i.test(b.code));
      const ret = body.length === 1 ? /^Return\s+/i.exec(body[0].code) : null;
      if (ret) value = valueAt(file, body[0].start + ret[0].length, body[0].end);
    }
    if (value?.kind === 'string') add(f.type.fullName, f.name, value.value);
  }
  return constants;
}

function requestAccessCalls(file: VbFile): Span[] {
  const out: Span[] = [];
  for (const s of file.statements) {
    for (const m of s.code.matchAll(/\bBackgroundExecutionManager\s*\.\s*RequestAccess(?:Kind)?Async\s*(\()?/gi)) {
      const close = m[1] ? closingParen(s.code, m.index! + m[0].length - 1) : -1;
      out.push({ start: s.start + m.index!, end: s.start + (close >= 0 ? close + 1 : m.index! + m[0].trimEnd().length) });
    }
  }
  return out;
}

function onBackgroundActivated(file: VbFile): Span | undefined {
  for (const s of file.statements) {
    const m = s.header?.name === 'OnBackgroundActivated' ? /\bOnBackgroundActivated\b/.exec(s.code) : /^AddHandler\s+(?:[\w.]+\.)?(BackgroundActivated)\s*,/i.exec(s.code);
    if (!m) continue;
    const word = m[1] ?? m[0];
    const at = s.start + m.index + m[0].indexOf(word);
    return { start: at, end: at + word.length };
  }
  return undefined;
}

/** `trigger.RequestAsync(...)` where the receiver is typed, created or named like an ApplicationTrigger. */
function applicationTriggerRequests(file: VbFile): Span[] {
  const out: Span[] = [];
  for (const s of file.statements) {
    for (const m of s.code.matchAll(/((?:Me\.)?[A-Za-z_]\w*)\s*\.\s*RequestAsync\s*\(/gi)) {
      const binding = lookup(file, m[1], s);
      const declared = binding?.kind === 'parameter' ? binding.parameter.type : binding?.declaration.type;
      const value = binding && binding.kind !== 'parameter' ? binding.declaration.value : undefined;
      const created = value ? /^\s*New\s+(?:\w+\.)*(\w+)/i.exec(file.code.slice(value.start, value.end))?.[1] : undefined;
      const isTrigger = /(?:^|\.)ApplicationTrigger$/i.test(declared ?? '') || created === 'ApplicationTrigger' || (!declared && !created && /trigger/i.test(m[1]));
      const close = closingParen(s.code, m.index! + m[0].length - 1);
      if (isTrigger) out.push({ start: s.start + m.index!, end: s.start + (close >= 0 ? close + 1 : m.index! + m[0].length) });
    }
  }
  return out;
}
