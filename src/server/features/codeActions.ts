// Quick fixes: every finding's fix (RULES.md) as a code action on its diagnostic, plus "Disable
// <rule> for this line" (a bgtask-disable-next-line comment in the file's comment syntax).
import { CodeAction, CodeActionKind, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { LocatedFinding } from '../../core/engine';
import { fileKindOf } from '../../core/parsers/extract';
import { findingKey, pathOfUri, rangeOf, uriOfPath } from '../convert';
import type { Session } from '../session';

export function codeActions(session: Session, params: CodeActionParams): CodeAction[] {
  const p = pathOfUri(params.textDocument.uri);
  if (!p) return [];
  const engine = session.engine;
  const byKey = new Map<string, LocatedFinding>();
  for (const f of session.current()) if (f.path === p) byKey.set(findingKey(f.ruleId, { start: f.start, end: f.end }), f);
  const actions: CodeAction[] = [];
  const disabled = new Set<string>();
  for (const d of params.context.diagnostics) {
    if (d.source !== 'bgtask' || typeof d.code !== 'string') continue;
    const finding = byKey.get(findingKey(d.code, d.range));
    if (finding?.fix) {
      const changes: Record<string, TextEdit[]> = {};
      for (const e of finding.fix.edits) (changes[uriOfPath(e.path)] ??= []).push({ range: rangeOf(engine, e.path, e.span), newText: e.newText });
      actions.push({ title: finding.fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes } });
    }
    const key = `${d.code}:${d.range.start.line}`;
    if (disabled.has(key)) continue;
    disabled.add(key);
    const disable = disableAction(session, p, params.textDocument.uri, d);
    if (disable) actions.push(disable);
  }
  return actions;
}

function disableAction(session: Session, p: string, uri: string, d: Diagnostic): CodeAction | undefined {
  const lines = session.engine.lineIndex(p);
  if (!lines) return undefined;
  const line = d.range.start.line;
  const start = lines.lineStart(line);
  const indent = lines.indentAt(start);
  const kind = fileKindOf(p);
  const comment = kind === 'manifest' || kind === 'project' ? `<!-- bgtask-disable-next-line ${d.code} -->` : `// bgtask-disable-next-line ${d.code}`;
  const newline = lines.text.includes('\r\n') ? '\r\n' : '\n';
  return {
    title: `Disable ${d.code} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    edit: { changes: { [uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${comment}${newline}` }] } },
  };
}
