// Dispatches a file to its extractor by kind, after the relevance prefilter. Owns the decisions that
// are the same for every language: which files we read, which grammar they need, suppression comments.
import type { FileFacts, FileKind, Suppression } from '../facts/types';
import { emptyFacts } from '../facts/types';
import type { GrammarId } from './treeSitter';
import { extractCSharp } from './csharp';
import { extractCpp } from './cpp';
import { cppConstantFacts } from './cpp/constants';
import { extractJavaScript } from './javascript';
import { extractManifest } from './manifest';
import { extractProject } from './project';
import { extractVb } from './vb';

const EXTENSION_KINDS: Record<string, FileKind> = {
  '.cs': 'csharp',
  '.cpp': 'cppcx',
  '.h': 'cppcx',
  '.hpp': 'cppcx',
  '.cxx': 'cppcx',
  '.cc': 'cppcx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.ts': 'typescript',
  '.appxmanifest': 'manifest',
  '.vb': 'vb',
  '.csproj': 'project',
  '.vbproj': 'project',
  '.vcxproj': 'project',
};

/** The kind of a file by its name, or undefined when bgtask does not read it. */
export function fileKindOf(filePath: string): FileKind | undefined {
  const base = filePath.slice(filePath.lastIndexOf('/') + 1);
  if (base.toLowerCase() === 'appxmanifest.xml') return 'manifest';
  if (base.endsWith('.d.ts')) return undefined;
  const dot = base.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSION_KINDS[base.slice(dot).toLowerCase()];
}

/**
 * A source file is worth parsing only if it mentions "Background": every task class, registration,
 * deferral of a task, access request or WinJS task names something in
 * Windows.ApplicationModel.Background or WebUIBackgroundTaskInstance. The scanner applies the same
 * test to raw bytes, so most files of an app are never decoded. Manifests and projects are always read.
 */
export const RELEVANCE_MARKER = 'Background';

export function isRelevant(kind: FileKind, text: string): boolean {
  if (kind === 'manifest' || kind === 'project') return true;
  return text.includes(RELEVANCE_MARKER);
}

export function grammarFor(kind: FileKind, filePath = ''): GrammarId | undefined {
  switch (kind) {
    case 'csharp':
      return 'csharp';
    case 'cppcx':
    case 'cppwinrt':
      return 'cpp';
    case 'javascript':
      return 'tsx'; // tsx parses JSX-free JavaScript and Flow-free TS alike; plain .ts uses typescript.
    case 'typescript':
      return filePath.endsWith('.tsx') ? 'tsx' : 'typescript';
    default:
      return undefined;
  }
}

const CODE_SUPPRESSION = /\/\/\s*bgtask-disable-next-line\b([^\r\n]*)/g;
const XML_SUPPRESSION = /<!--\s*bgtask-disable-next-line\b([\s\S]*?)-->/g;

/** `// bgtask-disable-next-line id, id2` (code) and `<!-- bgtask-disable-next-line id -->` (XML). */
export function findSuppressions(kind: FileKind, text: string): Suppression[] {
  const pattern = kind === 'manifest' || kind === 'project' ? XML_SUPPRESSION : CODE_SUPPRESSION;
  const result: Suppression[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    let line = 0;
    for (let i = 0; i < m.index + m[0].length; i++) if (text.charCodeAt(i) === 10) line++;
    const rules = m[1].split(/[\s,]+/).map((r) => r.trim()).filter((r) => /^[a-z0-9-]+$/.test(r));
    result.push({ line: line + 1, rules });
  }
  return result;
}

/** Extract a file's facts. The file's grammar must be loaded (see treeSitter.loadGrammar). */
export function extractFacts(filePath: string, kind: FileKind, text: string): FileFacts {
  let facts: FileFacts;
  // A C++ file without the marker may still declare the constants a registration names (a page's header).
  if (!isRelevant(kind, text)) facts = kind === 'cppcx' || kind === 'cppwinrt' ? cppConstantFacts(filePath, kind, text) : emptyFacts(filePath, kind);
  else {
    switch (kind) {
      case 'csharp':
        facts = extractCSharp(filePath, text);
        break;
      case 'cppcx':
      case 'cppwinrt':
        facts = extractCpp(filePath, text);
        break;
      case 'javascript':
      case 'typescript':
        facts = extractJavaScript(filePath, text, kind === 'typescript');
        break;
      case 'manifest':
        facts = extractManifest(filePath, text);
        break;
      case 'project':
        facts = extractProject(filePath, text);
        break;
      case 'vb':
        facts = extractVb(filePath, text);
        break;
    }
  }
  if (text.includes('bgtask-disable')) facts.suppressions = findSuppressions(kind, text);
  return facts;
}
