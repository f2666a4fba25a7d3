// The server's workspace session: one engine over every workspace folder, fed by a scan on start,
// by open documents (their editor text wins) and by file watching for everything else; publishes
// diagnostics for exactly the files whose findings changed, and reports its state to the client.
import * as fs from 'node:fs';
import type { Connection, TextDocuments, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Engine, type LocatedFinding } from '../core/engine';
import type { ProfileId } from '../core/facts/types';
import { fileKindOf, RELEVANCE_MARKER } from '../core/parsers/extract';
import { PROFILES } from '../core/model/catalog';
import type { SeverityOrOff } from '../core/rules/types';
import { followIncludes } from '../core/workspace/includes';
import { decodeText, DEFAULT_MAX_FILE_BYTES, inSkippedFolder, loadWorkspace } from '../core/workspace/scan';
import { StatusNotification, type ServerStatus } from '../shared/protocol';
import { pathOfUri, toDiagnostic, uriOfPath } from './convert';

export interface Settings {
  profile: ProfileId | 'auto';
  rules: Record<string, SeverityOrOff>;
  exclude: string[];
}

export const DEFAULT_SETTINGS: Settings = { profile: 'auto', rules: {}, exclude: [] };

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);

/** Settings as the client sends them, checked: anything malformed falls back to the default. */
export function readSettings(raw: unknown): Settings {
  const s = (raw ?? {}) as Partial<Record<keyof Settings, unknown>>;
  const profile = typeof s.profile === 'string' && (PROFILES as readonly string[]).includes(s.profile) ? (s.profile as ProfileId) : 'auto';
  const rules: Record<string, SeverityOrOff> = {};
  if (s.rules && typeof s.rules === 'object') for (const [id, sev] of Object.entries(s.rules)) if (typeof sev === 'string' && SEVERITIES.has(sev)) rules[id] = sev as SeverityOrOff;
  const exclude = Array.isArray(s.exclude) ? s.exclude.filter((e): e is string => typeof e === 'string' && !!e.trim()) : [];
  return { profile, rules, exclude };
}

export class Session {
  readonly engine = new Engine();
  private roots: string[] = [];
  /** Settings per workspace folder (VS Code's per-resource settings), in the order of `roots`. */
  private settings: Settings[] = [];
  private published = new Map<string, string>();
  /** The #include lines last followed, by C++ file. */
  private readonly includesSeen = new Map<string, string>();
  private findings: LocatedFinding[] = [];
  private ready: Promise<void> = Promise.resolve();
  private state: ServerStatus['state'] = 'starting';
  private lastCheck?: string;
  private pendingPublish?: NodeJS.Immediate;
  /** Files the last scan read (not only those with background-task code). */
  private filesScanned = 0;
  /** The client re-asks for code lenses on workspace/codeLens/refresh (set from its capabilities). */
  canRefreshCodeLens = false;
  private lensKey = '';

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
  ) {}

  /** Resolves once the first workspace scan is done (requests wait for it). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  current(): readonly LocatedFinding[] {
    return this.findings;
  }

  start(roots: string[], settings: Settings[], progress?: WorkDoneProgressReporter): Promise<void> {
    this.roots = roots;
    this.settings = settings;
    this.ready = this.scan(progress);
    return this.ready;
  }

  private async scan(progress?: WorkDoneProgressReporter): Promise<void> {
    this.setState('scanning');
    progress?.begin('bgtask', 0, 'Scanning the workspace for background tasks…', false);
    const started = Date.now();
    try {
      this.engine.setOptions(this.engineOptions());
      let files = 0;
      for (const root of this.roots) {
        const result = await loadWorkspace(this.engine, [root], { exclude: this.settingsAt(root).exclude });
        files += result.files.length;
        for (const e of result.errors) this.connection.console.warn(`bgtask: ${e.path}: ${e.message}`);
      }
      this.filesScanned = files;
      // Open documents hold newer text than the disk.
      for (const doc of this.documents.all()) await this.updateFromDocument(doc, false);
      const apps = this.engine.workspace().apps.filter((a) => a.manifest).length;
      this.connection.console.info(
        this.roots.length
          ? `bgtask: read ${files} file${files === 1 ? '' : 's'} in ${this.roots.length} folder${this.roots.length === 1 ? '' : 's'} (${apps} app${apps === 1 ? '' : 's'} with a manifest) in ${Date.now() - started} ms`
          : 'bgtask: no workspace folder is open; checking open files only',
      );
    } catch (error) {
      this.connection.console.error(`bgtask: the workspace scan failed: ${(error as Error).stack ?? error}`);
    } finally {
      progress?.done();
    }
    this.publishNow();
    this.setState('ready');
  }

  async setSettings(settings: Settings[]): Promise<void> {
    const excludes = (list: Settings[]) => JSON.stringify(list.map((s) => s.exclude));
    const rescan = excludes(settings) !== excludes(this.settings);
    this.settings = settings;
    if (rescan) {
      for (const p of [...this.published.keys()]) this.connection.sendDiagnostics({ uri: uriOfPath(p), diagnostics: [] });
      this.published.clear();
      await this.start(this.roots, settings);
      return;
    }
    this.engine.setOptions(this.engineOptions());
    this.publishNow();
  }

  private engineOptions() {
    return {
      root: this.roots[0],
      folders: this.roots.map((root) => {
        const s = this.settingsAt(root);
        return { root, profile: s.profile === 'auto' ? undefined : s.profile, rules: s.rules };
      }),
    };
  }

  /** The settings of the innermost workspace folder holding `p`. */
  private settingsAt(p: string): Settings {
    let best = -1;
    this.roots.forEach((r, i) => {
      if ((p === r || p.startsWith(r.endsWith('/') ? r : `${r}/`)) && (best < 0 || r.length > this.roots[best].length)) best = i;
    });
    return this.settings[best] ?? this.settings[0] ?? DEFAULT_SETTINGS;
  }

  private excluded(p: string): boolean {
    const root = this.roots.filter((r) => p.startsWith(r.endsWith('/') ? r : `${r}/`)).sort((a, b) => b.length - a.length)[0];
    return this.settingsAt(p).exclude.some((e) => p.includes(e)) || (root !== undefined && inSkippedFolder(p, root));
  }

  /** An open document changed: re-extract it from the editor's text. */
  async updateFromDocument(doc: TextDocument, publish = true): Promise<void> {
    const p = pathOfUri(doc.uri);
    if (!p || !fileKindOf(p) || this.excluded(p)) return;
    await this.engine.prepare(p);
    this.engine.setFile(p, doc.getText());
    this.followIncludes(p);
    if (publish) this.schedulePublish();
  }

  /** A file changed on disk (or was closed): re-read it unless the editor holds it. */
  async updateFromDisk(uri: string, deleted: boolean): Promise<void> {
    const p = pathOfUri(uri);
    if (!p || !fileKindOf(p) || this.excluded(p) || !this.insideRoots(p)) return;
    if (this.documents.get(uri) && !deleted) return;
    if (deleted) {
      this.engine.removeFile(p);
    } else {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(p);
      } catch {
        this.engine.removeFile(p);
        this.schedulePublish();
        return;
      }
      const decoded = decodeText(bytes);
      if (!decoded.ok) return;
      await this.engine.prepare(p);
      this.engine.setFile(p, decoded.text);
      this.followIncludes(p);
    }
    this.schedulePublish();
  }

  /**
   * A C++ file that includes a header the scan skipped (no marker) gets that header's constants read
   * now, as a fresh scan would. Only when its #include lines changed: not on every keystroke.
   */
  private followIncludes(p: string): void {
    const kind = fileKindOf(p);
    if (kind !== 'cppcx' && kind !== 'cppwinrt') return;
    const includes = this.engine.facts(p)?.includes ?? [];
    const key = includes.join('\n');
    if (this.includesSeen.get(p) === key) return;
    this.includesSeen.set(p, key);
    if (includes.length) followIncludes(this.engine, DEFAULT_MAX_FILE_BYTES, RELEVANCE_MARKER);
  }

  private insideRoots(p: string): boolean {
    return this.roots.some((r) => p === r || p.startsWith(r.endsWith('/') ? r : r + '/'));
  }

  /** Coalesce a burst of changes into one publish, in the same turn of the event loop's check phase. */
  schedulePublish(): void {
    this.pendingPublish ??= setImmediate(() => {
      this.pendingPublish = undefined;
      this.publishNow();
    });
  }

  /** Publish diagnostics for every file whose findings differ from what the client has. */
  publishNow(): void {
    if (this.pendingPublish) {
      clearImmediate(this.pendingPublish);
      this.pendingPublish = undefined;
    }
    try {
      this.findings = this.engine.check();
    } catch (error) {
      this.connection.console.error(`bgtask: checking failed: ${(error as Error).stack ?? error}`);
      return;
    }
    const byPath = new Map<string, LocatedFinding[]>();
    for (const f of this.findings) {
      const list = byPath.get(f.path) ?? [];
      list.push(f);
      byPath.set(f.path, list);
    }
    for (const [p, list] of byPath) {
      const diagnostics = list.map((f) => toDiagnostic(f, this.engine));
      const key = JSON.stringify(diagnostics);
      if (this.published.get(p) === key) continue;
      this.published.set(p, key);
      void this.connection.sendDiagnostics({ uri: uriOfPath(p), diagnostics });
    }
    for (const p of [...this.published.keys()]) {
      if (byPath.has(p)) continue;
      this.published.delete(p);
      void this.connection.sendDiagnostics({ uri: uriOfPath(p), diagnostics: [] });
    }
    this.lastCheck = new Date().toISOString();
    this.sendStatus();
    this.refreshCodeLenses();
  }

  /** Lenses show the engine's cross-file view (declarations, registrations): ask the client to re-query when it changed. */
  private refreshCodeLenses(): void {
    if (!this.canRefreshCodeLens) return;
    const ws = this.engine.workspace();
    const key = JSON.stringify(ws.apps.map((a) => [a.manifest?.path, a.registrations.length, a.registrations.map((r) => r.registration.span.start), a.files.map((f) => f.taskClasses.length)]).concat(ws.files.map((f) => f.manifest?.extensions.length ?? -1)));
    if (key === this.lensKey) return;
    this.lensKey = key;
    void this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }

  private setState(state: ServerStatus['state']): void {
    this.state = state;
    this.sendStatus();
  }

  private sendStatus(): void {
    const profiles = [...new Set(this.engine.workspace().apps.filter((a) => a.manifest).map((a) => a.profile))];
    const forced = this.settings.some((s) => s.profile !== 'auto');
    const status: ServerStatus = {
      state: this.state,
      profile: profiles.length ? profiles.join(', ') : 'no manifest',
      profileForced: forced,
      lastCheck: this.lastCheck,
      files: new Set(this.findings.map((f) => f.path)).size,
      filesChecked: this.filesScanned,
      problems: this.findings.length,
    };
    void this.connection.sendNotification(StatusNotification.method, status);
  }
}
