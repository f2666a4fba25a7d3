// What "Add Background Task" changes besides the new files, as pure text edits: the project item each
// new file needs where the project lists its files (.csproj, .vcxproj, .jsproj, shared .projitems and
// .vcxitems), and the registration call at app start (App.OnLaunched, else the MainPage constructor).
import * as path from 'node:path';
import { extractProject } from '../core/parsers/project';
import type { ManifestFacts } from '../core/facts/types';
import { LANGUAGES, type AddTaskLanguage, type ProjectItemKind, type TextInsert } from './addTaskTemplates';

export interface TextFile {
  path: string;
  text: string;
}

const ITEMS_BY_PROJECT: Record<string, readonly ProjectItemKind[]> = {
  '.csproj': ['Compile'],
  '.projitems': ['Compile'],
  '.vcxproj': ['ClCompile', 'ClInclude', 'Midl'],
  '.vcxitems': ['ClCompile', 'ClInclude', 'Midl'],
  '.jsproj': ['Content', 'TypeScriptCompile'],
};

/** Project file extensions, in the order a folder's project is preferred. */
export const PROJECT_EXTENSIONS = ['.projitems', '.vcxitems', '.csproj', '.vcxproj', '.jsproj'];

/** Can this project hold items of this kind (a C# file does not go into a .vcxproj)? */
export function projectAccepts(projectPath: string, kind: ProjectItemKind): boolean {
  return ITEMS_BY_PROJECT[path.extname(projectPath).toLowerCase()]?.includes(kind) ?? false;
}


/**
 * The `<Kind Include="…" />` item for `file`, after the last item of the same kind (else in a new
 * ItemGroup after the last one); undefined when the project globs its files (SDK-style), does not take
 * this kind, or already lists the file.
 */
export function projectItemInsert(project: TextFile, file: string, kind: ProjectItemKind): TextInsert | undefined {
  if (!projectAccepts(project.path, kind)) return undefined;
  const text = project.text;
  const shared = /\.(projitems|vcxitems)$/i.test(project.path);
  const sdkStyle = /<Project\s[^>]*\bSdk\s*=/.test(text);
  // SDK-style projects compile every .cs under their folder unless told otherwise.
  if (sdkStyle && kind === 'Compile' && !/<EnableDefaultCompileItems>\s*false\s*</i.test(text)) return undefined;
  const rel = path.relative(path.dirname(project.path), file).split(path.sep).join('\\');
  const include = shared ? `$(MSBuildThisFileDirectory)${rel}` : rel;
  const items = [...text.matchAll(new RegExp(`<${kind}\\s+Include\\s*=\\s*"([^"]*)"\\s*(/>|>[\\s\\S]*?</${kind}\\s*>)`, 'g'))];
  const norm = (s: string) => s.replace(/^\$\(MSBuildThisFileDirectory\)/i, '').replace(/\//g, '\\').toLowerCase();
  if (items.some((m) => norm(m[1]) === rel.toLowerCase())) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const element = `<${kind} Include="${include}" />`;
  const last = items[items.length - 1];
  if (last) {
    const lineStart = text.lastIndexOf('\n', last.index!) + 1;
    return { offset: last.index! + last[0].length, text: `${eol}${/^[ \t]*/.exec(text.slice(lineStart))![0]}${element}` };
  }
  const unit = /\n([ \t]+)</.exec(text)?.[1] ?? '  ';
  const lastGroup = text.lastIndexOf('</ItemGroup>');
  const group = `${unit}<ItemGroup>${eol}${unit}${unit}${element}${eol}${unit}</ItemGroup>`;
  if (lastGroup >= 0) {
    const at = lastGroup + '</ItemGroup>'.length;
    return { offset: at, text: `${eol}${group}` };
  }
  const close = text.lastIndexOf('</Project>');
  if (close < 0) return undefined;
  return { offset: close, text: `${group}${eol}` };
}

export interface StartupTarget {
  path: string;
  /** What the call goes into, for the offer: `App.OnLaunched`, `MainPage constructor`, `app.onactivated`. */
  where: string;
  /** Offset right after the body's `{`. */
  bodyStart: number;
  /** The enclosing namespace (C#, C++), when there is one. */
  namespace?: string;
}

const STARTUP: Record<'csharp' | 'cpp' | 'js', Array<{ re: RegExp; where: string }>> = {
  csharp: [
    { re: /\boverride\s+(?:async\s+)?void\s+OnLaunched\s*\([^)]*\)\s*\{/, where: 'App.OnLaunched' },
    { re: /\bpublic\s+MainPage\s*\(\s*\)\s*\{/, where: 'the MainPage constructor' },
  ],
  cpp: [
    { re: /\bApp::OnLaunched\s*\([^)]*\)\s*\{/, where: 'App::OnLaunched' },
    { re: /\bMainPage::MainPage\s*\(\s*\)\s*(?::[^{;]*)?\{/, where: 'the MainPage constructor' },
  ],
  js: [
    { re: /\bonactivated\s*=\s*function\s*\([^)]*\)\s*\{/, where: 'app.onactivated' },
    { re: /addEventListener\(\s*["']activated["']\s*,\s*function\s*\([^)]*\)\s*\{/, where: 'the activated handler' },
  ],
};

const familyOf = (language: AddTaskLanguage): 'csharp' | 'cpp' | 'js' => (language === 'cppcx' || language === 'cppwinrt' ? 'cpp' : language === 'javascript' || language === 'typescript' ? 'js' : 'csharp');
const FILE_OF: Record<'csharp' | 'cpp' | 'js', RegExp> = { csharp: /\.cs$/i, cpp: /\.(cpp|cc|cxx)$/i, js: /\.(js|ts)$/i };

/** The app's start-up code for the language: the first pattern that matches wins over later ones. */
export function findStartup(language: AddTaskLanguage, files: readonly TextFile[]): StartupTarget | undefined {
  const family = familyOf(language);
  for (const { re, where } of STARTUP[family]) {
    for (const f of files) {
      if (!FILE_OF[family].test(f.path)) continue;
      const m = re.exec(f.text);
      if (!m) continue;
      const bodyStart = m.index + m[0].length;
      const ns = family === 'csharp' ? /\bnamespace\s+([\w.]+)/.exec(f.text.slice(0, m.index))?.[1] : undefined;
      return { path: f.path, where, bodyStart, namespace: ns };
    }
  }
  return undefined;
}

/** The call as the first statement of the start-up body, and for C++ the helper's #include. */
export function startupInserts(target: StartupTarget, text: string, call: string, include?: string): TextInsert[] {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lineStart = text.lastIndexOf('\n', target.bodyStart - 1) + 1;
  const outer = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const next = /\n([ \t]*)\S/.exec(text.slice(target.bodyStart));
  const indent = next && next[1].length > outer.length ? next[1] : outer + '    ';
  const inserts: TextInsert[] = [{ offset: target.bodyStart, text: `${eol}${indent}${call}` }];
  if (include && !text.includes(include)) {
    const includes = [...text.matchAll(/^#include[^\n]*$/gm)];
    const last = includes[includes.length - 1];
    inserts.push(last ? { offset: last.index! + last[0].length, text: `${eol}${include}` } : { offset: 0, text: `${include}${eol}` });
  }
  return inserts;
}

/** JavaScript: the `<script>` tag that loads the registration helper, before `</head>` of the start page. */
export function scriptTagInsert(html: string, src: string): TextInsert | undefined {
  if (html.includes(src)) return undefined;
  const head = html.search(/<\/head>/i);
  if (head < 0) return undefined;
  const scripts = [...html.slice(0, head).matchAll(/^([ \t]*)<script\b[^\n]*$/gim)];
  const last = scripts[scripts.length - 1];
  const eol = html.includes('\r\n') ? '\r\n' : '\n';
  if (last) return { offset: last.index! + last[0].length, text: `${eol}${last[1]}<script src="${src}"></script>` };
  const lineStart = html.lastIndexOf('\n', head) + 1;
  return { offset: lineStart, text: `    <script src="${src}"></script>${eol}` };
}

/**
 * Where an app's first out-of-process task goes: the Windows Runtime Component project (of the
 * language's project kind) that the app project references, with its root namespace.
 */
export function componentProject(appProject: TextFile, read: (p: string) => string | undefined): { project: string; namespace?: string } | undefined {
  const ext = path.extname(appProject.path).toLowerCase();
  const facts = extractProject(appProject.path.split(path.sep).join('/'), appProject.text).project;
  for (const ref of facts?.projectReferences ?? []) {
    if (path.extname(ref.path).toLowerCase() !== ext) continue;
    const text = read(ref.path);
    if (text === undefined || !extractProject(ref.path, text).project?.isWindowsRuntimeComponent) continue;
    return { project: ref.path, namespace: /<RootNamespace>\s*([\w.]+)\s*</.exec(text)?.[1] };
  }
  return undefined;
}

/**
 * The languages Add Background Task offers first, by what the app is: the languages of its task
 * classes, the App SDK COM model for an App SDK app, JavaScript/TypeScript for a StartPage app or a
 * .jsproj, C++/CX and C++/WinRT for a .vcxproj (C++/WinRT first when the project uses it), C# for a
 * .csproj. The rest are offered after them.
 */
export function languageChoices(manifest: Pick<ManifestFacts, 'profile' | 'applications'>, appProjects: readonly TextFile[], taskLanguages: readonly string[]): { fits: AddTaskLanguage[]; others: AddTaskLanguage[] } {
  const fits = new Set<AddTaskLanguage>();
  const add = (...ls: AddTaskLanguage[]) => ls.forEach((l) => fits.add(l));
  for (const l of taskLanguages) if (l in LANGUAGES) add(l as AddTaskLanguage);
  if (manifest.profile === 'appsdk') add('appsdk');
  if (manifest.applications[0]?.startPage) add('javascript', 'typescript');
  for (const p of appProjects) {
    const ext = path.extname(p.path).toLowerCase();
    if (ext === '.vcxproj') add(...((/CppWinRT/i.test(p.text) ? ['cppwinrt', 'cppcx'] : ['cppcx', 'cppwinrt']) as AddTaskLanguage[]));
    else if (ext === '.csproj' && manifest.profile !== 'appsdk') add('csharp');
    else if (ext === '.jsproj') add('javascript', 'typescript');
  }
  if (!fits.size) add(manifest.profile === 'appsdk' ? 'appsdk' : 'csharp');
  const all = Object.keys(LANGUAGES) as AddTaskLanguage[];
  return { fits: [...fits], others: all.filter((l) => !fits.has(l) && !(l === 'appsdk' && manifest.profile !== 'appsdk')) };
}
