// lock-screen-declaration-missing: on Windows 8 and 8.1, a timer, pushNotification, controlChannel or
// location task needs lock-screen notifications declared (<LockScreen Notification BadgeLogo>),
// or packaging fails with APPX1675 (§3.4). Whether Windows 10 tooling enforces it is UNVERIFIED: not checked there.
import type { ManifestFacts } from '../../facts/types';
import { LOCK_SCREEN_TASK_TYPES } from '../../model/catalog';
import { backgroundExtensions, newlineOf } from '../codeUtil';
import type { Fix, FileRule } from '../types';

export const rule: FileRule = {
  id: 'lock-screen-declaration-missing',
  severity: 'error',
  title: 'A Windows 8.x lock-screen task type without a <LockScreen> declaration (APPX1675).',
  source: '§3.4, §8 #25',
  reads: ['manifest'],
  scope: 'file',
  checkFile(file, ctx) {
    const manifest = file.manifest;
    const profile = ctx.workspace.appOf(file.path)?.profile ?? ctx.workspace.profileOverride ?? manifest?.profile;
    if (!manifest || (profile !== 'win8' && profile !== 'win81')) return;
    const lock = manifest.lockScreen;
    if (lock?.notification && lock.badgeLogo) return;
    const task = backgroundExtensions(manifest).flatMap((x) => x.tasks).find((t) => LOCK_SCREEN_TASK_TYPES.includes(t.type));
    if (!task) return;
    if (lock) {
      const missing = [!lock.notification && 'Notification ("badge" or "badgeAndTileText")', !lock.badgeLogo && 'BadgeLogo (a 24×24 monochrome PNG)'].filter(Boolean).join(' and ');
      ctx.report({ path: file.path, span: lock.span, message: `<LockScreen> lacks ${missing}; a '${task.type}' task needs lock-screen notifications declared (APPX1675).` });
      return;
    }
    ctx.report({
      path: file.path,
      span: task.typeSpan,
      message: `A '${task.type}' task needs lock-screen notifications: declare <LockScreen Notification="badge" BadgeLogo="..."/> in VisualElements, or packaging fails with APPX1675.`,
      fix: lockScreenFix(manifest, ctx.workspace.textOf(file.path), file.path),
    });
  },
};

function lockScreenFix(manifest: ManifestFacts, text: string | undefined, path: string): Fix | undefined {
  const insert = manifest.lockScreenInsert;
  if (!insert || !text) return undefined;
  // LockScreen takes the prefix VisualElements is written with (m2: on Windows 8.1).
  const open = text.lastIndexOf('<', insert.offset - 1);
  const m = /^<(?:([\w.-]+):)?VisualElements\b/.exec(text.slice(open));
  if (!m) return undefined;
  const name = m[1] ? `${m[1]}:LockScreen` : 'LockScreen';
  const logo = text.includes('\\') ? 'images\\badgelogo.png' : 'images/badgelogo.png';
  const element = `<${name} Notification="badge" BadgeLogo="${logo}" />`;
  const nl = newlineOf(text);
  // The schema's sequence is DefaultTile?, LockScreen?, SplashScreen: go before SplashScreen.
  const close = text.indexOf('VisualElements>', insert.offset);
  const body = text.slice(insert.offset, close < 0 ? text.length : close);
  const splash = /<(?:[\w.-]+:)?SplashScreen\b/.exec(body);
  if (splash) {
    const at = insert.offset + splash.index;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const indent = text.slice(lineStart, at);
    if (indent.trim()) return undefined;
    return { title: 'Declare lock-screen notifications (badge)', edits: [{ path, span: { start: lineStart, end: lineStart }, newText: `${indent}${element}${nl}` }] };
  }
  if (/<(?:[\w.-]+:)?DefaultTile\b/.test(body)) return undefined;
  return { title: 'Declare lock-screen notifications (badge)', edits: [{ path, span: { start: insert.offset, end: insert.offset }, newText: `${nl}${insert.indent}${element}` }] };
}
