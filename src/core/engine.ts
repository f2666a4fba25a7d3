// The analysis engine: a workspace index of per-file facts with incremental update, and the rule
// runner with severity overrides and suppressions. Used by the CLI, the language server and the task
// host; it knows nothing of how files are found or shown.
import type { FileFacts, FileKind, ProfileId, Span, TaskClassFact } from './facts/types';
import { emptyFacts } from './facts/types';
import { extractFacts, fileKindOf, grammarFor, isRelevant } from './parsers/extract';
import { grammar, loadGrammar } from './parsers/treeSitter';
import { LineIndex, type Position } from './text/lineIndex';
import { ALL_RULES } from './rules/registry';
import type { AppView, Finding, Rule, RuleContext, Severity, SeverityOrOff, WorkspaceView } from './rules/types';
import { buildApps, dirname } from './workspace/apps';

export interface EngineOptions {
  /** Forces the platform profile for every app (CLI --profile, setting bgtask.profile). */
  profile?: ProfileId;
  /** Severity per rule id, or 'off'. */
  rules?: Record<string, SeverityOrOff>;
  /** Root folder, for the app of loose files. */
  root?: string;
  /**
   * Settings of workspace folders (VS Code's per-resource settings): a file takes the profile and
   * rule severities of the innermost folder holding it, then the options above.
   */
  folders?: FolderOptions[];
}

export interface FolderOptions {
  /** Absolute path with forward slashes. */
  root: string;
  profile?: ProfileId;
  rules?: Record<string, SeverityOrOff>;
}

export interface LocatedFinding extends Finding {
  start: Position;
  end: Position;
}

interface FileEntry {
  facts: FileFacts;
  /** Kept only for files with facts: needed to turn offsets into positions and build fixes. */
  text?: string;
  lines?: LineIndex;
  /**
   * Fingerprint of the facts, to tell whether cross-file rules must re-run: '' for empty facts,
   * computed only when a later update needs to compare (a cold load never does).
   */
  signature?: string;
  /** Cached findings of file-scope rules, valid for the app profile they were computed with. */
  fileFindings?: Finding[];
  profile?: ProfileId;
}

const isEmpty = (f: FileFacts) =>
  !f.taskClasses.length && !f.classes.length && !f.registrations.length && !f.calls.length && !f.requestAccess.length &&
  !f.jsTasks.length && !f.manifest && !f.project && !f.suppressions.length && !f.problems.length && !f.onBackgroundActivated &&
  !Object.keys(f.constants).length && !f.applicationTriggerRequests.length && !f.allTasksFunctions?.length;

export class Engine {
  private readonly entries = new Map<string, FileEntry>();
  /** Files known to hold nothing for bgtask, by kind: most of a workspace, kept without a facts object each. */
  private readonly irrelevant = new Map<string, FileKind>();
  /** Paths of files whose facts are not empty: the only ones views and rules look at. */
  private readonly relevant = new Set<string>();
  private view?: WorkspaceView & { appsByPath: Map<string, AppView> };
  private workspaceFindings?: Finding[];
  private options: EngineOptions;
  readonly rules: readonly Rule[];

  constructor(options: EngineOptions = {}, rules: readonly Rule[] = ALL_RULES) {
    this.options = options;
    this.rules = rules;
  }

  setOptions(options: EngineOptions): void {
    this.options = options;
    this.invalidateAll();
  }

  getOptions(): EngineOptions {
    return this.options;
  }

  /** Loads the grammar a file needs; call before setFile for code files. */
  async prepare(filePath: string): Promise<void> {
    const kind = fileKindOf(filePath);
    const id = kind && grammarFor(kind, filePath);
    if (id) await loadGrammar(id);
  }

  /** Whether setFile can run synchronously for this file (its grammar is loaded). */
  isPrepared(filePath: string): boolean {
    const kind = fileKindOf(filePath);
    const id = kind && grammarFor(kind, filePath);
    return !id || !!grammar(id);
  }

  /** Add or replace a file. Returns true when its facts changed. The grammar must be loaded (prepare). */
  setFile(filePath: string, text: string, kind: FileKind | undefined = fileKindOf(filePath)): boolean {
    if (!kind) return false;
    let facts: FileFacts;
    // C++ files without the marker go to extractFacts too: it reads their constants only (a page's header).
    if (!isRelevant(kind, text) && kind !== 'cppcx' && kind !== 'cppwinrt') facts = emptyFacts(filePath, kind);
    else {
      try {
        facts = extractFacts(filePath, kind, text);
      } catch (error) {
        // An extractor bug must not take the engine down; report it on the file instead.
        facts = emptyFacts(filePath, kind);
        facts.problems.push({ message: `bgtask could not analyse this file: ${(error as Error).message}`, span: { start: 0, end: 0 } });
      }
    }
    return this.setFacts(filePath, facts, text);
  }

  async updateFile(filePath: string, text: string): Promise<boolean> {
    await this.prepare(filePath);
    return this.setFile(filePath, text);
  }

  /** Record a file that holds nothing for bgtask (the scan's byte prefilter said so). */
  setIrrelevant(filePath: string, kind: FileKind): void {
    if (this.entries.has(filePath)) this.setFacts(filePath, emptyFacts(filePath, kind));
    else this.irrelevant.set(filePath, kind);
  }

  /** Record facts for a file directly (files that could not be read get a problem and no text). */
  setFacts(filePath: string, facts: FileFacts, text?: string): boolean {
    this.irrelevant.delete(filePath);
    const empty = isEmpty(facts);
    const previous = this.entries.get(filePath);
    const signature = empty ? '' : previous ? JSON.stringify(facts) : undefined;
    const entry: FileEntry = { facts, signature, text: empty ? undefined : text };
    this.entries.set(filePath, entry);
    if (empty) this.relevant.delete(filePath);
    else this.relevant.add(filePath);
    const before = previous ? signatureOf(previous) : undefined;
    const changed = !previous || before !== signature;
    if (changed && (!empty || (previous && before !== ''))) this.invalidateWorkspace();
    else if (previous) entry.fileFindings = previous.fileFindings;
    return changed;
  }

  removeFile(filePath: string): void {
    this.irrelevant.delete(filePath);
    const previous = this.entries.get(filePath);
    if (!previous) return;
    this.entries.delete(filePath);
    if (this.relevant.delete(filePath)) this.invalidateWorkspace();
  }

  has(filePath: string): boolean {
    return this.entries.has(filePath) || this.irrelevant.has(filePath);
  }

  facts(filePath: string): FileFacts | undefined {
    const kind = this.irrelevant.get(filePath);
    return this.entries.get(filePath)?.facts ?? (kind ? emptyFacts(filePath, kind) : undefined);
  }

  /** Files the scan's byte prefilter skipped (known, never read), with their kinds. */
  unreadFiles(): Array<{ path: string; kind: FileKind }> {
    return [...this.irrelevant].map(([path, kind]) => ({ path, kind }));
  }

  textOf(filePath: string): string | undefined {
    return this.entries.get(filePath)?.text;
  }

  get fileCount(): number {
    return this.entries.size + this.irrelevant.size;
  }

  relevantFiles(): FileFacts[] {
    return [...this.relevant].sort().map((p) => this.entries.get(p)!.facts);
  }

  workspace(): WorkspaceView {
    return this.ensureView();
  }

  private invalidateWorkspace(): void {
    this.view = undefined;
    this.workspaceFindings = undefined;
  }

  private invalidateAll(): void {
    this.view = undefined;
    this.workspaceFindings = undefined;
    for (const e of this.entries.values()) e.fileFindings = undefined;
  }

  private ensureView(): WorkspaceView & { appsByPath: Map<string, AppView> } {
    if (this.view) return this.view;
    const files = this.relevantFiles();
    const root = this.options.root ?? commonRoot(files.map((f) => f.path));
    const apps = buildApps(files, this.options.profile, root);
    for (const app of apps) {
      const folderProfile = this.folderOf(app.manifest?.path ?? app.root)?.profile;
      if (folderProfile) app.profile = folderProfile;
    }
    const appsByPath = new Map<string, AppView>();
    for (const app of apps) {
      if (app.manifest && !appsByPath.has(app.manifest.path)) appsByPath.set(app.manifest.path, app);
      for (const f of [...app.files, ...app.projects]) if (!appsByPath.has(f.path)) appsByPath.set(f.path, app);
    }
    const taskClassesByFullName = new Map<string, Array<{ file: FileFacts; cls: TaskClassFact }>>();
    for (const file of files) for (const cls of file.taskClasses) {
      const list = taskClassesByFullName.get(cls.fullName) ?? [];
      list.push({ file, cls });
      taskClassesByFullName.set(cls.fullName, list);
    }
    const entries = this.entries;
    this.view = {
      files,
      apps,
      appsByPath,
      taskClassesByFullName,
      appOf: (p: string) => appsByPath.get(p),
      profileOverride: this.options.profile,
      textOf: (p: string) => entries.get(p)?.text,
    };
    // A file's profile may have moved with the apps: its cached file findings are then stale.
    for (const f of files) {
      const e = entries.get(f.path)!;
      const profile = appsByPath.get(f.path)?.profile ?? this.options.profile ?? 'win10';
      if (e.profile !== profile) e.fileFindings = undefined;
      e.profile = profile;
    }
    return this.view;
  }

  /** The innermost folder with settings that holds `p`. */
  private folderOf(p: string): FolderOptions | undefined {
    let best: FolderOptions | undefined;
    for (const f of this.options.folders ?? []) {
      if ((p === f.root || p.startsWith(f.root.endsWith('/') ? f.root : `${f.root}/`)) && (!best || f.root.length > best.root.length)) best = f;
    }
    return best;
  }

  /** The severity the user set for a rule where `p` lives, if any. */
  private overrideAt(ruleId: string, p: string): SeverityOrOff | undefined {
    return this.folderOf(p)?.rules?.[ruleId] ?? this.options.rules?.[ruleId];
  }

  /** A rule is skipped only when it is off everywhere. */
  private offEverywhere(rule: Rule): boolean {
    const global = this.options.rules?.[rule.id] ?? rule.severity;
    const folders = (this.options.folders ?? []).map((f) => f.rules?.[rule.id]).filter((s): s is SeverityOrOff => !!s);
    return global === 'off' && folders.every((s) => s === 'off');
  }

  private runRules(scope: 'file' | 'workspace', file?: FileFacts): Finding[] {
    const view = this.ensureView();
    const findings: Finding[] = [];
    for (const rule of this.rules) {
      if (rule.scope !== scope) continue;
      if (this.offEverywhere(rule)) continue;
      const ctx: RuleContext = {
        workspace: view,
        report: (f) => findings.push({ ...f, ruleId: rule.id, severity: f.severity ?? rule.severity }),
      };
      try {
        if (rule.scope === 'file' && file) rule.checkFile(file, ctx);
        else if (rule.scope === 'workspace') rule.checkWorkspace(ctx);
      } catch (error) {
        const at = file?.path ?? view.files[0]?.path ?? '';
        findings.push({ ruleId: rule.id, severity: 'info', path: at, span: { start: 0, end: 0 }, message: `rule ${rule.id} failed: ${(error as Error).message}` });
      }
    }
    // A user's severity replaces the rule's (including a finding's own severity); 'off' drops the finding.
    const out: Finding[] = [];
    for (const f of findings) {
      const override = this.overrideAt(f.ruleId, f.path);
      if (override === 'off') continue;
      out.push(override ? { ...f, severity: override as Severity } : f);
    }
    return out;
  }

  /** All findings of the workspace, suppressions applied, sorted by file and position. */
  check(): LocatedFinding[] {
    const out: Finding[] = [];
    for (const p of this.relevant) out.push(...this.fileFindings(p));
    out.push(...this.ensureWorkspaceFindings());
    return this.locate(dedupe(out));
  }

  /** Findings of one file (file-scope rules re-run only for it; cross-file results are cached). */
  checkFile(filePath: string): LocatedFinding[] {
    const own = this.relevant.has(filePath) ? this.fileFindings(filePath) : [];
    const cross = this.ensureWorkspaceFindings().filter((f) => f.path === filePath);
    return this.locate(dedupe([...own, ...cross]));
  }

  private fileFindings(filePath: string): Finding[] {
    const entry = this.entries.get(filePath)!;
    this.ensureView();
    if (!entry.fileFindings) {
      const problems: Finding[] = entry.facts.problems.map((p) => ({ ruleId: 'file-unreadable', severity: 'warning', path: filePath, span: p.span, message: p.message }));
      entry.fileFindings = [...problems, ...this.runRules('file', entry.facts)];
    }
    return entry.fileFindings;
  }

  private ensureWorkspaceFindings(): Finding[] {
    this.workspaceFindings ??= this.runRules('workspace');
    return this.workspaceFindings;
  }

  private locate(findings: Finding[]): LocatedFinding[] {
    const located: LocatedFinding[] = [];
    for (const f of findings) {
      const entry = this.entries.get(f.path);
      if (!entry) continue;
      if (entry.text !== undefined && !entry.lines) entry.lines = new LineIndex(entry.text);
      const lines = entry.lines;
      const span = clampSpan(f.span, entry.text?.length ?? 0);
      const start = lines ? lines.positionAt(span.start) : { line: 0, character: 0 };
      const end = lines ? lines.positionAt(span.end) : start;
      if (isSuppressed(entry.facts, f.ruleId, start.line)) continue;
      located.push({ ...f, span, start, end });
    }
    return located.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId)));
  }

  /** Offset ↔ position conversion for a known file. */
  lineIndex(filePath: string): LineIndex | undefined {
    const entry = this.entries.get(filePath);
    if (!entry?.text) return undefined;
    entry.lines ??= new LineIndex(entry.text);
    return entry.lines;
  }
}

function signatureOf(entry: FileEntry): string {
  entry.signature ??= JSON.stringify(entry.facts);
  return entry.signature;
}

function isSuppressed(facts: FileFacts, ruleId: string, line: number): boolean {
  return facts.suppressions.some((s) => s.line === line && (s.rules.length === 0 || s.rules.includes(ruleId)));
}

function clampSpan(span: Span, length: number): Span {
  const start = Math.max(0, Math.min(span.start, length));
  return { start, end: Math.max(start, Math.min(span.end, length)) };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.path}\0${f.span.start}\0${f.span.end}\0${f.ruleId}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function commonRoot(paths: readonly string[]): string {
  if (!paths.length) return '/';
  let root = dirname(paths[0]);
  for (const p of paths) while (!(p + '/').startsWith(root === '/' ? '/' : root + '/')) root = dirname(root);
  return root;
}
