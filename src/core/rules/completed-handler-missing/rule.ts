// completed-handler-missing: the registration's result never gets a Completed handler, so the app
// never learns that the task ran or failed (CheckResult). Source: domain-facts §5
// (BackgroundTaskRegistration Completed).
import { lineAt, registrationAnchor, registrations } from '../codeUtil';
import type { Fix, WorkspaceRule } from '../types';

const COMPLETED_SUBSCRIPTION = /(\.|->)\s*Completed\s*\+=|->\s*Completed\s*::\s*add\s*\(|(\.|->)\s*Completed\s*\(\s*[{\[(]|addEventListener\s*\(\s*["']completed["']|\.\s*oncompleted\s*=/;
// VB keywords are case-insensitive: `AddHandler reg.Completed, ...` and `... Handles reg.Completed`.
const VB_COMPLETED_SUBSCRIPTION = /\bAddHandler\s+[^,\r\n]+\.\s*Completed\s*,|\bHandles\s+[\w.]+\.\s*Completed\b/i;

export const rule: WorkspaceRule = {
  id: 'completed-handler-missing',
  severity: 'info',
  title: 'A registration never gets a Completed handler.',
  source: '§5',
  reads: ['code'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const e of registrations(ctx.workspace)) {
      const r = e.registration;
      if (!r.registerCall || r.completedHandler) continue;
      const text = ctx.workspace.textOf(e.file.path);
      // A registration made through a helper: the caller's page attaches its handlers itself, often to
      // the registration it finds in AllTasks (Microsoft's BackgroundTask sample does both).
      if (r.viaHelperCall && text && (e.file.kind === 'vb' ? VB_COMPLETED_SUBSCRIPTION : COMPLETED_SUBSCRIPTION).test(text)) continue;
      let fix: Fix | undefined;
      if (text && e.file.kind === 'csharp' && !r.viaHelperCall) {
        const line = lineAt(text, r.registerCall.start);
        // Only `builder.Register();` standing alone can take the handler in place.
        if (line.start + line.indent.length === r.registerCall.start && /^\s*;/.test(text.slice(r.registerCall.end, line.end))) {
          fix = {
            title: 'Add a Completed handler',
            edits: [{ path: e.file.path, span: { start: r.registerCall.end, end: r.registerCall.end }, newText: '.Completed += (sender, args) => { try { args.CheckResult(); } catch (System.Exception) { } }' }],
          };
        }
      }
      const name = r.name?.kind === 'string' ? `'${r.name.value}'` : 'this task';
      ctx.report({
        path: e.file.path,
        span: registrationAnchor(r),
        message: `The registration of ${name} never gets a Completed handler, so the app cannot see the task finish or fail; attach one to the result of Register().`,
        fix,
      });
    }
  },
};
