// Finds and reads the files bgtask analyses under a set of paths, and loads them into an Engine.
// Bad input never throws: a binary, oversized or non-UTF-8 file, an unreadable folder or a symlink
// loop becomes a problem on that path, and the rest of the workspace is still read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../engine';
import { emptyFacts, type FileKind } from '../facts/types';
import { readFiles, type FileRead } from './fileReader';
import { readIncludedHeaders } from './includes';
import { fileKindOf, grammarFor, isRelevant, RELEVANCE_MARKER } from '../parsers/extract';
import { loadGrammar, type GrammarId } from '../parsers/treeSitter';

export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.vs', 'bin', 'obj', 'AppPackages', 'BundleArtifacts', 'dist', 'out']);

/** Whether a path lies, below `root`, in a folder the scan skips (build output, dependencies, hidden folders). */
export function inSkippedFolder(p: string, root: string): boolean {
  const rel = toPosix(p).slice(toPosix(root).replace(/\/$/, '').length + 1);
  const parts = rel.split('/');
  parts.pop();
  return parts.some((d) => SKIPPED_DIRS.has(d) || (d.startsWith('.') && d !== '.' && d !== '..'));
}

export interface ScanProblem {
  path: string;
  message: string;
}

export interface ScanResult {
  /** Absolute paths (forward slashes) of the files loaded. */
  files: string[];
  /** Paths that could not be used at all (missing path given by the user). */
  errors: ScanProblem[];
  /** Files skipped with a reason (binary, too large, invalid UTF-8, unreadable, symlink loop). */
  skipped: ScanProblem[];
}

export interface ScanOptions {
  maxFileBytes?: number;
  /** Extra folder names to skip, and glob-free path fragments to exclude. */
  exclude?: string[];
}

export const toPosix = path.sep === '/' ? (p: string) => p : (p: string) => p.split(path.sep).join('/');

/** List analysable files under the given paths (files or folders). */
export function findFiles(paths: readonly string[], options: ScanOptions = {}): { files: string[]; errors: ScanProblem[]; skipped: ScanProblem[] } {
  const files: string[] = [];
  const errors: ScanProblem[] = [];
  const skipped: ScanProblem[] = [];
  const seenDirs = new Set<string>();
  const exclude = options.exclude ?? [];
  const excluded = (p: string) => exclude.some((e) => e && toPosix(p).includes(e));

  const walk = (dir: string) => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (error) {
      skipped.push({ path: toPosix(dir), message: describeFsError(error) });
      return;
    }
    if (seenDirs.has(real)) {
      skipped.push({ path: toPosix(dir), message: 'skipped: symbolic link loop (folder already visited)' });
      return;
    }
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: toPosix(dir), message: describeFsError(error) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // `dir` is absolute and normalized: joining by hand saves path.join's normalization per entry.
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    for (const entry of entries) {
      const full = prefix + entry.name;
      if (exclude.length && excluded(full)) continue;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = fs.statSync(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (error) {
          skipped.push({ path: toPosix(full), message: describeFsError(error) });
          continue;
        }
      }
      if (isDir) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(full);
      } else if (isFile && fileKindOf(entry.name)) files.push(toPosix(full));
    }
  };

  for (const given of paths) {
    const abs = path.resolve(given);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (error) {
      errors.push({ path: given, message: describeFsError(error) });
      continue;
    }
    if (st.isDirectory()) walk(abs);
    else if (st.isFile()) {
      if (fileKindOf(toPosix(abs))) files.push(toPosix(abs));
      else errors.push({ path: given, message: 'not a file bgtask analyses (.cs, .cpp, .h, .js, .ts, .appxmanifest, AppxManifest.xml, .csproj, .vcxproj)' });
    } else errors.push({ path: given, message: 'not a regular file or folder' });
  }
  return { files: [...new Set(files)], errors, skipped };
}

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Read a file as UTF-8 text, refusing binary, oversized and invalid UTF-8 content with a reason. */
export function readTextFile(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): ReadResult {
  let buffer: Buffer;
  try {
    const st = fs.statSync(file);
    if (st.size > maxBytes) return { ok: false, message: `skipped: file is ${formatBytes(st.size)}, over the ${formatBytes(maxBytes)} limit` };
    buffer = fs.readFileSync(file);
  } catch (error) {
    return { ok: false, message: describeFsError(error) };
  }
  return decodeText(buffer);
}

export function decodeText(buffer: Uint8Array): ReadResult {
  const probe = buffer.subarray(0, 8192);
  // UTF-16 files (BOM FF FE / FE FF) are legitimate in Windows projects; decode them instead of calling them binary.
  if (probe[0] === 0xff && probe[1] === 0xfe) return { ok: true, text: new TextDecoder('utf-16le').decode(buffer.subarray(2)) };
  if (probe[0] === 0xfe && probe[1] === 0xff) return { ok: true, text: new TextDecoder('utf-16be').decode(buffer.subarray(2)) };
  if (probe.includes(0)) return { ok: false, message: 'skipped: binary file (contains NUL bytes)' };
  try {
    return { ok: true, text: decoder.decode(buffer) };
  } catch {
    // Not UTF-8 and no BOM: Visual Studio reads such a file in the system code page; Windows-1252 maps every byte.
    try {
      return { ok: true, text: decodeWindows1252(buffer) };
    } catch {
      const at = firstInvalidUtf8(buffer);
      return { ok: false, message: `skipped: invalid UTF-8 at byte ${at}` };
    }
  }
}

// 0x80-0x9F of Windows-1252 (Node's TextDecoder treats the label as Latin-1 there); the rest is Latin-1.
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    const codes = new Array<number>(chunk.length);
    for (let k = 0; k < chunk.length; k++) {
      const b = chunk[k];
      codes[k] = b >= 0x80 && b < 0xa0 ? CP1252_HIGH.charCodeAt(b - 0x80) : b;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

/** Byte offset of the first malformed UTF-8 sequence (the decoder only says that one exists). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return bytes.length;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EISDIR':
      return 'is a folder';
    default:
      return e?.message ?? String(error);
  }
}


/**
 * Scan paths and load every analysable file into the engine. Source files are searched for the
 * relevance marker in their raw bytes first, so the many files that have nothing to do with
 * background tasks are never decoded or parsed. Grammars load only for languages a relevant file
 * needs, compiling in the background while files are read.
 */
export async function loadWorkspace(engine: Engine, paths: readonly string[], options: ScanOptions = {}): Promise<ScanResult> {
  const { files, errors, skipped } = findFiles(paths, options);
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const kinds = files.map((f) => fileKindOf(f)!);
  const alwaysRead = kinds.map((k) => k === 'manifest' || k === 'project');

  // Grammars compile on another thread while files are read: start the ones the file names suggest.
  const loading = new Map<GrammarId, Promise<unknown>>();
  for (let i = 0; i < files.length; i++) {
    const id = grammarFor(kinds[i], files[i]);
    if (id && !loading.has(id)) loading.set(id, loadGrammar(id));
  }

  const pending: Array<{ file: string; kind: FileKind; text: string }> = [];
  /** C++ files the prefilter skipped: those that relevant files #include are read for their constants. */
  const unread: number[] = [];
  const problem = (file: string, message: string) => {
    skipped.push({ path: file, message });
    const facts = emptyFacts(file, fileKindOf(file)!);
    facts.problems.push({ message, span: { start: 0, end: 0 } });
    engine.setFacts(file, facts, '');
  };
  readFiles(files, alwaysRead, files.map((_, i) => i), RELEVANCE_MARKER, maxBytes, (read: FileRead) => {
    const file = files[read.index];
    const kind = kinds[read.index];
    if ('irrelevant' in read) {
      engine.setIrrelevant(file, kind);
      if (kind === 'cppcx') unread.push(read.index);
    }
    else if ('error' in read) problem(file, describeFsError(read.error));
    else if ('oversize' in read) problem(file, `skipped: file is ${read.size ? `${formatBytes(read.size)}, ` : ''}over the ${formatBytes(maxBytes)} limit`);
    else {
      const decoded = decodeText(read.bytes);
      if (!decoded.ok) problem(file, decoded.message);
      else if (grammarFor(kind, file) && isRelevant(kind, decoded.text)) pending.push({ file, kind, text: decoded.text });
      else engine.setFile(file, decoded.text, kind);
    }
  });
  await Promise.all(loading.values());
  for (const p of pending) engine.setFile(p.file, p.text, p.kind);
  if (unread.length) readIncludedHeaders(engine, files, kinds, unread, maxBytes, RELEVANCE_MARKER);
  return { files, errors, skipped };
}

