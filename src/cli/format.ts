// Renders findings as text (grouped by file, wrapped, coloured on a terminal), compact (one
// `file:line:col: severity rule-id: message` line each, for problem matchers and grep), JSON, or SARIF
// 2.1.0 with the rule catalog under tool.driver.rules.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import pc from 'picocolors';
import type { LocatedFinding } from '../core/engine';
import type { Rule } from '../core/rules/types';
import { ruleDocPath, UNREADABLE_RULE } from '../core/rules/docs';

export type Format = 'text' | 'compact' | 'json' | 'sarif';

export interface Report {
  root: string;
  findings: LocatedFinding[];
  rules: readonly Rule[];
  filesChecked: number;
  version: string;
  /** The text of a checked file (for related places' line numbers). */
  textOf?: (path: string) => string | undefined;
}

const rel = (root: string, file: string) => {
  const r = path.relative(root, file).split(path.sep).join('/');
  return r === '' ? path.basename(file) : r;
};

/** Colour off when NO_COLOR is set (no-color.org; it wins, as in picocolors), on when FORCE_COLOR asks, else on a terminal only. */
export function useColor(env: Record<string, string | undefined>, isTTY: boolean | undefined): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return !!isTTY && env.TERM !== 'dumb';
}

/** One line per finding: `file:line:col: severity rule-id: message` (what problem matchers read). */
export function formatCompact(report: Report, cwd: string): string {
  return report.findings
    .map((f) => `${rel(cwd, f.path)}:${f.start.line + 1}:${f.start.character + 1}: ${f.severity} ${f.ruleId}: ${f.message}`)
    .join('\n') + (report.findings.length ? '\n' : '');
}

/** Words into lines of at most `width` (the first line `first`); a longer word gets a line of its own. */
function wrap(text: string, first: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > (lines.length ? width : first)) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export interface TextOptions {
  color?: boolean;
  /** Terminal width; messages wrap under themselves (default 100). */
  columns?: number;
}

/** Findings grouped by file: a file heading, then `line:col  severity  message  rule-id`, related places under their finding. */
export function formatText(report: Report, cwd: string, options: TextOptions = {}): string {
  const c = pc.createColors(!!options.color);
  const sev = { error: c.red('error'), warning: c.yellow('warning'), info: c.blue('info') };
  const byFile = new Map<string, LocatedFinding[]>();
  for (const f of report.findings) byFile.set(f.path, [...(byFile.get(f.path) ?? []), f]);
  const out: string[] = [];
  const columns = Math.max(60, options.columns ?? 100);
  for (const [file, list] of byFile) {
    out.push(c.underline(rel(cwd, file)));
    const posWidth = Math.max(...list.map((f) => `${f.start.line + 1}:${f.start.character + 1}`.length));
    const indent = 2 + posWidth + 2 + 7 + 2;
    for (const f of list) {
      const pos = `${f.start.line + 1}:${f.start.character + 1}`.padEnd(posWidth);
      // The rule id ends the message's last line when it fits there, else it gets a line of its own.
      const width = columns - indent;
      const lines = wrap(f.message, width, width);
      const last = lines.length - 1;
      const tail = lines[last].length + 2 + f.ruleId.length <= width;
      lines.forEach((l, i) => {
        const text = i === last && tail ? `${l}  ${c.dim(f.ruleId)}` : l;
        out.push(i === 0 ? `  ${c.dim(pos)}  ${sev[f.severity]}${' '.repeat(7 - f.severity.length)}  ${text}` : `${' '.repeat(indent)}${text}`);
      });
      if (!tail) out.push(`${' '.repeat(indent)}${c.dim(f.ruleId)}`);
      for (const r of f.related ?? []) for (const l of wrap(`↳ ${rel(cwd, r.path)}:${relatedLine(r, report)}: ${r.message}`, columns - indent, columns - indent - 2).map((x, i) => (i ? `  ${x}` : x))) out.push(`${' '.repeat(indent)}${c.dim(l)}`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** 1-based line of a related place: counted in the finding's own text when the report carries it. */
function relatedLine(r: { path: string; span: { start: number } }, report: Report): number {
  const text = report.textOf?.(r.path);
  if (text === undefined) return 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < r.span.start; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The last line of a check: what was found, in how many files, of how many read. */
export function summaryLine(findings: readonly LocatedFinding[], filesChecked: number, ms: number, color = false): string {
  const c = pc.createColors(color);
  const { errors, warnings, infos } = summarize(findings);
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  const files = new Set(findings.map((f) => f.path)).size;
  const counts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${infos} info`;
  const where = findings.length ? ` in ${plural(files, 'file')} of ${filesChecked} checked` : ` in ${plural(filesChecked, 'file')} checked`;
  const mark = errors ? c.red('✖') : warnings ? c.yellow('⚠') : c.green('✔');
  return `${mark} bgtask: ${counts}${where} (${ms} ms)`;
}

export function formatJson(report: Report): string {
  return JSON.stringify(
    {
      version: report.version,
      root: report.root,
      filesChecked: report.filesChecked,
      findings: report.findings.map((f) => ({
        file: rel(report.root, f.path),
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        range: { start: { line: f.start.line + 1, column: f.start.character + 1 }, end: { line: f.end.line + 1, column: f.end.character + 1 } },
        ...(f.related?.length ? { related: f.related.map((r) => ({ file: rel(report.root, r.path), start: r.span.start, end: r.span.end, message: r.message })) } : {}),
        ...(f.fix ? { fix: { title: f.fix.title, edits: f.fix.edits.map((e) => ({ file: rel(report.root, e.path), start: e.span.start, end: e.span.end, newText: e.newText })) } } : {}),
      })),
      summary: summarize(report.findings),
    },
    null,
    2,
  ) + '\n';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function formatSarif(report: Report): string {
  const rules = [...report.rules.map((r) => ({ id: r.id, title: r.title, severity: r.severity, source: r.source })), UNREADABLE_RULE];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'bgtask',
            version: report.version,
            informationUri: 'https://learn.microsoft.com/windows/uwp/launch-resume/support-your-app-with-background-tasks',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: `${r.title} (${r.source})` },
              help: { text: `${r.title} See ${ruleDocPath(r.id)} in the bgtask package.` },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
              properties: { source: r.source },
            })),
          },
        },
        originalUriBaseIds: { ROOT: { uri: pathToFileURL(report.root + '/').href } },
        results: report.findings.map((f) => ({
          ruleId: f.ruleId,
          ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(rel(report.root, f.path)), uriBaseId: 'ROOT' },
                region: { startLine: f.start.line + 1, startColumn: f.start.character + 1, endLine: f.end.line + 1, endColumn: f.end.character + 1 },
              },
            },
          ],
          ...(f.related?.length
            ? {
                relatedLocations: f.related.map((r, i) => ({
                  id: i + 1,
                  message: { text: r.message },
                  physicalLocation: { artifactLocation: { uri: encodeURI(rel(report.root, r.path)), uriBaseId: 'ROOT' }, region: { charOffset: r.span.start, charLength: r.span.end - r.span.start } },
                })),
              }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

export function summarize(findings: readonly LocatedFinding[]): { errors: number; warnings: number; infos: number } {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
}
