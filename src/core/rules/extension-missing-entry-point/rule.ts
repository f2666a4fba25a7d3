// extension-missing-entry-point: a windows.backgroundTasks Extension with neither EntryPoint nor
// StartPage. Windows 8.x and Phone 8.1 schemas require one of them (§3.5); on Windows 10 such an
// Extension declares an in-process task, which needs OnBackgroundActivated in the app (§3.5, §8 #20/#21).
import { backgroundExtensions } from '../codeUtil';
import { appManifests } from '../manifestUtil';
import type { WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'extension-missing-entry-point',
  severity: 'error',
  title: 'A background task Extension has neither EntryPoint nor StartPage.',
  source: '§3.5, §8 #21',
  reads: ['manifest', 'code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const { app, file, manifest } of appManifests(ctx.workspace)) {
      for (const x of backgroundExtensions(manifest)) {
        if (x.entryPoint || x.startPage) continue;
        if (app.profile === 'win10' || app.profile === 'appsdk') {
          // An in-process task: fine when the app handles the activation (or when we cannot see its code).
          if (app.hasOnBackgroundActivated || !app.files.length) continue;
          ctx.report({
            path: file.path,
            span: x.startTagSpan,
            severity: 'info',
            message: 'This Extension has no EntryPoint, so it declares an in-process task, but the app never overrides OnBackgroundActivated: add EntryPoint="Namespace.Class" for an out-of-process task, or handle OnBackgroundActivated.',
          });
          continue;
        }
        ctx.report({
          path: file.path,
          span: x.startTagSpan,
          message: `On ${app.profile} every windows.backgroundTasks Extension needs EntryPoint (the task class, Namespace.Class) or StartPage (a JavaScript task's script).`,
        });
      }
    }
  },
};
