// Conversions between the engine's world (absolute paths with forward slashes, UTF-16 offsets,
// findings) and LSP's (file URIs, line/character ranges, diagnostics).
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Diagnostic, DiagnosticSeverity, type Range } from 'vscode-languageserver/node';
import type { Engine, LocatedFinding } from '../core/engine';
import type { Span } from '../core/facts/types';
import { ruleDocPath } from '../core/rules/docs';

/** The engine path of a file URI, or undefined for other schemes (untitled:, git:, ...). */
export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri).replace(/\\/g, '/');
  } catch {
    return undefined;
  }
}

export function uriOfPath(p: string): string {
  return pathToFileURL(p).href;
}

export function rangeOf(engine: Engine, p: string, span: Span): Range {
  const lines = engine.lineIndex(p);
  if (!lines) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** Where the rule pages are: `docs/rules` beside the bundle's folder (the package ships them). */
export function rulePageUri(ruleId: string, extensionRoot = path.resolve(__dirname, '..')): string {
  return pathToFileURL(path.join(extensionRoot, ruleDocPath(ruleId))).href;
}

export function toDiagnostic(f: LocatedFinding): Diagnostic {
  return {
    range: { start: f.start, end: f.end },
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    codeDescription: { href: rulePageUri(f.ruleId) },
    source: 'bgtask',
    message: f.message,
  };
}

/** A stable key for "the same diagnostic": used to match a client's diagnostic to a finding. */
export const findingKey = (ruleId: string, range: Range) => `${ruleId}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
