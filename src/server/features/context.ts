// Where the cursor is, in terms the editor features understand: the document's text and offset, the
// engine path, the line before the cursor, and the word under it.
import type { Position, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileKind } from '../../core/facts/types';
import { fileKindOf } from '../../core/parsers/extract';
import { pathOfUri } from '../convert';

export interface CursorContext {
  uri: string;
  path: string;
  kind: FileKind;
  text: string;
  offset: number;
  /** Text from the start of the line to the cursor. */
  before: string;
  /** The identifier under the cursor with its offsets, if any. */
  word?: { text: string; start: number; end: number };
}

const isWordChar = (c: string | undefined) => !!c && /[\w]/.test(c);

export function cursorContext(documents: TextDocuments<TextDocument>, uri: string, position: Position): CursorContext | undefined {
  const doc = documents.get(uri);
  const p = pathOfUri(uri);
  const kind = p ? fileKindOf(p) : undefined;
  if (!doc || !p || !kind) return undefined;
  const text = doc.getText();
  const offset = doc.offsetAt(position);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let start = offset;
  let end = offset;
  while (start > 0 && isWordChar(text[start - 1])) start--;
  while (end < text.length && isWordChar(text[end])) end++;
  return { uri, path: p, kind, text, offset, before: text.slice(lineStart, offset), word: end > start ? { text: text.slice(start, end), start, end } : undefined };
}

/** The string literal (or XML attribute value) around the cursor: its content and offsets. */
export function quotedAt(text: string, offset: number): { value: string; start: number; end: number } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const line = text.slice(lineStart, lineEnd);
  const at = offset - lineStart;
  for (const m of line.matchAll(/"([^"\n]*)"|'([^'\n]*)'/g)) {
    const open = m.index!;
    const close = open + m[0].length - 1;
    if (at > open && at <= close) return { value: m[1] ?? m[2], start: lineStart + open + 1, end: lineStart + close };
  }
  return undefined;
}
