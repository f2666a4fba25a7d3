// Tests for profile derivation (src/core/model/profiles.ts): manifest namespaces → win8 / win81 /
// phone81 / win10 (domain-facts §3.2 "Namespace pairs"), the Windows App SDK signals (§5 App SDK),
// and the TargetPlatformVersion fallback when no manifest namespace decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveProfile } from '../../src/core/model/profiles';
import { NS } from '../../src/core/model/catalog';

const ns = (...uris: string[]) => Object.fromEntries(uris.map((u, i) => [u, i === 0 ? '' : `p${i}`]));

test('§3.2 Windows 8: the 2010 namespace only', () => {
  assert.equal(deriveProfile(ns(NS.appx2010)), 'win8');
});

test('§3.2 Windows 8.1: 2010 + m2 (2013)', () => {
  assert.equal(deriveProfile(ns(NS.appx2010, NS.appx2013)), 'win81');
});

test('§3.2 Phone 8.1: 2010 + m2 + m3 (2014) + mp, or any of the 2014 namespaces', () => {
  assert.equal(deriveProfile(ns(NS.appx2010, NS.appx2013, NS.appx2014, NS.phone2014)), 'phone81');
  assert.equal(deriveProfile(ns(NS.appx2010, NS.appx2014)), 'phone81');
  assert.equal(deriveProfile(ns(NS.appx2010, NS.phone2014)), 'phone81');
});

test('§3.2 Windows 10: foundation/windows10 wins over the mp phone namespace every UWP manifest declares', () => {
  assert.equal(deriveProfile(ns(NS.foundation10, NS.phone2014, NS.uap10)), 'win10');
  assert.equal(deriveProfile(ns(NS.foundation10)), 'win10');
});

test('§5 App SDK: foundation/windows10 plus the UniversalBGTask entry point or a full-trust COM server', () => {
  assert.equal(deriveProfile(ns(NS.foundation10), { hasAppSdkEntryPoint: true }), 'appsdk');
  assert.equal(deriveProfile(ns(NS.foundation10), { hasComServerWithFullTrust: true }), 'appsdk');
  assert.equal(deriveProfile(ns(NS.foundation10), { hasAppSdkEntryPoint: false, hasComServerWithFullTrust: false }), 'win10');
  // The App SDK signals do not turn an 8.x manifest into appsdk.
  assert.equal(deriveProfile(ns(NS.appx2010), { hasAppSdkEntryPoint: true }), 'win8');
});

test('manifest namespaces decide before TargetPlatformVersion', () => {
  assert.equal(deriveProfile(ns(NS.appx2010, NS.appx2013), { targetPlatformVersion: '10.0.22000.0' }), 'win81');
});

test('no manifest namespace: TargetPlatformVersion decides, else win10', () => {
  assert.equal(deriveProfile({}), 'win10');
  assert.equal(deriveProfile({}, { targetPlatformVersion: '8.1' }), 'win81');
  assert.equal(deriveProfile({}, { targetPlatformVersion: '8.0' }), 'win8');
  assert.equal(deriveProfile({}, { targetPlatformVersion: '10.0.19041.0' }), 'win10');
  assert.equal(deriveProfile({}, { targetPlatformVersion: '$(LatestTargetPlatformVersion)' }), 'win10');
  assert.equal(deriveProfile({ 'http://example.com/unknown': '' }), 'win10');
});
