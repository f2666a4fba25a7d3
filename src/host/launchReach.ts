// Which registrations found in C#/C++ code run when the app starts: those in an app-start method
// (App constructor, OnLaunched, OnActivated, Main, OnStartup), in the page the start navigates to
// (its constructor, OnNavigatedTo, Loaded), or in a method those call, followed through the app's
// code a few levels deep. The rest are registered on demand (a button's Click handler, as in
// Microsoft's BackgroundTask sample). A text-level walk: braces and method headers, no parse.

const START_METHODS = new Set(['OnLaunched', 'OnActivated', 'Main', 'OnStartup', 'OnWindowCreated']);
const PAGE_START_METHODS = new Set(['OnNavigatedTo', 'Page_Loaded', 'OnLoaded', 'MainPage_Loaded', 'Loaded']);
const NOT_METHODS = new Set(['if', 'for', 'foreach', 'while', 'switch', 'catch', 'using', 'lock', 'fixed', 'return', 'else', 'do', 'try', 'finally', 'get', 'set', 'add', 'remove', 'sizeof', 'typeof', 'nameof', 'new', 'when', 'unchecked', 'checked']);

export interface CodeFile {
  path: string;
  text: string;
}

export interface Enclosing {
  method?: string;
  cls?: string;
}

/** The method (and class) around an offset, from the braces before it. */
export function enclosingAt(text: string, offset: number): Enclosing {
  const out: Enclosing = {};
  let depth = 0;
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 125 /* } */) depth++;
    else if (c === 123 /* { */) {
      if (depth > 0) {
        depth--;
        continue;
      }
      const head = text.slice(Math.max(0, i - 400), i);
      const cls = /\b(?:class|struct)\s+(?:\w+\s+)*?(\w+)\s*(?:sealed\s*)?(?:final\s*)?(?::[^{;]*)?$/.exec(head);
      if (cls) {
        out.cls ??= cls[1];
        if (out.method) return out;
        continue;
      }
      if (!out.method) {
        // A lambda's or anonymous function's block is not the method: keep walking outward.
        if (/(?:\]\s*\([^()]*\)\s*(?:mutable\s*)?(?:->\s*[\w:<>]+\s*)?|=>\s*|\bfunction\s*\w*\s*\([^()]*\)\s*|\bdelegate\s*(?:\([^()]*\))?\s*)$/.test(head)) continue;
        const m = /(?:(\w+)::)?(~?\w+)\s*\([^;{}()]*\)\s*(?:const\s*)?(?:override\s*)?(?:noexcept\s*)?(?:->\s*[\w:<>]+\s*)?(?::\s*[^;{}]*)?$/.exec(head);
        if (m && !NOT_METHODS.has(m[2])) {
          out.method = m[2];
          if (m[1]) {
            out.cls = m[1];
            return out;
          }
        }
      }
    }
  }
  return out;
}

/** Does code reachable from app start call `method` (declared in class `cls`)? */
export function reachableFromLaunch(method: string | undefined, cls: string | undefined, files: readonly CodeFile[], depth = 4, seen = new Set<string>()): boolean {
  if (!method) return false;
  const name = method.slice(Math.max(method.lastIndexOf('.'), method.lastIndexOf(':')) + 1);
  if (START_METHODS.has(name) || (cls && name === cls && cls === 'App')) return true;
  if (cls && (PAGE_START_METHODS.has(name) || name === cls) && navigatedAtLaunch(cls, files)) return true;
  if (depth <= 0 || seen.has(name)) return false;
  seen.add(name);
  const call = new RegExp(`\\b${name}\\s*\\(`, 'g');
  for (const f of files) {
    for (const m of f.text.matchAll(call)) {
      // A declaration is followed by a body, a call by an argument list and `;` or an expression.
      const after = f.text.slice(m.index! + m[0].length, m.index! + m[0].length + 300);
      if (/^[^;{}]*\)\s*(?:const\s*)?(?:override\s*)?(?:noexcept\s*)?(?:\{|=>)/.test(after)) continue;
      const at = enclosingAt(f.text, m.index!);
      if (at.method === name) continue;
      if (reachableFromLaunch(at.method, at.cls, files, depth - 1, seen)) return true;
    }
  }
  return false;
}

/**
 * The app's start navigates to this page: `Navigate(typeof(MainPage)` / `xaml_typename<MainPage>()` /
 * `MainPage::typeid`. When the workspace holds no start code at all, MainPage is taken as the first page.
 */
function navigatedAtLaunch(page: string, files: readonly CodeFile[]): boolean {
  if (page === 'MainPage' && !files.some((f) => /\b(OnLaunched|OnActivated|OnStartup)\s*\(/.test(f.text))) return true;
  const nav = new RegExp(`typeof\\(\\s*(?:[\\w.]+\\.)?${page}\\s*\\)|xaml_typename<\\s*(?:[\\w:]+::)?${page}\\s*>|\\b${page}::typeid|new\\s+${page}\\s*\\(`);
  for (const f of files) {
    for (const m of f.text.matchAll(new RegExp(nav.source, 'g'))) {
      const at = enclosingAt(f.text, m.index!);
      const name = at.method ?? '';
      if (START_METHODS.has(name) || (at.cls === 'App' && name === 'App')) return true;
    }
  }
  return false;
}
