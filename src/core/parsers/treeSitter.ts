// Loads web-tree-sitter and the grammars' prebuilt wasm once per process. Bundles find the wasm next
// to themselves (esbuild.mjs copies it to dist/); unbundled code (tests) finds it in node_modules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export type GrammarId = 'csharp' | 'cpp' | 'typescript' | 'tsx';

const WASM: Record<GrammarId | 'runtime', { pkg: string; file: string }> = {
  runtime: { pkg: 'web-tree-sitter', file: 'web-tree-sitter.wasm' },
  csharp: { pkg: 'tree-sitter-c-sharp', file: 'tree-sitter-c_sharp.wasm' },
  cpp: { pkg: 'tree-sitter-cpp', file: 'tree-sitter-cpp.wasm' },
  typescript: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm' },
  tsx: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-tsx.wasm' },
};

/** Every wasm file the bundles need beside them: used by esbuild.mjs and the package test. */
export const WASM_FILES = Object.values(WASM);

function locate(id: GrammarId | 'runtime'): string {
  const { pkg, file } = WASM[id];
  const beside = path.join(__dirname, file);
  if (fs.existsSync(beside)) return beside;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', pkg, file);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`bgtask: cannot find ${file} (looked beside ${__dirname} and in node_modules/${pkg})`);
}

let runtime: Promise<void> | undefined;
const languages = new Map<GrammarId, Promise<Language>>();
const loaded = new Map<GrammarId, Language>();
const parsers = new Map<GrammarId, Parser>();

export function initRuntime(): Promise<void> {
  runtime ??= Parser.init({ locateFile: () => locate('runtime') });
  return runtime;
}

export function loadGrammar(id: GrammarId): Promise<Language> {
  let promise = languages.get(id);
  if (!promise) {
    // Bytes, not a path: given a path, Language.load reads it through a dynamic import(), which
    // starts Node's ESM loader inside a CommonJS bundle only to read a file.
    promise = initRuntime().then(() => Language.load(fs.readFileSync(locate(id))));
    // The caller awaits `promise` and reports its failure; this branch must not become an unhandled rejection.
    promise.then((lang) => loaded.set(id, lang), () => undefined);
    languages.set(id, promise);
  }
  return promise;
}

export async function loadAllGrammars(): Promise<void> {
  await Promise.all((['csharp', 'cpp', 'typescript', 'tsx'] as GrammarId[]).map(loadGrammar));
}

/** The loaded grammar, or undefined when loadGrammar has not finished. */
export function grammar(id: GrammarId): Language | undefined {
  return loaded.get(id);
}

/** A parser for a loaded grammar (one per grammar, reused; callers must delete the trees they get). */
export function parserFor(id: GrammarId): Parser {
  let parser = parsers.get(id);
  if (!parser) {
    const lang = loaded.get(id);
    if (!lang) throw new Error(`bgtask: grammar ${id} used before loadGrammar('${id}') finished`);
    parser = new Parser();
    parser.setLanguage(lang);
    parsers.set(id, parser);
  }
  return parser;
}
