// Hover: what a trigger, condition or Task Type means (Task Type needed, lock screen and access
// needs, whether Visual Studio's Lifecycle Events can fire it), and a link to the page of each
// bgtask rule whose diagnostic covers the cursor.
import { MarkupKind, type Hover, type HoverParams, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { rulePageUri } from '../convert';
import type { Session } from '../session';
import { cursorContext, quotedAt } from './context';
import { CONDITION_NAMES, TRIGGER_NAMES, systemConditionDoc, systemTriggerDoc, taskTypeDoc, triggerClassDoc } from './knowledge';

export function hover(session: Session, documents: TextDocuments<TextDocument>, params: HoverParams): Hover | null {
  const ctx = cursorContext(documents, params.textDocument.uri, params.position);
  if (!ctx) return null;
  const doc = documents.get(ctx.uri)!;
  const parts: string[] = [];
  let range: { start: number; end: number } | undefined;
  if (ctx.kind === 'manifest') {
    const value = quotedAt(ctx.text, ctx.offset);
    if (value && /\bType\s*=\s*$/.test(ctx.text.slice(Math.max(0, value.start - 20), value.start - 1))) {
      const d = taskTypeDoc(value.value);
      if (d) {
        parts.push(d);
        range = value;
      }
    }
  } else if (ctx.word) {
    const w = ctx.word;
    const before = ctx.text.slice(Math.max(0, w.start - 40), w.start);
    const d = /SystemTriggerType\s*(?:\.|::)\s*$/i.test(before)
      ? systemTriggerDoc(w.text)
      : /SystemConditionType\s*(?:\.|::)\s*$/i.test(before)
        ? systemConditionDoc(w.text)
        : /Trigger$/.test(w.text)
          ? triggerClassDoc(w.text)
          : bareMemberDoc(w.text);
    if (d) {
      parts.push(d);
      range = w;
    }
  }
  const rules = new Set<string>();
  for (const f of session.current()) {
    if (f.path !== ctx.path || f.span.start > ctx.offset || f.span.end < ctx.offset || rules.has(f.ruleId)) continue;
    rules.add(f.ruleId);
    parts.push(`bgtask [\`${f.ruleId}\`](${rulePageUri(f.ruleId)}): what it checks, why, and how to fix or suppress it`);
  }
  if (!parts.length) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') },
    range: range ? { start: doc.positionAt(range.start), end: doc.positionAt(range.end) } : undefined,
  };
}

/** A member name written without its enum (in a comment, a variable, a string): both meanings when it is both. */
function bareMemberDoc(word: string): string | undefined {
  const docs = [TRIGGER_NAMES.includes(word) ? systemTriggerDoc(word) : undefined, CONDITION_NAMES.includes(word) ? systemConditionDoc(word) : undefined].filter(Boolean);
  return docs.length ? docs.join('\n\n---\n\n') : undefined;
}
