// The language status item's text, as a pure function (no vscode import, so it is unit-tested):
// the problems and the files that have them, the files the scan read, the time of the last check.
import type { ServerStatus } from '../shared/protocol';

/** "3 problems in 2 files · 50 files checked at 10:42:01": the files counted are those with a problem. */
export function statusDetail(status: ServerStatus, when?: string): string {
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  const problems = status.problems ? `${plural(status.problems, 'problem')} in ${plural(status.files, 'file')}` : 'no problems';
  const checked = status.filesChecked !== undefined ? ` · ${plural(status.filesChecked, 'file')} checked` : '';
  return `${problems}${checked}${when ? ` at ${when}` : ''}`;
}
