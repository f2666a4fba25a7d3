// task-project-not-winmd: a class implementing IBackgroundTask lives in a library project whose output
// is not a Windows Runtime Component (C# OutputType winmdobj; C++ a DynamicLibrary that produces a
// winmd), so Windows cannot activate it and the task never runs (§8 #2). Classes in the app's own project
// are left alone (in-app hosts); App SDK COM tasks need no component (§5 App SDK).
import type { FileFacts } from '../../facts/types';
import { APPSDK_ENTRY_POINT } from '../../model/catalog';
import { projectHolding } from '../manifestUtil';
import type { WorkspaceRule } from '../types';

export const rule: WorkspaceRule = {
  id: 'task-project-not-winmd',
  severity: 'error',
  title: 'An entry-point class lives in a project that is not a Windows Runtime Component.',
  source: '§8 #2',
  reads: ['manifest', 'code', 'project'],
  scope: 'workspace',
  checkWorkspace(ctx) {
    const ws = ctx.workspace;
    const classesByProject = new Map<FileFacts, Set<string>>();
    for (const [fullName, entries] of ws.taskClassesByFullName) {
      if (fullName === APPSDK_ENTRY_POINT) continue;
      for (const { file, cls } of entries) {
        // JavaScript tasks are scripts; App SDK COM tasks are activated through COM, not as WinRT classes.
        if (cls.language === 'javascript' || cls.language === 'typescript' || ws.appOf(file.path)?.profile === 'appsdk') continue;
        const project = projectHolding(ws, file.path);
        const facts = project?.project;
        // SDK-style projects make components through C#/WinRT properties that are not modelled: say nothing.
        if (!project || !facts?.outputType || facts.sdkStyle || facts.isWindowsRuntimeComponent || facts.isApp) continue;
        const set = classesByProject.get(project) ?? new Set<string>();
        set.add(fullName);
        classesByProject.set(project, set);
      }
    }
    for (const [project, classes] of classesByProject) {
      const facts = project.project!;
      const isCpp = project.path.endsWith('.vcxproj');
      const wanted = isCpp ? 'a Windows Runtime Component (ConfigurationType DynamicLibrary with a WinMD file)' : 'a Windows Runtime Component (OutputType winmdobj)';
      ctx.report({
        path: project.path,
        span: facts.outputType!.span,
        message: `${[...classes].join(', ')} ${classes.size === 1 ? 'implements' : 'implement'} IBackgroundTask, but this project builds '${facts.outputType!.value}', not ${wanted}; Windows cannot activate the task.`,
        fix: facts.outputTypeFix ? { title: `Set OutputType to ${facts.outputTypeFix.text}`, edits: [{ path: project.path, span: facts.outputTypeFix.span, newText: facts.outputTypeFix.text }] } : undefined,
      });
    }
  },
};
