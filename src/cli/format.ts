// Renders findings as text (one `file:line:col: severity rule-id: message` line each, for problem
// matchers and grep), JSON, or SARIF 2.1.0 with the rule catalog under tool.driver.rules.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LocatedFinding } from '../core/engine';
import type { Rule } from '../core/rules/types';
import { ruleDocPath, UNREADABLE_RULE } from '../core/rules/docs';

export type Format = 'text' | 'json' | 'sarif';

export interface Report {
  root: string;
  findings: LocatedFinding[];
  rules: readonly Rule[];
  filesChecked: number;
  version: string;
}

const rel = (root: string, file: string) => {
  const r = path.relative(root, file).split(path.sep).join('/');
  return r === '' ? path.basename(file) : r;
};

export function formatText(report: Report, cwd: string): string {
  return report.findings
    .map((f) => `${rel(cwd, f.path)}:${f.start.line + 1}:${f.start.character + 1}: ${f.severity} ${f.ruleId}: ${f.message}`)
    .join('\n') + (report.findings.length ? '\n' : '');
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
