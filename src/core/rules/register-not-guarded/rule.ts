// register-not-guarded: Register() outside try/catch on profiles that validate the builder at
// registration (Windows 8.1 and later): an invalid trigger or declaration then crashes the app.
// Windows 8 validates only when the task runs. Source: domain-facts §5 (parameter validation), §8 #13.
import { lineAt, registrationAnchor, registrations } from '../codeUtil';
import type { Fix, WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'register-not-guarded',
  severity: 'info',
  title: 'Register() is not inside try/catch.',
  source: '§5, §8 #13',
  reads: ['code', 'manifest'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    for (const e of registrations(ctx.workspace)) {
      const r = e.registration;
      if (!r.registerCall || r.registerGuarded || e.app.profile === 'win8') continue;
      const text = ctx.workspace.textOf(e.file.path);
      let fix: Fix | undefined;
      if (text && e.file.kind === 'csharp' && !r.viaHelperCall) {
        const line = lineAt(text, r.registerCall.start);
        const statement = line.content.trim();
        // A lone statement starting with the call; a declaration would go out of scope inside try.
        if (line.start + line.indent.length === r.registerCall.start && statement.endsWith(';') && !/[{}]/.test(statement)) {
          const i = line.indent;
          const unit = i.includes('\t') ? '\t' : '    ';
          const nl = line.content.endsWith('\r\n') ? '\r\n' : '\n';
          const lines = [`${i}try`, `${i}{`, `${i}${unit}${statement}`, `${i}}`, `${i}catch (System.Exception)`, `${i}{`, `${i}${unit}// Register() throws when the trigger, a condition or the manifest declaration is invalid.`, `${i}}`];
          fix = { title: 'Wrap Register() in try/catch', edits: [{ path: e.file.path, span: { start: line.start, end: line.end }, newText: lines.join(nl) + nl }] };
        }
      }
      ctx.report({
        path: e.file.path,
        span: registrationAnchor(r),
        message: 'Register() is not inside try/catch, and Windows 8.1 and later throw from it when the registration is invalid; catch the exception.',
        fix,
      });
    }
  },
};
