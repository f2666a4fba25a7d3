// Tests for the project facts extractor (src/core/parsers/project.ts): Windows Runtime Component vs
// app vs class library (§8 #2), ProjectReferences resolved to absolute paths (§8 #3), compile items,
// TargetPlatformVersion, SDK style, WindowsAppSDKBackgroundTask (§5 App SDK), fix offsets, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractProject, resolvePath } from '../../src/core/parsers/project';
import { extractFacts, fileKindOf } from '../../src/core/parsers/extract';
import type { ProjectFacts, Span } from '../../src/core/facts/types';

const FIXTURES = path.join(process.env.BGTASK_REPO!, 'test/parsers/fixtures/project');
const at = (text: string, span: Span | undefined) => (span ? text.slice(span.start, span.end) : undefined);

function load(rel: string, text = fs.readFileSync(path.join(FIXTURES, rel), 'utf8')): { text: string; p: ProjectFacts } {
  const facts = extractProject(`/repo/Samples/BackgroundTask/cs/${rel}`, text);
  assert.equal(facts.kind, 'project');
  assert.ok(facts.project);
  return { text, p: facts.project };
}

function assertSpansInside(value: unknown, text: string, where = 'project'): void {
  if (!value || typeof value !== 'object') return;
  const o = value as Record<string, unknown>;
  if (typeof o.start === 'number' && typeof o.end === 'number') assert.ok(0 <= o.start && o.start <= o.end && o.end <= text.length, `${where}: ${o.start}-${o.end}`);
  if (typeof o.offset === 'number') assert.ok(o.offset >= 0 && o.offset <= text.length, `${where}.offset`);
  for (const [k, v] of Object.entries(o)) assertSpansInside(v, text, `${where}.${k}`);
}

test('old-style C# UWP app project (AppContainerExe): app, reference to the task project, compile items', () => {
  const { text, p } = load('BackgroundTask/BackgroundTask.csproj');
  assert.equal(p.isApp, true);
  assert.equal(p.isWindowsRuntimeComponent, false);
  assert.equal(p.outputType?.value, 'AppContainerExe');
  assert.equal(at(text, p.outputType?.span), 'AppContainerExe');
  assert.equal(p.targetPlatformVersion, '10.0.22000.0');
  assert.equal(p.sdkStyle, false);
  assert.equal(p.windowsAppSdkBackgroundTask, false);
  assert.deepEqual(p.projectReferences.map((r) => r.path), ['/repo/Samples/BackgroundTask/cs/Tasks/Tasks.csproj']);
  assert.equal(at(text, p.projectReferences[0].span), '..\\Tasks\\Tasks.csproj');
  assert.deepEqual(p.compileItems, [
    '/repo/Samples/BackgroundTask/cs/BackgroundTask/App.xaml.cs',
    '/repo/Samples/BackgroundTask/cs/BackgroundTask/SampleConfiguration.cs',
    '/repo/Samples/BackgroundTask/cs/BackgroundTask/Scenario1_SampleBackgroundTask.xaml.cs',
    '/repo/Samples/SharedContent/cs/MainPage.xaml.cs',
  ]);
  // The new reference goes after the existing one, in its ItemGroup, same indentation.
  const ins = p.insertReferenceAt!;
  assert.ok(text.slice(0, ins.offset).endsWith('</ProjectReference>'));
  assert.equal(ins.indent, '    ');
  const edited = text.slice(0, ins.offset) + `\n${ins.indent}<ProjectReference Include="..\\Other\\Other.csproj" />` + text.slice(ins.offset);
  const again = load('BackgroundTask/BackgroundTask.csproj', edited).p;
  assert.deepEqual(again.projectReferences.map((r) => r.path), ['/repo/Samples/BackgroundTask/cs/Tasks/Tasks.csproj', '/repo/Samples/BackgroundTask/cs/Other/Other.csproj']);
  assertSpansInside(p, text);
});

test('§8 #2 C# Windows Runtime Component (OutputType winmdobj)', () => {
  const { text, p } = load('Tasks/Tasks.csproj');
  assert.equal(p.isWindowsRuntimeComponent, true);
  assert.equal(p.isApp, false);
  assert.equal(at(text, p.outputType?.span), 'winmdobj');
  assert.deepEqual(p.projectReferences, []);
  assert.deepEqual(p.compileItems, [
    '/repo/Samples/BackgroundTask/cs/Tasks/SampleBackgroundTask.cs',
    '/repo/Samples/BackgroundTask/cs/Tasks/ServicingComplete.cs',
    '/repo/Samples/BackgroundTask/cs/Tasks/Properties/AssemblyInfo.cs',
  ]);
  // No ProjectReference yet: the insertion point is after <Project>'s last child (a new ItemGroup goes there).
  const ins = p.insertReferenceAt!;
  assert.ok(text.slice(0, ins.offset).endsWith('Microsoft.Windows.UI.Xaml.CSharp.targets" />'));
  assert.ok(text.slice(ins.offset).trimStart().startsWith('</Project>'));
  assert.equal(ins.indent, '  ');
});

test('§8 #2 C# class library: not a component; outputTypeFix replaces the trimmed value with winmdobj', () => {
  const { text, p } = load('Library/Library.csproj');
  assert.equal(p.isWindowsRuntimeComponent, false);
  assert.equal(p.isApp, false);
  assert.equal(p.outputType?.value, 'Library');
  assert.equal(at(text, p.outputTypeFix?.span), 'Library');
  assert.equal(p.outputTypeFix?.text, 'winmdobj');
  const fixed = text.slice(0, p.outputTypeFix!.span.start) + p.outputTypeFix!.text + text.slice(p.outputTypeFix!.span.end);
  assert.equal(load('Library/Library.csproj', fixed).p.isWindowsRuntimeComponent, true);
  // `;`-separated Include with an entity.
  assert.deepEqual(p.compileItems, ['/repo/Samples/BackgroundTask/cs/Library/Tasks/Task&Helpers.cs', '/repo/Samples/BackgroundTask/cs/Library/Tasks/Other.cs']);
  assert.equal(p.targetPlatformVersion, '10.0.19041.0');
});

test('§8 #2 C++/CX component vcxproj: DynamicLibrary + AppContainerApplication/GenerateWindowsMetadata; no outputTypeFix', () => {
  const { text, p } = load('CppTasks/CppTasks.vcxproj');
  assert.equal(p.isWindowsRuntimeComponent, true);
  assert.equal(p.isApp, false);
  assert.equal(p.outputType?.value, 'DynamicLibrary');
  assert.equal(at(text, p.outputType?.span), 'DynamicLibrary');
  assert.equal(p.outputTypeFix, undefined);
  assert.equal(p.targetPlatformVersion, '10.0.22000.0');
  assert.deepEqual(p.compileItems.map((c) => c.split('/').pop()).sort(), ['SampleBackgroundTask.cpp', 'SampleBackgroundTask.h', 'pch.cpp', 'pch.h']);
  // A plain DLL (no WinMD, no app container) is not a component.
  const plain = text.replace('<AppContainerApplication>true</AppContainerApplication>', '').replace('<GenerateWindowsMetadata>true</GenerateWindowsMetadata>', '');
  assert.equal(load('CppTasks/CppTasks.vcxproj', plain).p.isWindowsRuntimeComponent, false);
  const winmdOnly = plain.replace('<SubSystem>Console</SubSystem>', '<WinMDFile>$(OutDir)Tasks.winmd</WinMDFile>');
  assert.equal(load('CppTasks/CppTasks.vcxproj', winmdOnly).p.isWindowsRuntimeComponent, true);
  const staticLib = text.replace('<ConfigurationType>DynamicLibrary</ConfigurationType>', '<ConfigurationType>StaticLibrary</ConfigurationType>');
  assert.equal(load('CppTasks/CppTasks.vcxproj', staticLib).p.isWindowsRuntimeComponent, false);
  assertSpansInside(p, text);
});

test('C++ Windows 8.1 Store project: ApplicationTypeRevision gives the platform version', () => {
  const text = `<Project DefaultTargets="Build" ToolsVersion="12.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <PropertyGroup Label="Globals">
    <AppContainerApplication>true</AppContainerApplication>
    <ApplicationType>Windows Store</ApplicationType>
    <ApplicationTypeRevision>8.1</ApplicationTypeRevision>
  </PropertyGroup>
  <PropertyGroup Label="Configuration">
    <ConfigurationType>DynamicLibrary</ConfigurationType>
  </PropertyGroup>
</Project>`;
  const { p } = load('Tasks/Tasks.vcxproj', text);
  assert.equal(p.targetPlatformVersion, '8.1');
  assert.equal(p.isWindowsRuntimeComponent, true);
});

test('C++ app vcxproj: ConfigurationType Application is an app', () => {
  const { p } = load('CppApp/CppApp.vcxproj');
  assert.equal(p.isApp, true);
  assert.equal(p.isWindowsRuntimeComponent, false);
  assert.equal(p.outputType?.value, 'Application');
});

test('§5 App SDK SDK-style project: sdkStyle, WindowsAppSDKBackgroundTask, platform version from TargetFramework', () => {
  const { p } = load('AppSdk/AppSdk.csproj');
  assert.equal(p.sdkStyle, true);
  assert.equal(p.windowsAppSdkBackgroundTask, true);
  assert.equal(p.targetPlatformVersion, '10.0.19041.0');
  assert.deepEqual(p.compileItems, []);
  assert.equal(p.isWindowsRuntimeComponent, false);
});

test('isApp rules: Exe/WinExe is an app with an AppxManifest item or ApplicationType Windows Store, else not', () => {
  const project = (body: string) => load('X/X.csproj', `<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">${body}</Project>`).p;
  assert.equal(project('<PropertyGroup><OutputType>Exe</OutputType></PropertyGroup>').isApp, false);
  assert.equal(project('<PropertyGroup><OutputType>Exe</OutputType></PropertyGroup><ItemGroup><AppxManifest Include="Package.appxmanifest" /></ItemGroup>').isApp, true);
  assert.equal(project('<PropertyGroup><OutputType>WinExe</OutputType><ApplicationType>Windows Store</ApplicationType></PropertyGroup>').isApp, true);
  assert.equal(project('<PropertyGroup><OutputType>winmdobj</OutputType></PropertyGroup><ItemGroup><AppxManifest Include="Package.appxmanifest" /></ItemGroup>').isApp, false);
});

test('ProjectReference paths: CRLF, forward slashes, absolute Windows paths, MSBuild properties kept as written', () => {
  const text = [
    '<Project>',
    '  <ItemGroup Condition="\'$(Configuration)\' == \'Debug\'">',
    '    <ProjectReference Include="..\\Debug\\Only.csproj" />',
    '  </ItemGroup>',
    '  <ItemGroup>',
    '    <ProjectReference Include="../Tasks/./Tasks.csproj" />',
    '    <ProjectReference Include="C:\\src\\Other\\Other.vcxproj" />',
    '    <ProjectReference Include="$(SolutionDir)Shared\\Shared.csproj" />',
    '  </ItemGroup>',
    '</Project>',
  ].join('\r\n');
  const { p } = load('App/App.csproj', text);
  assert.deepEqual(p.projectReferences.map((r) => r.path), [
    '/repo/Samples/BackgroundTask/cs/Debug/Only.csproj',
    '/repo/Samples/BackgroundTask/cs/Tasks/Tasks.csproj',
    'C:/src/Other/Other.vcxproj',
    '$(SolutionDir)Shared/Shared.csproj',
  ]);
  assert.deepEqual(p.projectReferences.map((r) => at(text, r.span)), ['..\\Debug\\Only.csproj', '../Tasks/./Tasks.csproj', 'C:\\src\\Other\\Other.vcxproj', '$(SolutionDir)Shared\\Shared.csproj']);
  // The unconditioned group is preferred for a new reference.
  assert.ok(text.slice(0, p.insertReferenceAt!.offset).endsWith('Shared.csproj" />'));
  assert.equal(p.insertReferenceAt!.indent, '    ');
  assert.equal(resolvePath('/a/b', '..\\c\\d.csproj'), '/a/c/d.csproj');
  assert.equal(resolvePath('C:/a/b', '..\\c.csproj'), 'C:/a/c.csproj');
});

test('malformed and junk project files never throw and keep what they can', () => {
  const base = fs.readFileSync(path.join(FIXTURES, 'Tasks/Tasks.csproj'), 'utf8');
  const inputs = [
    '',
    'not xml at all',
    '\x00\x01\x02\uFFFD<<>>&',
    base.replace('</PropertyGroup>', '</PropertyGrou>'),
    base.slice(0, base.indexOf('<Compile Include="ServicingComplete.cs"') + 10),
    base.replace('<OutputType>winmdobj</OutputType>', '<OutputType>winmd&obj</OutputType>'),
    Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
  ];
  for (const text of inputs) {
    let p: ProjectFacts | undefined;
    assert.doesNotThrow(() => (p = load('Tasks/Tasks.csproj', text).p), JSON.stringify(text.slice(0, 30)));
    assertSpansInside(p, text);
  }
  // Truncated after OutputType: the component is still recognised.
  const truncated = base.slice(0, base.indexOf('<Compile Include="ServicingComplete.cs"') + 10);
  assert.equal(load('Tasks/Tasks.csproj', truncated).p.isWindowsRuntimeComponent, true);
  assert.equal(load('Tasks/Tasks.csproj', truncated).p.compileItems[0], '/repo/Samples/BackgroundTask/cs/Tasks/SampleBackgroundTask.cs');
});

test('extractFacts dispatches .csproj and .vcxproj to the project extractor', () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'Tasks/Tasks.csproj'), 'utf8');
  assert.equal(fileKindOf('/w/Tasks/Tasks.csproj'), 'project');
  assert.equal(fileKindOf('/w/Tasks/Tasks.vcxproj'), 'project');
  assert.equal(extractFacts('/w/Tasks/Tasks.csproj', 'project', text).project?.isWindowsRuntimeComponent, true);
});

test('issue 9 Shared project imports: the .projitems folder is recorded, MSBuildThisFileDirectory and backslashes resolved', () => {
  const text = '<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003"><PropertyGroup><OutputType>AppContainerExe</OutputType></PropertyGroup>\n  <Import Project="..\\App.Shared\\App.Shared.projitems" Label="Shared" />\n  <Import Project="$(MSBuildExtensionsPath)\\Microsoft.Common.props" />\n</Project>';
  const facts = extractProject('/w/App.Windows/App.Windows.csproj', text);
  assert.deepEqual(facts.project?.sharedFolders, ['/w/App.Shared']);
});
