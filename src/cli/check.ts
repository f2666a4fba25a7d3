// `bgtask check [paths...]`: runs every rule over the given files and folders and prints the
// findings. Exit 0: nothing over the bar; 1: an error, or more warnings than --max-warnings; 2: usage
// or I/O error (the message says which path and why; no output file is left half-written).
import * as fs from 'node:fs';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import * as v8 from 'node:v8';
import { Engine } from '../core/engine';
import type { ProfileId } from '../core/facts/types';
import { PROFILES } from '../core/model/catalog';
import { ALL_RULES } from '../core/rules/registry';
import type { SeverityOrOff } from '../core/rules/types';
import { loadWorkspace } from '../core/workspace/scan';
import { formatCompact, formatJson, formatSarif, formatText, summarize, summaryLine, type Format } from './format';
import { UsageError, type Io } from './io';

export interface CheckOptions {
  paths: string[];
  format: Format;
  output?: string;
  profile?: ProfileId;
  rules: Record<string, SeverityOrOff>;
  maxWarnings?: number;
  exclude: string[];
  maxFileBytes?: number;
}

export const CHECK_HELP = `Usage: bgtask check [paths...] [options]

Checks background task classes, registration code, manifests and project files.

Options:
  --format FORMAT           text (default: grouped by file, coloured on a terminal), compact (one
                            file:line:col: severity rule-id: message line each, for problem matchers),
                            json or sarif
  --output FILE             write the report to FILE instead of standard output
  --profile P               target platform for every app: ${PROFILES.join(', ')} (default: derived from each manifest)
  --rule ID=LEVEL           set a rule's severity: off, info, warning, error (repeatable)
  --max-warnings N          exit 1 when there are more than N warnings (default: no limit)
  --exclude TEXT            skip paths containing TEXT (repeatable)
  --max-file-size BYTES     skip files larger than this (default: 4194304)
  -h, --help                show this help

Exit status: 0 no errors (and warnings within --max-warnings), 1 findings over the bar, 2 usage or I/O error.`;

export function parseCheckArgs(args: string[]): CheckOptions {
  const options: CheckOptions = { paths: [], format: 'text', rules: {}, exclude: [] };
  const value = (i: number, flag: string) => {
    const v = args[i + 1];
    if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const take = () => {
      if (inline !== undefined) return inline;
      const v = value(i, flag);
      i++;
      return v;
    };
    switch (flag) {
      case '--format': {
        const f = take();
        if (f !== 'text' && f !== 'compact' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format must be text, compact, json or sarif, not '${f}'`);
        options.format = f;
        break;
      }
      case '--output':
      case '-o':
        options.output = take();
        break;
      case '--profile': {
        const p = take();
        if (!PROFILES.includes(p as ProfileId)) throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}, not '${p}'`);
        options.profile = p as ProfileId;
        break;
      }
      case '--rule': {
        const spec = take();
        const m = /^([a-z0-9-]+)=(off|info|warning|error)$/.exec(spec);
        if (!m) throw new UsageError(`--rule expects ID=off|info|warning|error, not '${spec}'`);
        if (!ALL_RULES.some((r) => r.id === m[1])) throw new UsageError(`--rule: unknown rule '${m[1]}' (see bgtask check --list-rules)`);
        options.rules[m[1]] = m[2] as SeverityOrOff;
        break;
      }
      case '--max-warnings': {
        const n = take();
        if (!/^\d+$/.test(n)) throw new UsageError(`--max-warnings expects a whole number, not '${n}'`);
        options.maxWarnings = Number(n);
        break;
      }
      case '--exclude':
        options.exclude.push(take());
        break;
      case '--max-file-size': {
        const n = take();
        if (!/^\d+$/.test(n)) throw new UsageError(`--max-file-size expects a number of bytes, not '${n}'`);
        options.maxFileBytes = Number(n);
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        options.paths.push(arg);
    }
  }
  if (!options.paths.length) options.paths.push('.');
  return options;
}

export async function runCheck(options: CheckOptions, io: Io): Promise<number> {
  const started = Date.now();
  // A one-shot check parses each file once: V8's baseline wasm compiler (Liftoff) gets there sooner
  // than waiting for optimised grammar code (measured: cold parse of 55 C# files 78 → 35 ms). Sharing
  // the parsing with a worker thread was measured too and lost (~305 → ~340 ms): its boot costs more.
  v8.setFlagsFromString('--liftoff-only');
  const engine = new Engine({ profile: options.profile, rules: options.rules });
  const scan = await loadWorkspace(engine, options.paths, { exclude: options.exclude, maxFileBytes: options.maxFileBytes });
  if (scan.errors.length) {
    for (const e of scan.errors) io.stderr(`bgtask: ${e.path}: ${e.message}\n`);
    return 2;
  }
  for (const s of scan.skipped) if (!scan.files.includes(s.path)) io.stderr(`bgtask: note: ${s.path}: ${s.message}\n`);

  const findings = engine.check();
  const root = checkedRoot(options.paths, io.cwd);
  const report = { root, findings, rules: engine.rules, filesChecked: scan.files.length, version: io.version, textOf: (p: string) => engine.textOf(p) };
  const toFile = !!options.output;
  const body =
    options.format === 'sarif' ? formatSarif(report)
    : options.format === 'json' ? formatJson(report)
    : options.format === 'compact' ? formatCompact(report, io.cwd)
    : formatText(report, io.cwd, { color: !toFile && io.color, columns: io.columns });

  if (options.output) {
    try {
      writeReport(path.resolve(io.cwd, options.output), body);
    } catch (error) {
      io.stderr(`bgtask: cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
      return 2;
    }
  } else io.stdout(body);

  const { errors, warnings } = summarize(findings);
  io.stderr(summaryLine(findings, scan.files.length, Date.now() - started, io.colorStderr) + '\n');
  if (errors > 0) return 1;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) return 1;
  return 0;
}

/**
 * Write the report whole or not at all: a regular file (through a symlink, which stays a symlink) by
 * an atomic rename beside its real path; a device or pipe (`/dev/stdout`, a FIFO) is written in place.
 */
function writeReport(target: string, body: string): void {
  const st = fs.statSync(target, { throwIfNoEntry: false });
  if (st && !st.isFile()) {
    if (st.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    fs.writeFileSync(target, body);
    return;
  }
  writeFileAtomic.sync(target, body);
}

/** The folder reported paths are relative to: the single folder checked, else the current folder. */
function checkedRoot(paths: string[], cwd: string): string {
  if (paths.length === 1) {
    const abs = path.resolve(cwd, paths[0]);
    try {
      if (fs.statSync(abs).isDirectory()) return abs.split(path.sep).join('/');
    } catch {
      // fall through to cwd
    }
  }
  return cwd.split(path.sep).join('/');
}
