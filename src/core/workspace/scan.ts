// Finds and reads the files bgtask analyses under a set of paths, and loads them into an Engine.
// Bad input never throws: a binary, oversized or non-UTF-8 file, an unreadable folder or a symlink
// loop becomes a problem on that path, and the rest of the workspace is still read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../engine';
import { Worker } from 'node:worker_threads';
import { emptyFacts, type FileFacts, type FileKind } from '../facts/types';
import type { ExtractReply, ExtractRequest } from './extractWorker';
import { fileKindOf, grammarFor, isRelevant, RELEVANCE_MARKER } from '../parsers/extract';
import { loadGrammar, type GrammarId } from '../parsers/treeSitter';

export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.vs', 'bin', 'obj', 'AppPackages', 'BundleArtifacts', 'dist', 'out']);

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
  /**
   * Parse relevant files in a worker thread while this thread reads the rest (for one-shot runs
   * such as `bgtask check`: a cold start on two cores). Falls back to this thread if the worker
   * script is missing or fails.
   */
  parallel?: boolean;
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
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (excluded(full)) continue;
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
      } else if (isFile && fileKindOf(toPosix(full))) files.push(toPosix(full));
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
    const at = firstInvalidUtf8(buffer);
    return { ok: false, message: `skipped: invalid UTF-8 at byte ${at}` };
  }
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

const MARKER_BYTES = Buffer.from(RELEVANCE_MARKER);

/**
 * Reads files into one reused buffer: most files are only searched, never kept. There is no fstat
 * per file (it costs as much as the read): the buffer grows until EOF, up to `limit` bytes; past
 * that the rest is only searched for the relevance marker, in place, and the file is reported oversize.
 */
class ScratchReader {
  private buffer = Buffer.allocUnsafe(1 << 20);

  read(file: string, limit: number): { bytes: Buffer; oversize: boolean; markerPastLimit: boolean } {
    const fd = fs.openSync(file, 'r');
    try {
      let filled = 0;
      for (;;) {
        if (filled === this.buffer.length) {
          if (filled > limit) return this.scanRest(fd, filled);
          const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(bigger, 0, 0, filled);
          this.buffer = bigger;
        }
        const n = fs.readSync(fd, this.buffer, filled, this.buffer.length - filled, null);
        if (n === 0) break;
        filled += n;
      }
      return { bytes: this.buffer.subarray(0, filled), oversize: filled > limit, markerPastLimit: false };
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The buffer is full and over the limit: search the rest of the file without keeping it. */
  private scanRest(fd: number, filled: number): { bytes: Buffer; oversize: true; markerPastLimit: boolean } {
    const head = this.buffer;
    if (head.indexOf(MARKER_BYTES) >= 0) return { bytes: head.subarray(0, filled), oversize: true, markerPastLimit: false };
    const window = Buffer.allocUnsafe(1 << 20);
    const keep = MARKER_BYTES.length - 1;
    head.copy(window, 0, filled - keep, filled);
    for (;;) {
      const n = fs.readSync(fd, window, keep, window.length - keep, null);
      if (n === 0) return { bytes: head.subarray(0, filled), oversize: true, markerPastLimit: false };
      if (window.subarray(0, keep + n).indexOf(MARKER_BYTES) >= 0) return { bytes: head.subarray(0, filled), oversize: true, markerPastLimit: true };
      window.copy(window, 0, keep + n - keep, keep + n);
    }
  }
}

const mayBeRelevant = (bytes: Buffer) => bytes.indexOf(MARKER_BYTES) >= 0;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const isUtf16 = (b: Buffer) => (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);

/**
 * Scan paths and load every analysable file into the engine. Source files are searched for the
 * relevance markers in their raw bytes first, so the many files that have nothing to do with
 * background tasks are never decoded or parsed. Grammars load only for languages a relevant file
 * needs, in parallel with reading.
 */
export async function loadWorkspace(engine: Engine, paths: readonly string[], options: ScanOptions = {}): Promise<ScanResult> {
  const { files, errors, skipped } = findFiles(paths, options);
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const pending: Array<{ file: string; text: string }> = [];
  const reader = new ScratchReader();
  const loading = new Map<GrammarId, Promise<unknown>>();
  const worker = options.parallel ? ExtractionWorker.start() : undefined;
  worker?.warm([...new Set(files.map((f) => grammarFor(fileKindOf(f)!, f)).filter((id): id is GrammarId => !!id))]);
  const fromWorker: Array<Promise<{ file: string; text: string; facts: FileFacts | undefined }>> = [];
  if (!worker) {
    // Grammars compile on another thread while files are read: start the ones the file names suggest.
    for (const file of files) {
      const id = grammarFor(fileKindOf(file)!, file);
      if (id && !loading.has(id)) loading.set(id, loadGrammar(id));
    }
  }
  const problem = (file: string, message: string) => {
    skipped.push({ path: file, message });
    const facts = emptyFacts(file, fileKindOf(file)!);
    facts.problems.push({ message, span: { start: 0, end: 0 } });
    engine.setFacts(file, facts, '');
  };
  for (let index = 0; index < files.length; index++) {
    // Let the grammar loads' and the worker's promise chains advance between batches of synchronous reads.
    if (index % 256 === 255) await yieldToEventLoop();
    const file = files[index];
    const kind = fileKindOf(file)!;
    let read: ReturnType<ScratchReader['read']>;
    try {
      read = reader.read(file, maxBytes);
    } catch (error) {
      problem(file, describeFsError(error));
      continue;
    }
    const bytes = read.bytes;
    const alwaysRead = kind === 'manifest' || kind === 'project' || isUtf16(bytes);
    if (!alwaysRead && !read.markerPastLimit && !mayBeRelevant(bytes)) {
      engine.setFacts(file, emptyFacts(file, kind));
      continue;
    }
    if (read.oversize) {
      problem(file, `skipped: file is over the ${formatBytes(maxBytes)} limit`);
      continue;
    }
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      problem(file, decoded.message);
      continue;
    }
    const id = grammarFor(kind, file);
    if (id && isRelevant(kind, decoded.text)) {
      if (worker) {
        const text = decoded.text;
        fromWorker.push(worker.extract(file, kind, text).then((facts) => ({ file, text, facts })));
      } else pending.push({ file, text: decoded.text });
    } else engine.setFile(file, decoded.text, kind);
  }
  if (worker) {
    for (const result of await Promise.all(fromWorker)) {
      if (result.facts) engine.setFacts(result.file, result.facts, result.text);
      else pending.push({ file: result.file, text: result.text });
    }
    void worker.stop();
    for (const p of pending) {
      const id = grammarFor(fileKindOf(p.file)!, p.file);
      if (id && !loading.has(id)) loading.set(id, loadGrammar(id));
    }
  }
  await Promise.all(loading.values());
  for (const p of pending) engine.setFile(p.file, p.text);
  return { files, errors, skipped };
}

/** The extraction worker; `extract` resolves to undefined when the worker is gone (the caller extracts itself). */
class ExtractionWorker {
  private nextId = 0;
  private readonly waiting = new Map<number, (facts: FileFacts | undefined) => void>();
  private failed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: ExtractReply) => {
      this.waiting.get(reply.id)?.(reply.facts);
      this.waiting.delete(reply.id);
    });
    const fail = () => {
      this.failed = true;
      for (const resolve of this.waiting.values()) resolve(undefined);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
  }

  static start(): ExtractionWorker | undefined {
    const script = path.join(__dirname, 'extractWorker.js');
    if (!fs.existsSync(script)) return undefined;
    try {
      return new ExtractionWorker(new Worker(script));
    } catch {
      return undefined;
    }
  }

  extract(file: string, kind: FileKind, text: string): Promise<FileFacts | undefined> {
    if (this.failed) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ id, path: file, kind, text } satisfies ExtractRequest);
    });
  }

  /** Start compiling the grammars these files will need while the main thread reads them. */
  warm(ids: GrammarId[]): void {
    if (ids.length) this.worker.postMessage({ warm: ids });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
