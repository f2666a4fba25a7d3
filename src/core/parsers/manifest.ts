// Manifest facts (Package.appxmanifest / AppxManifest.xml): namespaces, applications, every
// Extension in any namespace with its BackgroundTasks/Task declarations (§3.2–§3.5), App SDK COM and
// activatable classes (§5 App SDK), LockScreen (§3.4), capabilities, the profile and syntax errors.
import { emptyFacts, type FileFacts, type ManifestExtensionFact, type ManifestFacts, type ManifestTaskFact } from '../facts/types';
import { APPSDK_ENTRY_POINT } from '../model/catalog';
import { deriveProfile } from '../model/profiles';
import { attr, attrLocal, childInsert, childrenNamed, descendants, lineOf, parseXml, valueOf, type XmlDocument, type XmlElement } from './xmlScan';

export function extractManifest(path: string, text: string): FileFacts {
  const facts = emptyFacts(path, 'manifest');
  const doc = parseXml(text);
  const root = doc.root;

  const namespaces: Record<string, string> = {};
  const allNamespaces: Record<string, string> = {};
  for (const a of root?.attrs ?? []) {
    if (a.name !== 'xmlns' && !a.name.startsWith('xmlns:')) continue;
    if (!(a.value in namespaces)) namespaces[a.value] = a.name === 'xmlns' ? '' : a.name.slice(6);
  }
  Object.assign(allNamespaces, namespaces);
  for (const el of doc.elements) {
    if (el === root) continue;
    for (const a of el.attrs) {
      if (a.name !== 'xmlns' && !a.name.startsWith('xmlns:')) continue;
      if (!(a.value in allNamespaces)) allNamespaces[a.value] = a.name === 'xmlns' ? '' : a.name.slice(6);
    }
  }

  const ignorable = attr(root, 'IgnorableNamespaces');
  const extensions = doc.elements.filter((e) => e.local === 'Extension' && e.parent?.local === 'Extensions').map((e) => extensionFact(doc, e));

  const applications: ManifestFacts['applications'] = doc.elements
    .filter((e) => e.local === 'Application' && e.parent?.local === 'Applications')
    .map((app) => {
      const ext = childrenNamed(app, 'Extensions').find((x) => !x.selfClosing);
      return {
        id: attr(app, 'Id')?.value,
        startPage: attr(app, 'StartPage')?.value,
        entryPoint: attr(app, 'EntryPoint')?.value,
        span: app.span,
        // Only inside an existing <Extensions>: an Extension inserted anywhere else would not be valid.
        extensionsInsert: ext ? childInsert(doc, ext) : undefined,
      };
    });

  const prefixUses: ManifestFacts['prefixUses'] = {};
  for (const el of doc.elements) {
    if (el.prefix && !(el.prefix in prefixUses)) prefixUses[el.prefix] = { namespace: el.namespace, span: el.nameSpan };
    for (const a of el.attrs) {
      const colon = a.name.indexOf(':');
      if (colon <= 0 || a.name.startsWith('xmlns')) continue;
      const prefix = a.name.slice(0, colon);
      if (!(prefix in prefixUses)) prefixUses[prefix] = { namespace: el.scope[prefix] ?? '', span: a.nameSpan };
    }
  }

  const lock = doc.elements.find((e) => e.local === 'LockScreen');
  const visual = doc.elements.find((e) => e.local === 'VisualElements' && !e.selfClosing);

  const capabilities: string[] = [];
  for (const el of doc.elements) {
    if (!/Capability$/.test(el.local) || el.parent?.local !== 'Capabilities') continue;
    const name = attr(el, 'Name')?.value;
    if (name !== undefined && !capabilities.includes(name)) capabilities.push(name);
  }

  const hasAppSdkEntryPoint = extensions.some((x) => x.category === 'windows.backgroundTasks' && x.entryPoint?.value === APPSDK_ENTRY_POINT);
  const hasComServer = extensions.some((x) => x.category === 'windows.comServer');
  const manifest: ManifestFacts = {
    namespaces,
    ignorableNamespaces: ignorable ? { value: ignorable.value.split(/\s+/).filter(Boolean), span: ignorable.valueSpan } : undefined,
    rootSpan: root?.span ?? { start: 0, end: text.length },
    rootAttributeInsert: root?.nameSpan.end,
    prefixUses,
    profile: deriveProfile(allNamespaces, { hasAppSdkEntryPoint, hasComServerWithFullTrust: hasComServer && capabilities.includes('runFullTrust') }),
    applications,
    extensions,
    lockScreen: lock ? { span: lock.span, notification: attr(lock, 'Notification')?.value, badgeLogo: attr(lock, 'BadgeLogo')?.value } : undefined,
    lockScreenInsert: visual ? childInsert(doc, visual) : undefined,
    capabilities,
    targetDeviceFamilies: doc.elements
      .filter((e) => e.local === 'TargetDeviceFamily' && e.parent?.local === 'Dependencies')
      .map((e) => ({ name: attr(e, 'Name')?.value ?? '', minVersion: attr(e, 'MinVersion')?.value })),
    syntaxError: doc.syntaxError,
  };
  if (!manifest.targetDeviceFamilies?.length) delete manifest.targetDeviceFamilies;
  if (!manifest.ignorableNamespaces) delete manifest.ignorableNamespaces;
  if (manifest.rootAttributeInsert === undefined) delete manifest.rootAttributeInsert;
  if (!manifest.lockScreen) delete manifest.lockScreen;
  if (!manifest.lockScreenInsert) delete manifest.lockScreenInsert;
  if (!manifest.syntaxError) delete manifest.syntaxError;
  facts.manifest = manifest;
  return facts;
}

function extensionFact(doc: XmlDocument, el: XmlElement): ManifestExtensionFact {
  const line = lineOf(doc, el.span.start);
  const category = attr(el, 'Category')?.value ?? '';
  const bg = childrenNamed(el, 'BackgroundTasks')[0];
  const fact: ManifestExtensionFact = {
    span: el.span,
    startTagSpan: el.startTag,
    category,
    prefix: el.prefix,
    namespace: el.namespace,
    entryPoint: valueOf(attr(el, 'EntryPoint')),
    executable: valueOf(attr(el, 'Executable')),
    startPage: valueOf(attr(el, 'StartPage')),
    resourceGroup: valueOf(attr(el, 'ResourceGroup')),
    tasks: bg ? childrenNamed(bg, 'Task').map(taskFact) : [],
    comClassIds: [],
    activatableClassIds: [],
    lineStart: line.lineStart,
    indent: line.indent,
  };
  if (bg) {
    const insert = childInsert(doc, bg);
    fact.backgroundTasks = {
      span: bg.span,
      startTagSpan: bg.startTag,
      serverName: valueOf(attr(bg, 'ServerName')),
      supportsMultipleInstances: valueOf(attrLocal(bg, 'SupportsMultipleInstances')),
      insertOffset: insert.offset,
      indent: insert.indent,
    };
    for (const k of ['serverName', 'supportsMultipleInstances'] as const) if (!fact.backgroundTasks[k]) delete fact.backgroundTasks[k];
  }
  // §5 App SDK: com:Extension/com:ComServer/com:ExeServer/com:Class Id.
  for (const server of descendants(el, 'ExeServer')) {
    for (const cls of descendants(server, 'Class')) {
      const id = valueOf(attr(cls, 'Id'));
      if (id) fact.comClassIds.push(id);
    }
  }
  if (category === 'windows.activatableClass.inProcessServer') {
    for (const cls of descendants(el, 'ActivatableClass')) {
      const id = valueOf(attr(cls, 'ActivatableClassId'));
      if (id) fact.activatableClassIds.push(id);
    }
  }
  for (const k of ['entryPoint', 'executable', 'startPage', 'resourceGroup'] as const) if (!fact[k]) delete fact[k];
  return fact;
}

function taskFact(el: XmlElement): ManifestTaskFact {
  const type = attr(el, 'Type');
  return { type: type?.value ?? '', prefix: el.prefix, namespace: el.namespace, span: el.span, typeSpan: type?.valueSpan ?? el.nameSpan };
}
