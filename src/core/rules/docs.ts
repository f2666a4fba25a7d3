// Where each rule's user documentation lives (docs/rules/<id>.md in the repository and the package),
// and the descriptor of the pseudo-rule for files bgtask could not read.
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`;
}

export const UNREADABLE_RULE = {
  id: 'file-unreadable',
  title: 'A file bgtask should analyse could not be read (binary, too large, invalid UTF-8, permission denied).',
  severity: 'warning' as const,
  source: 'bgtask',
};
