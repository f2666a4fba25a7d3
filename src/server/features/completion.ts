// Completion: entry points (task classes) in TaskEntryPoint strings and manifest EntryPoint values,
// JavaScript task scripts in taskEntryPoint strings, Task Types valid for the Task element's
// namespace, and SystemTriggerType / SystemConditionType members (camelCase in JavaScript).
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionParams, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { TASK_TYPES_BY_NAMESPACE, TASK_TYPE_DESCRIPTIONS } from '../../core/model/catalog';
import type { Session } from '../session';
import { cursorContext, type CursorContext } from './context';
import { classesOf, classNamesOf } from '../../core/rules/codeUtil';
import { scopeApps } from './navigation';
import { CONDITION_NAMES, TRIGGER_NAMES, systemConditionDoc, systemTriggerDoc, taskTypeDoc } from './knowledge';

const CODE_ENTRY_POINT = /(?:TaskEntryPoint\s*(?:=\s*(?:@|L)?|\(\s*L?)|SetTaskEntryPoint\s*\(\s*L?)"([^"]*)$/;
const JS_ENTRY_POINT = /taskEntryPoint\s*=\s*["']([^"']*)$/;
const MANIFEST_ENTRY_POINT = /\bEntryPoint\s*=\s*"([^"]*)$/;
const MANIFEST_TASK_TYPE = /<(?:([\w.-]+):)?Task\b[^>]*\bType\s*=\s*"([^"]*)$/;
const ENUM_MEMBER = /\b(SystemTriggerType|SystemConditionType)\s*(?:\.|::)\s*(\w*)$/i;

export function completion(session: Session, documents: TextDocuments<TextDocument>, params: CompletionParams): CompletionItem[] {
  const ctx = cursorContext(documents, params.textDocument.uri, params.position);
  if (!ctx) return [];
  const range = (typed: string) => ({ start: documents.get(ctx.uri)!.positionAt(ctx.offset - typed.length), end: params.position });
  if (ctx.kind === 'manifest') {
    const ep = MANIFEST_ENTRY_POINT.exec(ctx.before);
    if (ep) return entryPointItems(session, ctx.path, ep[1], range(ep[1]));
    const type = MANIFEST_TASK_TYPE.exec(ctx.before);
    if (type) return taskTypeItems(session, ctx, type[1] ?? '', type[2], range(type[2]));
    return [];
  }
  if (ctx.kind === 'project') return [];
  const js = ctx.kind === 'javascript' || ctx.kind === 'typescript';
  const jsEp = js ? JS_ENTRY_POINT.exec(ctx.before) : null;
  if (jsEp) return [...scriptItems(session, ctx.path, jsEp[1], range(jsEp[1])), ...entryPointItems(session, ctx.path, jsEp[1], range(jsEp[1]))];
  const ep = CODE_ENTRY_POINT.exec(ctx.before);
  if (ep) return entryPointItems(session, ctx.path, ep[1], range(ep[1]));
  const member = ENUM_MEMBER.exec(ctx.before);
  if (member) {
    const triggers = member[1].toLowerCase() === 'systemtriggertype';
    const names = triggers ? TRIGGER_NAMES : CONDITION_NAMES;
    return names.map((name) => {
      const label = js ? name[0].toLowerCase() + name.slice(1) : name;
      const doc = triggers ? systemTriggerDoc(name) : systemConditionDoc(name);
      return { label, kind: CompletionItemKind.EnumMember, documentation: doc && { kind: MarkupKind.Markdown, value: doc }, textEdit: { range: range(member[2]), newText: label } };
    });
  }
  return [];
}

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };

/** The task classes the file's app can name (never another app's). */
function entryPointItems(session: Session, path: string, typed: string, range: Range): CompletionItem[] {
  const items: CompletionItem[] = [];
  const ws = session.engine.workspace();
  const names = new Set(scopeApps(ws, path).flatMap((app) => classNamesOf(ws, app)));
  for (const fullName of names) {
    const entries = scopeApps(ws, path).flatMap((app) => classesOf(ws, app, fullName));
    const where = entries[0]?.file.path;
    items.push({
      label: fullName,
      kind: CompletionItemKind.Class,
      detail: `IBackgroundTask · ${entries[0]?.cls.language ?? ''}`,
      documentation: where ? `Declared in ${where.slice(where.lastIndexOf('/') + 1)}` : undefined,
      filterText: fullName,
      sortText: fullName.toLowerCase().startsWith(typed.toLowerCase()) ? `0${fullName}` : `1${fullName}`,
      textEdit: { range, newText: fullName },
      insertTextFormat: InsertTextFormat.PlainText,
    });
  }
  return items;
}

/** JavaScript tasks are scripts: offer the StartPage values the manifests declare. */
function scriptItems(session: Session, path: string, typed: string, range: Range): CompletionItem[] {
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const app of scopeApps(session.engine.workspace(), path)) {
    for (const x of app.manifest?.manifest?.extensions ?? []) {
      const page = x.startPage?.value;
      if (x.category !== 'windows.backgroundTasks' || !page || seen.has(page)) continue;
      seen.add(page);
      const text = page.replace(/\\/g, '\\\\');
      items.push({ label: page, kind: CompletionItemKind.File, detail: 'StartPage of a background task Extension', sortText: page.startsWith(typed) ? `0${page}` : `1${page}`, textEdit: { range, newText: text } });
    }
  }
  return items;
}

function taskTypeItems(session: Session, ctx: CursorContext, prefix: string, typed: string, range: Range): CompletionItem[] {
  const namespaces = session.engine.facts(ctx.path)?.manifest?.namespaces ?? {};
  const uri = Object.entries(namespaces).find(([, p]) => p === prefix)?.[0];
  const types = uri && TASK_TYPES_BY_NAMESPACE[uri] ? TASK_TYPES_BY_NAMESPACE[uri] : Object.keys(TASK_TYPE_DESCRIPTIONS);
  return types.map((t) => {
    const doc = taskTypeDoc(t);
    return { label: t, kind: CompletionItemKind.EnumMember, documentation: doc && { kind: MarkupKind.Markdown, value: doc }, sortText: t.startsWith(typed) ? `0${t}` : `1${t}`, textEdit: { range, newText: t } };
  });
}
