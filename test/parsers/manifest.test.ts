// Tests for the manifest facts extractor (src/core/parsers/manifest.ts, xmlScan.ts) on realistic
// manifests: the official BackgroundTask sample (§7), Windows 8 / 8.1 / Phone 8.1 (§3.2) and the
// Windows App SDK COM task model (§5); exact spans, CRLF/BOM/non-ASCII, malformed XML and junk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractManifest } from '../../src/core/parsers/manifest';
import { extractFacts } from '../../src/core/parsers/extract';
import { decodeEntities, scanStartTag } from '../../src/core/parsers/xmlScan';
import { APPSDK_ENTRY_POINT, NS } from '../../src/core/model/catalog';
import { LineIndex } from '../../src/core/text/lineIndex';
import type { ManifestFacts, Span } from '../../src/core/facts/types';

const FIXTURES = path.join(process.env.BGTASK_REPO!, 'test/parsers/fixtures/manifest');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const manifestOf = (text: string): ManifestFacts => {
  const facts = extractManifest('/w/Package.appxmanifest', text);
  assert.equal(facts.kind, 'manifest');
  assert.ok(facts.manifest, 'manifest facts present');
  return facts.manifest;
};
const at = (text: string, span: Span | undefined) => (span ? text.slice(span.start, span.end) : undefined);
const COM = 'http://schemas.microsoft.com/appx/manifest/com/windows10';

/** Every span and offset anywhere in the facts lies inside the text. */
function assertSpansInside(value: unknown, text: string, where = 'manifest'): void {
  if (!value || typeof value !== 'object') return;
  const o = value as Record<string, unknown>;
  if (typeof o.start === 'number' && typeof o.end === 'number') {
    assert.ok(0 <= o.start && o.start <= o.end && o.end <= text.length, `${where}: span ${o.start}-${o.end} outside 0-${text.length}`);
  }
  for (const key of ['offset', 'insertOffset', 'lineStart']) {
    if (typeof o[key] === 'number') assert.ok((o[key] as number) >= 0 && (o[key] as number) <= text.length, `${where}.${key} outside the text`);
  }
  for (const [k, v] of Object.entries(o)) assertSpansInside(v, text, `${where}.${k}`);
}

/** 1-based line/col of a span start, as an editor shows it. */
function lineCol(text: string, span: Span): string {
  const p = new LineIndex(text).positionAt(span.start);
  return `${p.line + 1}:${p.character + 1}`;
}
function lineColOf(text: string, offset: number): string {
  return lineCol(text, { start: offset, end: offset });
}

test('§7 sample manifest: two background task extensions with their Task types and exact spans', () => {
  const text = read('sample-win10.appxmanifest');
  const m = manifestOf(text);
  assert.equal(m.syntaxError, undefined);
  assert.equal(m.profile, 'win10');
  assert.deepEqual(m.namespaces, { [NS.foundation10]: '', [NS.phone2014]: 'mp', [NS.uap10]: 'uap' });
  assert.deepEqual(m.ignorableNamespaces?.value, ['uap', 'mp']);
  assert.equal(at(text, m.ignorableNamespaces?.span), 'uap mp');
  assert.ok(at(text, m.rootSpan)!.startsWith('<Package\n'));
  assert.ok(at(text, m.rootSpan)!.endsWith('</Package>'));

  assert.equal(m.applications.length, 1);
  const app = m.applications[0];
  assert.equal(app.id, 'App');
  assert.equal(app.entryPoint, 'BackgroundTask.App');
  assert.equal(app.startPage, undefined);
  assert.ok(at(text, app.span)!.startsWith('<Application Id="App"') && at(text, app.span)!.endsWith('</Application>'));
  assert.ok(text.slice(0, app.extensionsInsert!.offset).endsWith('<Extensions>'));
  assert.equal(app.extensionsInsert!.indent, ' '.repeat(12));

  assert.equal(m.extensions.length, 2);
  const [first, second] = m.extensions;
  assert.equal(first.category, 'windows.backgroundTasks');
  assert.equal(first.prefix, '');
  assert.equal(first.namespace, NS.foundation10);
  assert.deepEqual(first.entryPoint?.value, 'Tasks.SampleBackgroundTask');
  assert.equal(at(text, first.entryPoint?.span), 'Tasks.SampleBackgroundTask');
  assert.ok(at(text, first.span)!.startsWith('<Extension Category="windows.backgroundTasks" EntryPoint="Tasks.SampleBackgroundTask">'));
  assert.ok(at(text, first.span)!.endsWith('</Extension>'));
  assert.equal(at(text, first.startTagSpan), '<Extension Category="windows.backgroundTasks" EntryPoint="Tasks.SampleBackgroundTask">');
  assert.deepEqual(first.tasks.map((t) => t.type), ['systemEvent', 'timer']);
  assert.deepEqual(first.tasks.map((t) => at(text, t.typeSpan)), ['systemEvent', 'timer']);
  assert.deepEqual(first.tasks.map((t) => at(text, t.span)), ['<Task Type="systemEvent" />', '<Task Type="timer" />']);
  assert.ok(first.tasks.every((t) => t.prefix === '' && t.namespace === NS.foundation10));
  assert.equal(first.indent, ' '.repeat(12));
  assert.equal(text.slice(first.lineStart, first.span.start), ' '.repeat(12));
  assert.ok(text.slice(0, first.backgroundTasks!.insertOffset).endsWith('<BackgroundTasks>'));
  assert.equal(first.backgroundTasks!.indent, ' '.repeat(16));
  assert.equal(first.backgroundTasks!.serverName, undefined);
  assert.equal(first.executable, undefined);
  assert.deepEqual(first.comClassIds, []);

  assert.equal(second.entryPoint?.value, 'Tasks.ServicingComplete');
  assert.deepEqual(second.tasks.map((t) => t.type), ['systemEvent']);
  assert.equal(at(text, second.tasks[0].span), '<Task Type="systemEvent"/>');

  assert.equal(at(text, m.lockScreen?.span), '<uap:LockScreen Notification="badgeAndTileText" BadgeLogo="Assets\\smalltile-sdk.png" />');
  assert.equal(m.lockScreen?.notification, 'badgeAndTileText');
  assert.equal(m.lockScreen?.badgeLogo, 'Assets\\smalltile-sdk.png');
  assert.ok(text.slice(0, m.lockScreenInsert!.offset).endsWith('BackgroundColor="#00b2f0">'));
  assert.equal(m.lockScreenInsert!.indent, ' '.repeat(14));
  assert.deepEqual(m.capabilities, ['internetClient']);
  assertSpansInside(m, text);
});

test('inserting at extensionsInsert / backgroundTasks.insertOffset with the given indent gives well-formed, aligned XML', () => {
  const text = read('sample-win10.appxmanifest');
  const m = manifestOf(text);
  const ins = m.applications[0].extensionsInsert!;
  const withExt = text.slice(0, ins.offset) + `\n${ins.indent}<Extension Category="windows.backgroundTasks" EntryPoint="Tasks.New" />` + text.slice(ins.offset);
  const m2 = manifestOf(withExt);
  assert.equal(m2.syntaxError, undefined);
  assert.deepEqual(m2.extensions.map((x) => x.entryPoint?.value), ['Tasks.New', 'Tasks.SampleBackgroundTask', 'Tasks.ServicingComplete']);
  assert.equal(m2.extensions[0].indent, m2.extensions[1].indent);

  const b = m.extensions[1].backgroundTasks!;
  const withTask = text.slice(0, b.insertOffset) + `\n${b.indent}<Task Type="timer" />` + text.slice(b.insertOffset);
  const m3 = manifestOf(withTask);
  assert.deepEqual(m3.extensions[1].tasks.map((t) => t.type), ['timer', 'systemEvent']);
});

test('CRLF line endings, a BOM and non-ASCII text before the elements keep every span exact', () => {
  const lf = read('sample-win10.appxmanifest');
  const variants = {
    crlf: lf.replace(/\n/g, '\r\n'),
    bom: '\uFEFF' + lf,
    nonAscii: lf.replace('<DisplayName>Background Tasks C# Sample</DisplayName>', '<DisplayName>Tâches en arrière-plan 🚀 背景任务</DisplayName>'),
    all: '\uFEFF' + lf.replace('Background Tasks C# Sample', 'Ünïcödé 🚀🚀').replace(/\n/g, '\r\n'),
  };
  for (const [name, text] of Object.entries(variants)) {
    const m = manifestOf(text);
    assert.equal(m.syntaxError, undefined, name);
    assert.deepEqual(m.extensions.map((x) => at(text, x.entryPoint?.span)), ['Tasks.SampleBackgroundTask', 'Tasks.ServicingComplete'], name);
    assert.deepEqual(m.extensions.flatMap((x) => x.tasks.map((t) => at(text, t.typeSpan))), ['systemEvent', 'timer', 'systemEvent'], name);
    assert.ok(at(text, m.extensions[0].span)!.endsWith('</Extension>'), name);
    assert.equal(at(text, m.ignorableNamespaces?.span), 'uap mp', name);
    assert.equal(at(text, m.lockScreen?.span)?.slice(0, 16), '<uap:LockScreen ', name);
    assert.equal(m.extensions[0].indent, ' '.repeat(12), name);
    assert.equal(text[m.extensions[0].lineStart - 1], '\n', name);
    assertSpansInside(m, text, name);
  }
});

test('§3.2 Windows 8 manifest (2010 namespace only): profile win8, LockScreen, Executable', () => {
  const text = read('win8.appxmanifest');
  const m = manifestOf(text);
  assert.equal(m.syntaxError, undefined);
  assert.equal(m.profile, 'win8');
  assert.deepEqual(m.namespaces, { [NS.appx2010]: '' });
  assert.equal(m.ignorableNamespaces, undefined);
  assert.deepEqual(m.extensions.map((x) => x.entryPoint?.value), ['Tasks.PushTask', 'Tasks.ChannelTask']);
  assert.deepEqual(m.extensions[0].tasks.map((t) => [t.type, t.namespace]), [['pushNotification', NS.appx2010], ['timer', NS.appx2010]]);
  assert.equal(m.extensions[1].executable?.value, 'Win8Tasks.exe');
  assert.equal(at(text, m.extensions[1].executable?.span), 'Win8Tasks.exe');
  assert.equal(m.lockScreen?.notification, 'badge');
  assert.equal(m.lockScreen?.badgeLogo, 'Assets\\Badge.png');
  assert.equal(at(text, m.lockScreen?.span), '<LockScreen Notification="badge" BadgeLogo="Assets\\Badge.png" />');
  assert.deepEqual(m.capabilities, ['internetClient', 'location']);
  assert.equal(m.extensions[0].indent, ' '.repeat(8));
  assert.equal(m.extensions[0].backgroundTasks!.indent, ' '.repeat(12));
  assertSpansInside(m, text);
});

test('§3.2 Windows 8.1 manifest (2010 + m2): profile win81, m2:Task location, tab indentation, no LockScreen', () => {
  const text = read('win81.appxmanifest');
  const m = manifestOf(text);
  assert.equal(m.profile, 'win81');
  assert.deepEqual(m.namespaces, { [NS.appx2010]: '', [NS.appx2013]: 'm2' });
  const tasks = m.extensions[0].tasks;
  assert.deepEqual(tasks.map((t) => [t.type, t.prefix, t.namespace]), [['systemEvent', '', NS.appx2010], ['location', 'm2', NS.appx2013]]);
  assert.equal(at(text, tasks[1].span), '<m2:Task Type="location" />');
  assert.equal(at(text, tasks[1].typeSpan), 'location');
  assert.equal(m.lockScreen, undefined);
  // The LockScreen fix goes inside m2:VisualElements, indented like its children.
  assert.ok(text.slice(0, m.lockScreenInsert!.offset).endsWith('BackgroundColor="#464646">'));
  assert.equal(m.lockScreenInsert!.indent, '\t\t\t\t');
  assert.equal(m.extensions[0].indent, '\t\t\t\t');
  assert.equal(m.extensions[0].backgroundTasks!.indent, '\t\t\t\t\t\t');
  assert.equal(m.applications[0].extensionsInsert!.indent, '\t\t\t\t');
  assertSpansInside(m, text);
});

test('§3.2 Phone 8.1 manifest fragment (m3): profile phone81 and m3:Task rfcommConnection', () => {
  const text = read('phone81.appxmanifest');
  const m = manifestOf(text);
  assert.equal(m.profile, 'phone81');
  const [task] = m.extensions[0].tasks;
  assert.deepEqual([task.type, task.prefix, task.namespace], ['rfcommConnection', 'm3', NS.appx2014]);
  assert.equal(at(text, task.typeSpan), 'rfcommConnection');
  assert.deepEqual(m.capabilities, ['bluetooth.rfcomm']);
  assertSpansInside(m, text);
});

test('§5 Windows App SDK manifest: UniversalBGTask entry point, com:Class id, activatable class, runFullTrust → appsdk', () => {
  const text = read('appsdk.appxmanifest');
  const m = manifestOf(text);
  assert.equal(m.syntaxError, undefined);
  assert.equal(m.profile, 'appsdk');
  assert.equal(m.namespaces[COM], 'com');
  assert.deepEqual(m.ignorableNamespaces?.value, ['uap', 'rescap', 'com']);
  assert.deepEqual(m.extensions.map((x) => [x.prefix, x.category]), [
    ['', 'windows.backgroundTasks'],
    ['com', 'windows.comServer'],
    ['', 'windows.activatableClass.inProcessServer'],
  ]);
  const [bg, com, inproc] = m.extensions;
  assert.equal(bg.entryPoint?.value, APPSDK_ENTRY_POINT);
  assert.deepEqual(bg.tasks.map((t) => t.type), ['general']);
  assert.equal(com.namespace, COM);
  assert.deepEqual(com.comClassIds.map((c) => c.value), ['d8f3a1c2-5b6e-4f70-9a81-2c3d4e5f6a7b']);
  assert.equal(at(text, com.comClassIds[0].span), 'd8f3a1c2-5b6e-4f70-9a81-2c3d4e5f6a7b');
  assert.deepEqual(com.tasks, []);
  assert.equal(com.backgroundTasks, undefined);
  assert.deepEqual(inproc.activatableClassIds.map((c) => c.value), [APPSDK_ENTRY_POINT]);
  assert.equal(at(text, inproc.activatableClassIds[0].span), APPSDK_ENTRY_POINT);
  assert.deepEqual(inproc.comClassIds, []);
  // The package-level Extensions are not an Application's.
  assert.equal(m.applications.length, 1);
  assert.ok(m.applications[0].span.end < inproc.span.start);
  assert.deepEqual(m.capabilities, ['runFullTrust']);
  assertSpansInside(m, text);
});

test('§5 App SDK detection: com:Extension windows.comServer + runFullTrust alone is appsdk; the entry point alone too; neither is win10', () => {
  const text = read('appsdk.appxmanifest');
  const noEntryPoint = text.replace(`EntryPoint="${APPSDK_ENTRY_POINT}"`, 'EntryPoint="Tasks.Other"');
  assert.equal(manifestOf(noEntryPoint).profile, 'appsdk');
  const noFullTrust = text.replace('<rescap:Capability Name="runFullTrust" />', '');
  assert.equal(manifestOf(noFullTrust).profile, 'appsdk');
  assert.equal(manifestOf(noEntryPoint.replace('<rescap:Capability Name="runFullTrust" />', '')).profile, 'win10');
});

test('edge cases: commented-out Extension ignored, entities decoded with raw spans, single quotes, multi-line tags', () => {
  const text = read('edge-cases.appxmanifest');
  const m = manifestOf(text);
  assert.equal(m.syntaxError, undefined);
  assert.deepEqual(m.extensions.map((x) => x.entryPoint?.value ?? x.startPage?.value), ['Tasks.Servicing&Complete', 'js\\backgroundtask.js', 'Tasks.Nested']);
  assert.ok(!m.extensions.some((x) => x.entryPoint?.value === 'Tasks.CommentedOut'));
  const [first, uap, nested] = m.extensions;
  assert.equal(at(text, first.entryPoint?.span), 'Tasks.Servicing&amp;Complete');
  assert.equal(first.category, 'windows.backgroundTasks');
  assert.ok(at(text, first.startTagSpan)!.includes('\n'), 'multi-line start tag');
  assert.equal(first.resourceGroup?.value, 'Group1');
  assert.equal(at(text, first.resourceGroup?.span), 'Group1');
  // The Task inside a comment next to a real one is not read.
  assert.deepEqual(first.tasks.map((t) => t.type), ['systemEvent']);
  assert.equal(first.backgroundTasks?.serverName?.value, 'Server1');
  assert.equal(at(text, first.backgroundTasks?.serverName?.span), 'Server1');
  assert.equal(first.backgroundTasks?.supportsMultipleInstances?.value, 'true');
  assert.equal(at(text, first.backgroundTasks?.supportsMultipleInstances?.span), 'true');
  // IgnorableNamespaces with two spaces between the prefixes.
  assert.deepEqual(m.ignorableNamespaces?.value, ['uap', 'uap4']);
  assert.equal(at(text, m.ignorableNamespaces?.span), 'uap  uap4');

  assert.deepEqual([uap.prefix, uap.namespace], ['uap', NS.uap10]);
  assert.equal(at(text, uap.startPage?.span), 'js\\backgroundtask.js');
  assert.deepEqual(uap.tasks.map((t) => [t.type, t.prefix, t.namespace]), [
    ['chatMessageNotification', 'uap', NS.uap10],
    ['vpnClient', 'x', NS.uap10], // xmlns:x declared on the Task itself
  ]);
  // xmlns:t declared on the Extension resolves for its nested Task.
  assert.deepEqual(nested.tasks.map((t) => [t.type, t.prefix, t.namespace]), [['mediaProcessing', 't', NS.uap10]]);
  // Root-declared namespaces only.
  assert.equal(m.namespaces[NS.uap10], 'uap');
  assert.equal(Object.values(m.namespaces).includes('t'), false);

  assert.equal(m.applications[0].startPage, 'default.html');
  // Self-closing VisualElements: nowhere to put a LockScreen child.
  assert.equal(m.lockScreenInsert, undefined);
  assert.equal(m.applications[0].extensionsInsert?.indent, ' '.repeat(8));
  assertSpansInside(m, text);
});

test('an Application without <Extensions> has no extensionsInsert; a Package/Extensions Extension is still read', () => {
  const text = `<Package xmlns="${NS.foundation10}"><Applications><Application Id="A" /></Applications><Extensions><Extension Category="windows.backgroundTasks" EntryPoint="T.X"><BackgroundTasks><Task Type="timer"/></BackgroundTasks></Extension></Extensions></Package>`;
  const m = manifestOf(text);
  assert.equal(m.applications[0].id, 'A');
  assert.equal(m.applications[0].extensionsInsert, undefined);
  assert.deepEqual(m.extensions.map((x) => x.entryPoint?.value), ['T.X']);
  // Everything on one line: the Task indent falls back to the element's own plus a unit.
  assert.equal(m.extensions[0].backgroundTasks?.indent, '    ');
});

interface BadCase {
  name: string;
  text: string;
  /** 1-based line:col where the error must be reported. */
  expectAt: string;
  /** The text the error span must cover. */
  covers: string;
  message: RegExp;
  /** Extension entry points that must still be read. */
  entryPoints: string[];
}

function badCases(): BadCase[] {
  const base = read('sample-win10.appxmanifest');
  const cases: BadCase[] = [];
  {
    const text = base.replace('<DisplayName>Background Tasks C# Sample</DisplayName>', '<DisplayName>Background Tasks & Sample</DisplayName>');
    cases.push({ name: 'bare &', text, expectAt: lineColOf(text, text.indexOf('& Sample')), covers: '&', message: /'&' is not expected/, entryPoints: ['Tasks.SampleBackgroundTask', 'Tasks.ServicingComplete'] });
  }
  {
    const text = base.replace('EntryPoint="Tasks.ServicingComplete"', 'EntryPoint="Tasks.ServicingComplete" EntryPoint="Tasks.Other"');
    cases.push({ name: 'duplicate attribute', text, expectAt: lineColOf(text, text.indexOf('EntryPoint="Tasks.Other"')), covers: 'EntryPoint', message: /'EntryPoint' is repeated/, entryPoints: ['Tasks.SampleBackgroundTask', 'Tasks.ServicingComplete'] });
  }
  {
    const text = base.replace('</BackgroundTasks>', '</BackgroundTask>');
    cases.push({ name: 'mismatched close tag', text, expectAt: lineColOf(text, text.indexOf('</BackgroundTask>')), covers: '</BackgroundTask>', message: /Expected closing tag 'BackgroundTasks'/, entryPoints: ['Tasks.SampleBackgroundTask', 'Tasks.ServicingComplete'] });
  }
  {
    const text = base.slice(0, base.indexOf('<Task Type="timer" />') + '<Task Type="timer" />'.length);
    const open = text.lastIndexOf('<BackgroundTasks>');
    cases.push({ name: 'truncated file', text, expectAt: lineColOf(text, open + 1), covers: 'BackgroundTasks', message: /closing tag 'BackgroundTasks'.*end of the file/, entryPoints: ['Tasks.SampleBackgroundTask'] });
  }
  {
    const text = base.slice(0, base.indexOf('<Task Type="timer"') + '<Task Type="ti'.length);
    cases.push({ name: 'truncated inside a start tag', text, expectAt: lineColOf(text, text.lastIndexOf('Type="ti')), covers: 'Type', message: /open quote/, entryPoints: ['Tasks.SampleBackgroundTask'] });
  }
  {
    const text = base.replace('EntryPoint="Tasks.ServicingComplete"', 'EntryPoint=Tasks.ServicingComplete');
    cases.push({ name: 'unquoted attribute', text, expectAt: lineColOf(text, text.indexOf('EntryPoint=Tasks.ServicingComplete')), covers: 'EntryPoint', message: /'EntryPoint' is without value/, entryPoints: ['Tasks.SampleBackgroundTask', 'Tasks.ServicingComplete'] });
  }
  return cases;
}

for (const c of badCases()) {
  for (const eol of ['LF', 'CRLF'] as const) {
    test(`malformed XML (${c.name}, ${eol}): syntaxError at the exact line/col, facts still read`, () => {
      const text = eol === 'CRLF' ? c.text.replace(/\n/g, '\r\n') : c.text;
      // Line and column are the same with CRLF: the \r ends the previous line.
      const expectAt = c.expectAt;
      let m: ManifestFacts | undefined;
      assert.doesNotThrow(() => (m = manifestOf(text)));
      const err = m!.syntaxError;
      assert.ok(err, 'syntaxError reported');
      assert.match(err.message, c.message);
      assert.equal(lineCol(text, err.span), expectAt);
      assert.equal(at(text, err.span), c.covers);
      assert.ok(err.span.end > err.span.start, 'covers at least one character');
      for (const ep of c.entryPoints) assert.ok(m!.extensions.some((x) => x.entryPoint?.value === ep), `still reads ${ep}`);
      assertSpansInside(m, text, c.name);
    });
  }
}

test('malformed: the unquoted attribute value is still read with its span', () => {
  const text = read('sample-win10.appxmanifest').replace('EntryPoint="Tasks.ServicingComplete"', 'EntryPoint=Tasks.ServicingComplete');
  const x = manifestOf(text).extensions[1];
  assert.equal(x.entryPoint?.value, 'Tasks.ServicingComplete');
  assert.equal(at(text, x.entryPoint?.span), 'Tasks.ServicingComplete');
  assert.deepEqual(x.tasks.map((t) => t.type), ['systemEvent']);
});

test('start-tag scanner: quotes, spaces around =, unquoted and bare attributes, entities and character references', () => {
  const text = `<a:b x = "1 &amp; 2" y='&#x41;&#66;&lt;' z=3 w\n  v="&unknown;"/>`;
  const tag = scanStartTag(text, 0)!;
  assert.equal(tag.name, 'a:b');
  assert.equal(at(text, tag.nameSpan), 'a:b');
  assert.equal(tag.selfClosing, true);
  assert.equal(tag.end, text.length);
  assert.deepEqual(tag.attrs.map((a) => [a.name, a.value, at(text, a.nameSpan), at(text, a.valueSpan)]), [
    ['x', '1 & 2', 'x', '1 &amp; 2'],
    ['y', 'AB<', 'y', '&#x41;&#66;&lt;'],
    ['z', '3', 'z', '3'],
    ['v', '&unknown;', 'v', '&unknown;'],
  ]);
  assert.equal(scanStartTag('x<a>', 0), undefined);
  assert.equal(scanStartTag('< a>', 0), undefined);
  assert.equal(decodeEntities('&quot;&apos;&gt;&#128640;'), '"\'>🚀');
});

test('binary junk, empty and odd input never throw and keep spans inside the text', () => {
  const inputs = [
    '',
    ' ',
    'hello world',
    '\x00\x01\x02PK\x03\x04\uFFFD\uFFFD<<<\x00>>>&&&<a <b c="d',
    '<',
    '<Package',
    '<Package xmlns="',
    '</Package>',
    '<!-- never closed',
    '<?xml version="1.0"?>',
    '<Package><Extensions><Extension Category="windows.backgroundTasks" EntryPoint="A"><BackgroundTasks><Task Type="timer"',
    '<Package><Extensions><Extension><BackgroundTasks/><Extension/></Extensions>',
    '<a>' + '<b>'.repeat(2000),
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 104729 + 13) % 256)).toString('utf8'),
  ];
  for (const text of inputs) {
    let m: ManifestFacts | undefined;
    assert.doesNotThrow(() => (m = manifestOf(text)), JSON.stringify(text.slice(0, 40)));
    if (text.trim()) assert.ok(m!.syntaxError, `syntax error for ${JSON.stringify(text.slice(0, 40))}`);
    if (m!.syntaxError && text.length) assert.ok(m!.syntaxError.span.end > m!.syntaxError.span.start);
    assertSpansInside(m, text);
  }
  // A truncated Task still yields the extension it belongs to.
  const m = manifestOf('<Package><Applications><Application><Extensions><Extension Category="windows.backgroundTasks" EntryPoint="A"><BackgroundTasks><Task Type="timer"');
  assert.deepEqual(m.extensions.map((x) => x.entryPoint?.value), ['A']);
});

test('every prefix of the sample manifest extracts without throwing, spans inside the text', () => {
  const text = read('sample-win10.appxmanifest');
  for (let n = 0; n <= text.length; n += 7) {
    const slice = text.slice(0, n);
    const m = manifestOf(slice);
    assertSpansInside(m, slice, `prefix ${n}`);
  }
});

test('extractFacts dispatches .appxmanifest and reads XML suppression comments', () => {
  const text = read('sample-win10.appxmanifest').replace('            <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.ServicingComplete">', '            <!-- bgtask-disable-next-line declared-task-never-registered -->\n            <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.ServicingComplete">');
  const facts = extractFacts('/w/Package.appxmanifest', 'manifest', text);
  assert.equal(facts.manifest?.extensions.length, 2);
  const x = facts.manifest!.extensions[1];
  assert.deepEqual(facts.suppressions, [{ line: new LineIndex(text).positionAt(x.span.start).line, rules: ['declared-task-never-registered'] }]);
});

test('the sample manifest extracts repeatedly (its time is printed; the speed target lives in npm run bench)', () => {
  const text = read('sample-win10.appxmanifest');
  for (let i = 0; i < 50; i++) extractManifest('/w/p', text);
  const runs = 500;
  const t = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) extractManifest('/w/p', text);
  const ms = Number(process.hrtime.bigint() - t) / 1e6 / runs;
  console.log(`manifest extraction: ${ms.toFixed(3)} ms per run (${text.length} chars)`);
  assert.deepEqual(extractManifest('/w/p', text).problems, []);
});
