// ignorable-namespace-missing: a Windows 10 manifest uses an extension namespace (uap2.., desktop..,
// rescap, com, ...) whose prefix is not in the root's IgnorableNamespaces, so Windows versions that
// predate the namespace reject the manifest instead of skipping what they do not know.
import type { ManifestFacts } from '../../facts/types';
import { NS } from '../../model/catalog';
import type { Fix, FileRule } from '../types';

const MANIFEST_NAMESPACES = 'http://schemas.microsoft.com/appx/manifest/';
/** The namespaces every Windows 10 version understands. */
const BASE_NAMESPACES = new Set<string>([NS.foundation10, NS.uap10]);

export const rule: FileRule = {
  id: 'ignorable-namespace-missing',
  severity: 'warning',
  title: 'An extension namespace prefix is used but missing from IgnorableNamespaces.',
  source: '§3.2, §3.3 (uap4:SupportsMultipleInstances needs 15063+)',
  reads: ['manifest'],
  scope: 'file',
  checkFile(file, ctx) {
    const manifest = file.manifest;
    if (!manifest || manifest.syntaxError || manifest.namespaces[NS.foundation10] === undefined) return;
    const ignorable = new Set(manifest.ignorableNamespaces?.value ?? []);
    for (const [prefix, use] of Object.entries(manifest.prefixUses)) {
      if (ignorable.has(prefix) || !use.namespace.startsWith(MANIFEST_NAMESPACES) || BASE_NAMESPACES.has(use.namespace)) continue;
      ctx.report({
        path: file.path,
        span: use.span,
        message: `The '${prefix}' namespace (${use.namespace}) is not in IgnorableNamespaces: Windows versions that predate it reject the manifest instead of ignoring '${prefix}:' elements and attributes. Add '${prefix}' to IgnorableNamespaces.`,
        fix: addPrefixFix(manifest, prefix, file.path),
      });
    }
  },
};

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
