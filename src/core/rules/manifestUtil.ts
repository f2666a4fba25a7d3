// Shared helpers of the manifest and project rules (RULES.md "Manifest" and "Projects"): the apps'
// manifests, the project that holds a file, task classes by entry point, and text helpers for
// attribute fixes. Pure functions over facts and file text.
import type { FileFacts, ManifestExtensionFact, ManifestFacts, Span } from '../facts/types';
import { dirname } from '../workspace/apps';
import { backgroundExtensions } from './codeUtil';
import type { AppView, WorkspaceView } from './types';

export interface AppManifest {
  app: AppView;
  file: FileFacts;
  manifest: ManifestFacts;
}

/** Every app with a well-formed manifest. */
export function* appManifests(ws: WorkspaceView): Generator<AppManifest> {
  for (const app of ws.apps) {
    const manifest = app.manifest?.manifest;
    if (app.manifest && manifest && !manifest.syntaxError) yield { app, file: app.manifest, manifest };
  }
}

/** The well-formed manifest of a manifest file, if it is one. */
export function wellFormedManifest(file: FileFacts): ManifestFacts | undefined {
  return file.manifest && !file.manifest.syntaxError ? file.manifest : undefined;
}

export { backgroundExtensions };

/** The project file nearest above a path (the project that builds it), if the workspace has one. */
export function projectHolding(ws: WorkspaceView, path: string): FileFacts | undefined {
  let best: FileFacts | undefined;
  for (const f of ws.files) {
    if (f.kind !== 'project') continue;
    const dir = dirname(f.path);
    if (path.startsWith(dir + '/') && (!best || dir.length > dirname(best.path).length)) best = f;
  }
  return best;
}

/** Whole `Name="value"` attribute with the whitespace before it, from the span of its value. */
export function attributeWithLeadingSpace(text: string | undefined, valueSpan: Span): Span | undefined {
  if (!text) return undefined;
  const before = text.slice(0, valueSpan.start);
  const m = /\s+[\w:.-]+\s*=\s*["']$/.exec(before);
  if (!m) return undefined;
  const quote = text[valueSpan.end];
  if (quote !== '"' && quote !== "'") return undefined;
  return { start: m.index, end: valueSpan.end + 1 };
}

/** The entry point an Extension declares (EntryPoint, or StartPage for JavaScript). */
export function declaredEntryPoint(x: ManifestExtensionFact): { value: string; span: Span } | undefined {
  return x.entryPoint ?? x.startPage;
}
