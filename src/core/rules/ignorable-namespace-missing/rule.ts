// ignorable-namespace-missing: a Windows 10 manifest uses an extension namespace whose prefix is not in
// IgnorableNamespaces while its lowest TargetDeviceFamily MinVersion predates that namespace, so those
// Windows versions reject the manifest. Only namespaces whose first build the facts give are checked.
import type { ManifestFacts } from '../../facts/types';
import { NS } from '../../model/catalog';
import type { Fix, FileRule } from '../types';

/**
 * Namespace → first Windows build that knows it. Only what domain-facts states: §3.3 gives
 * uap4:SupportsMultipleInstances as 15063+. No other introduction build is known, so other
 * prefixes (com, rescap, desktop, uap2.., …) are never reported.
 */
const INTRODUCED_IN: ReadonlyMap<string, number> = new Map([['http://schemas.microsoft.com/appx/manifest/uap/windows10/4', 15063]]);

export const rule: FileRule = {
  id: 'ignorable-namespace-missing',
  severity: 'warning',
  title: 'A namespace newer than the manifest\'s MinVersion is used but missing from IgnorableNamespaces.',
  source: '§3.3 (uap4:SupportsMultipleInstances needs 15063+)',
  reads: ['manifest'],
  scope: 'file',
  checkFile(file, ctx) {
    const manifest = file.manifest;
    if (!manifest || manifest.syntaxError || manifest.namespaces[NS.foundation10] === undefined) return;
    const minBuild = lowestMinBuild(manifest);
    if (minBuild === undefined) return;
    const ignorable = new Set(manifest.ignorableNamespaces?.value ?? []);
    for (const [prefix, use] of Object.entries(manifest.prefixUses)) {
      const introduced = INTRODUCED_IN.get(use.namespace);
      if (ignorable.has(prefix) || introduced === undefined || minBuild >= introduced) continue;
      ctx.report({
        path: file.path,
        span: use.span,
        message: `The '${prefix}' namespace (${use.namespace}) needs Windows build ${introduced}, but the manifest's MinVersion is build ${minBuild} and '${prefix}' is not in IgnorableNamespaces: those older builds reject the manifest instead of ignoring '${prefix}:' elements and attributes. Add '${prefix}' to IgnorableNamespaces.`,
        fix: addPrefixFix(manifest, prefix, file.path),
      });
    }
  },
};

/**
 * The build number (third part of `10.0.BUILD.0`) of the lowest TargetDeviceFamily MinVersion; undefined
 * when none is readable, or when one is `10.0.0.0`: that names no Windows build (Visual Studio's
 * templates write it and the project decides), so the manifest's real minimum is unknown here.
 */
function lowestMinBuild(manifest: ManifestFacts): number | undefined {
  let lowest: number | undefined;
  for (const family of manifest.targetDeviceFamilies ?? []) {
    const match = /^\s*10\.0\.(\d+)(?:\.\d+)?\s*$/.exec(family.minVersion ?? '');
    if (!match) continue;
    const build = Number(match[1]);
    if (build === 0) return undefined;
    if (lowest === undefined || build < lowest) lowest = build;
  }
  return lowest;
}

function addPrefixFix(manifest: ManifestFacts, prefix: string, path: string): Fix | undefined {
  const title = `Add '${prefix}' to IgnorableNamespaces`;
  const existing = manifest.ignorableNamespaces;
  if (existing) {
    const at = existing.span.end;
    return { title, edits: [{ path, span: { start: at, end: at }, newText: existing.value.length ? ` ${prefix}` : prefix }] };
  }
  if (manifest.rootAttributeInsert === undefined) return undefined;
  const at = manifest.rootAttributeInsert;
  return { title, edits: [{ path, span: { start: at, end: at }, newText: ` IgnorableNamespaces="${prefix}"` }] };
}
