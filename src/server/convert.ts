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

/** How rule links are written: the page's file, or (for the bgtask VS Code client) its command that opens the page rendered and read-only. */
let ruleLinks: 'file' | 'command' = 'file';
export function setRuleLinks(style: 'file' | 'command'): void {
  ruleLinks = style;
}

/** The command the VS Code client registers to open a rule page (see src/extension/rulePages.ts). */
export const OPEN_RULE_PAGE = 'bgtask.openRulePage';

/** Where the rule pages are: `docs/rules` beside the bundle's folder (the package ships them). */
export function rulePageUri(ruleId: string, extensionRoot = path.resolve(__dirname, '..')): string {
  if (ruleLinks === 'command') return `command:${OPEN_RULE_PAGE}?${encodeURIComponent(JSON.stringify([ruleId]))}`;
  return pathToFileURL(path.join(extensionRoot, ruleDocPath(ruleId))).href;
}

export function toDiagnostic(f: LocatedFinding, engine?: Engine): Diagnostic {
  return {
    range: { start: f.start, end: f.end },
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    codeDescription: { href: rulePageUri(f.ruleId) },
    source: 'bgtask',
    message: f.message,
    ...(f.related?.length && engine
      ? { relatedInformation: f.related.map((r) => ({ location: { uri: uriOfPath(r.path), range: rangeOf(engine, r.path, r.span) }, message: r.message })) }
      : {}),
  };
}

/** A stable key for "the same diagnostic": used to match a client's diagnostic to a finding. */
export const findingKey = (ruleId: string, range: Range) => `${ruleId}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
