// The scan's second pass for C++: headers that never say "Background" are skipped by the byte
// prefilter, yet a page's task names often live there (`static constexpr wchar_t TaskName[]`,
// `#define`). Only the headers that relevant C++ files `#include` (and what those include) are read
// (with the .cpp beside each, where a header's declared constants get their values), and only for
// their constants (parsers/cpp/constants): the rest of an app's headers stay unread.
import type { Engine } from '../engine';
import { decodeText } from './scan';
import { readFiles, type FileRead } from './fileReader';

const isCpp = (kind: string | undefined) => kind === 'cppcx' || kind === 'cppwinrt';
const SOURCE_EXTENSIONS = ['.cpp', '.cxx', '.cc'];

/** `a/./b/../c.h` → `a/c.h`; a leading `..` that climbs out of the path is dropped. */
function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/**
 * Files of `candidates` an `#include "include"` written in `from` names: the path beside `from` when it
 * is one of them (as the compiler looks first), else any whose path ends with the include (an include
 * folder of the project). Paths compare case-insensitively, as on Windows.
 */
export function includedFiles(from: string, include: string, candidates: ReadonlyMap<string, number[]>, files: readonly string[]): number[] {
  const written = include.replace(/\\/g, '/');
  const tail = normalize(written).toLowerCase();
  const base = tail.slice(tail.lastIndexOf('/') + 1);
  const list = candidates.get(base);
  if (!list) return [];
  const beside = normalize(`${from.slice(0, from.lastIndexOf('/'))}/${written}`).toLowerCase();
  const exact = list.filter((i) => normalize(files[i]).toLowerCase() === beside);
  if (exact.length) return exact;
  return list.filter((i) => `/${files[i].toLowerCase()}`.endsWith(`/${tail}`));
}

/**
 * Read for their constants the skipped C++ files (`skipped`: indices into `files`) that the engine's
 * C++ files include, transitively. Returns how many were read.
 */
export function readIncludedHeaders(engine: Engine, files: readonly string[], kinds: readonly (string | undefined)[], skipped: readonly number[], maxBytes: number, marker: string): number {
  const candidates = new Map<string, number[]>();
  for (const i of skipped) {
    if (!isCpp(kinds[i])) continue;
    const base = files[i].slice(files[i].lastIndexOf('/') + 1).toLowerCase();
    const list = candidates.get(base);
    if (list) list.push(i);
    else candidates.set(base, [i]);
  }
  if (!candidates.size) return 0;
  const taken = new Set<number>();
  let read = 0;
  let from = engine.relevantFiles().filter((f) => isCpp(f.kind) && f.includes?.length).map((f) => ({ path: f.path, includes: f.includes! }));
  const always = files.map(() => true);
  // Each round reads what the previous one included; an include cycle ends because a file is read once.
  while (from.length) {
    const next: number[] = [];
    const take = (i: number) => {
      if (taken.has(i)) return;
      taken.add(i);
      next.push(i);
    };
    for (const f of from) for (const include of f.includes) for (const i of includedFiles(f.path, include, candidates, files)) {
      take(i);
      // `static Platform::String^ const Name;` in Names.h is often defined in Names.cpp beside it.
      const stem = files[i].slice(0, files[i].lastIndexOf('.')).toLowerCase();
      if (/\.(h|hpp)$/i.test(files[i])) for (const ext of SOURCE_EXTENSIONS) for (const j of candidates.get(`${stem.slice(stem.lastIndexOf('/') + 1)}${ext}`) ?? []) if (files[j].toLowerCase() === stem + ext) take(j);
    }
    from = [];
    readFiles(files, always, next, marker, maxBytes, (r: FileRead) => {
      if (!('bytes' in r)) return;
      const decoded = decodeText(r.bytes);
      if (!decoded.ok) return;
      engine.setFile(files[r.index], decoded.text, kinds[r.index] as 'cppcx');
      read++;
      const includes = engine.facts(files[r.index])?.includes;
      if (includes?.length) from.push({ path: files[r.index], includes });
    });
  }
  return read;
}

/**
 * After a C++ file changed in the editor: read, for their constants, the skipped C++ files that the
 * workspace's C++ files now include (an `#include "Names.h"` just typed). Returns how many were read.
 */
export function followIncludes(engine: Engine, maxBytes: number, marker: string): number {
  const unread = engine.unreadFiles().filter((f) => isCpp(f.kind));
  if (!unread.length) return 0;
  const files = unread.map((f) => f.path);
  return readIncludedHeaders(engine, files, unread.map((f) => f.kind), files.map((_, i) => i), maxBytes, marker);
}
