// Project facts (.csproj / .vcxproj / .vbproj): output type (Windows Runtime Component or app, §8 #2),
// ProjectReferences (§8 #3), compile items, TargetPlatformVersion, SDK style, the Windows App SDK
// background task property (§5 App SDK), a VB project's RootNamespace, and the offsets the project fixes edit.
import { posix } from 'node:path';
import { emptyFacts, type FileFacts, type ProjectFacts, type Span } from '../facts/types';
import { childInsert, elementText, lineOf, parseXml, attr, type XmlElement } from './xmlScan';

export function extractProject(path: string, text: string): FileFacts {
  const facts = emptyFacts(path, 'project');
  const doc = parseXml(text);
  const root = doc.root;
  const dir = posix.dirname(path);

  /** First property with this name (in any PropertyGroup), as trimmed text with its span. */
  const property = (name: string): { value: string; span: Span } | undefined => {
    const lower = name.toLowerCase();
    for (const el of doc.elements) {
      if (el.local.toLowerCase() !== lower || !el.parent || el.parent === root) continue;
      const value = elementText(text, el);
      if (value) return value;
    }
    return undefined;
  };
  const isTrue = (name: string) => property(name)?.value.toLowerCase() === 'true';
  const items = (local: string) => doc.elements.filter((e) => e.local === local && e.parent?.local === 'ItemGroup');

  const isCpp = /\.vcxproj$/i.test(path) || (!/\.csproj$/i.test(path) && !!property('ConfigurationType'));
  const sdkStyle = !!attr(root, 'Sdk') || (root?.children.some((c) => c.local === 'Sdk') ?? false) || doc.elements.some((e) => e.local === 'Import' && !!attr(e, 'Sdk'));

  const project: ProjectFacts = {
    isWindowsRuntimeComponent: false,
    isApp: false,
    projectReferences: [],
    compileItems: [],
    sdkStyle,
    windowsAppSdkBackgroundTask: isTrue('WindowsAppSDKBackgroundTask'),
  };

  // VB prefixes every namespace of the project with its RootNamespace (C# only uses it for new files).
  const rootNamespace = /\.vbproj$/i.test(path) ? property('RootNamespace')?.value : undefined;
  if (rootNamespace && /^[A-Za-z_][\w.]*$/.test(rootNamespace)) project.rootNamespace = rootNamespace;

  const hasManifestItem = items('AppxManifest').length > 0;
  const windowsStore = property('ApplicationType')?.value.toLowerCase() === 'windows store';
  if (isCpp) {
    const configuration = property('ConfigurationType');
    if (configuration) project.outputType = configuration;
    const kind = configuration?.value.toLowerCase();
    const winmd = !!property('WinMDFile') || isTrue('GenerateWindowsMetadata') || isTrue('AppContainerApplication');
    project.isWindowsRuntimeComponent = kind === 'dynamiclibrary' && winmd;
    project.isApp = kind === 'application';
  } else {
    const output = property('OutputType');
    if (output) {
      project.outputType = output;
      project.outputTypeFix = { span: output.span, text: 'winmdobj' };
    }
    const kind = output?.value.toLowerCase();
    const exe = kind === 'appcontainerexe' || kind === 'exe' || kind === 'winexe';
    project.isWindowsRuntimeComponent = kind === 'winmdobj';
    project.isApp = kind === 'appcontainerexe' || (exe && (hasManifestItem || windowsStore));
  }

  // C++ Store projects for 8.1 name their target only as ApplicationTypeRevision (8.1; 10.0 for UWP).
  const tpv = property('TargetPlatformVersion') ?? property('WindowsTargetPlatformVersion') ?? property('ApplicationTypeRevision');
  const framework = /-windows(\d+(?:\.\d+)*)/i.exec(property('TargetFramework')?.value ?? property('TargetFrameworks')?.value ?? '');
  project.targetPlatformVersion = tpv?.value ?? framework?.[1];
  if (!project.targetPlatformVersion) delete project.targetPlatformVersion;

  for (const ref of items('ProjectReference')) {
    const include = attr(ref, 'Include');
    if (include && include.value.trim()) project.projectReferences.push({ path: resolvePath(dir, include.value), span: include.valueSpan });
  }
  // A Shared project's files are compiled into every project that imports its .projitems.
  for (const imp of doc.elements) {
    if (imp.local !== 'Import') continue;
    const target = attr(imp, 'Project')?.value ?? '';
    if (!/\.projitems$/i.test(target.trim())) continue;
    const folder = posix.dirname(resolvePath(dir, target.replace(/\$\(MSBuildThisFileDirectory\)/gi, '')));
    if (!folder.startsWith('$(')) (project.sharedFolders ??= []).push(folder);
  }
  for (const local of ['Compile', 'ClCompile', 'ClInclude']) {
    for (const item of items(local)) {
      for (const part of (attr(item, 'Include')?.value ?? '').split(';')) if (part.trim()) project.compileItems.push(resolvePath(dir, part));
    }
  }

  // Inside the first unconditioned ItemGroup holding ProjectReferences (after its last one), else
  // after the last child of <Project>, where a new <ItemGroup> goes. So the fix wraps the reference
  // in an ItemGroup exactly when projectReferences is empty or all its groups are conditioned.
  if (root && !root.selfClosing) {
    const group = root.children.find((g) => g.local === 'ItemGroup' && !attr(g, 'Condition') && g.children.some((c) => c.local === 'ProjectReference'));
    if (group) {
      const last = [...group.children].reverse().find((c) => c.local === 'ProjectReference') as XmlElement;
      project.insertReferenceAt = { offset: last.span.end, indent: lineOf(doc, last.span.start).indent };
    } else {
      const lastChild = root.children[root.children.length - 1];
      const insert = childInsert(doc, root);
      project.insertReferenceAt = { offset: lastChild ? lastChild.span.end : insert.offset, indent: insert.indent };
    }
  }

  facts.project = project;
  return facts;
}

/**
 * An Include value against the project's folder: backslashes → `/`, normalized, absolute. A value
 * that starts with an MSBuild property (`$(SolutionDir)...`) cannot be resolved and is kept as written
 * (slashes normalized), so it never matches a real path by accident.
 */
export function resolvePath(dir: string, include: string): string {
  const p = include.trim().replace(/\\/g, '/');
  if (p.startsWith('$(')) return p;
  if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) return posix.normalize(p);
  return posix.normalize(posix.join(dir, p));
}
