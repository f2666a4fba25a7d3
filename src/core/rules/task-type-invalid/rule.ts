// task-type-invalid: a Task Type that the namespace the Task element is written in does not allow
// (§3.2, §8 #26): `general` in a Windows 8 manifest, `chatMessageNotification` without `uap:`, Phone 8.1
// types kept in a Windows 10 manifest. Namespaces whose list is UNVERIFIED (Phone 8.1 m3) are not checked.
import type { ManifestFacts, ManifestTaskFact } from '../../facts/types';
import { COMPLETE_TASK_TYPE_NAMESPACES, NS, TASK_TYPES_BY_NAMESPACE } from '../../model/catalog';
import { backgroundExtensions, taskElementFor } from '../codeUtil';
import type { Fix, FileRule } from '../types';

/** §8 #26: the Windows 10 replacement of the Phone 8.1 Bluetooth task types. */
const PHONE_TO_WIN10: Record<string, string> = { gattCharacteristicNotification: 'bluetooth', rfcommConnection: 'bluetooth' };

const NAMESPACE_NAMES: Record<string, string> = {
  [NS.appx2010]: 'the Windows 8 schema (2010)',
  [NS.appx2013]: 'the Windows 8.1 m2 schema (2013)',
  [NS.foundation10]: 'the Windows 10 foundation schema',
  [NS.uap10]: 'the Windows 10 uap schema',
};

export const rule: FileRule = {
  id: 'task-type-invalid',
  severity: 'error',
  title: 'A Task Type the manifest namespace of its Task element does not allow.',
  source: '§3.2, §8 #26',
  reads: ['manifest'],
  scope: 'file',
  checkFile(file, ctx) {
    const manifest = file.manifest;
    for (const x of backgroundExtensions(manifest)) {
      for (const task of x.tasks) {
        if (!COMPLETE_TASK_TYPE_NAMESPACES.includes(task.namespace)) continue;
        if (TASK_TYPES_BY_NAMESPACE[task.namespace].includes(task.type)) continue;
        ctx.report({ path: file.path, span: task.typeSpan, ...advice(manifest!, task, ctx.workspace.textOf(file.path), file.path) });
      }
    }
  },
};

function advice(manifest: ManifestFacts, task: ManifestTaskFact, text: string | undefined, path: string): { message: string; fix?: Fix } {
  const where = NAMESPACE_NAMES[task.namespace] ?? task.namespace;
  if (!task.type) return { message: `Task Type is empty; ${where} allows ${TASK_TYPES_BY_NAMESPACE[task.namespace].join(', ')}.` };
  const win10 = PHONE_TO_WIN10[task.type];
  if (win10 && task.namespace === NS.foundation10) {
    return {
      message: `'${task.type}' is a Windows Phone 8.1 Task Type; Windows 10 declares Bluetooth tasks as Type="${win10}".`,
      fix: { title: `Change to '${win10}'`, edits: [{ path, span: task.typeSpan, newText: win10 }] },
    };
  }
  const element = taskElementFor(manifest, task.type);
  if (element) {
    const written = task.prefix ? `${task.prefix}:Task` : 'Task';
    const fix = elementFix(text, task, written, element, path);
    return { message: `Task Type '${task.type}' is not allowed in <${written}> (${where}); write it as <${element} Type="${task.type}" />.`, fix };
  }
  return { message: `Task Type '${task.type}' is not allowed in ${where}; it allows ${TASK_TYPES_BY_NAMESPACE[task.namespace].join(', ')}.` };
}

/** Rename a self-closing `<Task .../>` to `<uap:Task .../>`. */
function elementFix(text: string | undefined, task: ManifestTaskFact, written: string, element: string, path: string): Fix | undefined {
  if (!text || text.slice(task.span.start, task.span.start + written.length + 1) !== `<${written}` || !text.slice(task.span.start, task.span.end).endsWith('/>')) return undefined;
  return { title: `Write it as <${element}>`, edits: [{ path, span: { start: task.span.start + 1, end: task.span.start + 1 + written.length }, newText: element }] };
}
