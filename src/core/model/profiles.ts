// Derives the platform profile (win8, win81, phone81, win10, appsdk) from the namespaces a manifest
// declares (domain-facts §3.2 "Namespace pairs", RULES.md header) and, for the Windows App SDK COM
// task model, from what the manifest declares (§5 "Windows App SDK").
import type { ProfileId } from '../facts/types';
import { NS } from './catalog';

export interface ProfileHints {
  /** The project's TargetPlatformVersion; used only when no manifest namespace decides. */
  targetPlatformVersion?: string;
  /** The manifest declares the UniversalBGTask entry point (catalog APPSDK_ENTRY_POINT). §5 App SDK */
  hasAppSdkEntryPoint?: boolean;
  /** The manifest has a com:Extension `windows.comServer` and the `runFullTrust` capability. §5 App SDK */
  hasComServerWithFullTrust?: boolean;
}

/**
 * `namespaces` maps namespace URI → prefix (ManifestFacts.namespaces). Windows 10 manifests also
 * declare the 2014 phone namespace (`mp`, §3.2), so foundation/windows10 is checked first.
 */
export function deriveProfile(namespaces: Record<string, string>, opts: ProfileHints = {}): ProfileId {
  const has = (uri: string) => Object.prototype.hasOwnProperty.call(namespaces, uri);
  if (has(NS.foundation10)) return opts.hasAppSdkEntryPoint || opts.hasComServerWithFullTrust ? 'appsdk' : 'win10';
  // §3.2: a Phone 8.1 manifest uses 2010 + m2 + m3 (2014) + mp (2014/phone).
  if (has(NS.appx2014) || has(NS.phone2014)) return 'phone81';
  // §3.2: a Windows Store 8.1 manifest uses 2010 + m2 (2013); Windows 8 uses 2010 only.
  if (has(NS.appx2010)) return has(NS.appx2013) ? 'win81' : 'win8';
  return fromTargetPlatformVersion(opts.targetPlatformVersion) ?? 'win10';
}

/** `10.0.19041.0` → win10, `8.1` → win81, `8.0` → win8; anything else: no opinion. */
function fromTargetPlatformVersion(version: string | undefined): ProfileId | undefined {
  const m = /^\s*(\d+)(?:\.(\d+))?/.exec(version ?? '');
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  if (major >= 10) return 'win10';
  if (major === 8) return minor >= 1 ? 'win81' : 'win8';
  return undefined;
}
