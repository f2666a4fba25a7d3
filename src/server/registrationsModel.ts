// Turns the engine's workspace view into the "Background Tasks" tree's data (bgtask/registrations):
// per app its task classes, manifest declarations and registrations, each with the findings that fall
// inside it. Pure: reads the engine, returns plain objects with LSP ranges.
import { pathToFileURL } from 'node:url';
import type { Engine, LocatedFinding } from '../core/engine';
import type { FileFacts, Span, TriggerFact, ValueFact } from '../core/facts/types';
import type { AppView } from '../core/rules/types';
import type { AppDto, DeclarationDto, ItemLocation, ItemProblem, Range, RegistrationDto, RegistrationsResult, TaskClassDto } from '../shared/protocol';

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

function rangeOf(engine: Engine, path: string, span: Span): Range {
  const lines = engine.lineIndex(path);
  if (!lines) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

function locationOf(engine: Engine, path: string, span: Span): ItemLocation {
  return { uri: fileUri(path), path, range: rangeOf(engine, path, span) };
}

export function valueText(value: ValueFact | undefined): string | undefined {
  if (!value) return undefined;
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'number':
    case 'boolean':
      return String(value.value);
    case 'reference':
    case 'typeName':
      return value.name;
    case 'expression':
      return value.text;
  }
}

export function triggerSummary(trigger: TriggerFact | undefined): string | undefined {
  if (!trigger) return undefined;
  if (trigger.systemTriggerType) return `${trigger.className}(${trigger.systemTriggerType.name})`;
  const freshness = valueText(trigger.freshness);
  if (freshness !== undefined) return `${trigger.className}(${freshness})`;
  return trigger.className;
}

interface Region {
  path: string;
  start: number;
  end: number;
  problems: ItemProblem[];
  /** The item's own parts (a registration's builder, trigger, conditions, Register call): a finding on one belongs to this item even where regions overlap. */
  anchors?: Span[];
}

const inside = (f: { start: number; end: number }, s: Span) => s.start <= f.start && f.end <= s.end;

/**
 * Claims each finding for the item whose own part holds it (two registrations built side by side
 * overlap), else the innermost item region that holds it; the rest go to the app.
 */
function assignFindings(engine: Engine, findings: readonly LocatedFinding[], regions: Region[], appProblems: ItemProblem[]): void {
  for (const f of findings) {
    let best: Region | undefined;
    let bestAnchor = Infinity;
    for (const r of regions) {
      if (r.path !== f.path) continue;
      for (const a of r.anchors ?? []) if (inside(f.span, a) && a.end - a.start < bestAnchor) [best, bestAnchor] = [r, a.end - a.start];
    }
    if (!best) {
      for (const r of regions) {
        if (r.path !== f.path || f.span.start < r.start || f.span.end > r.end) continue;
        if (!best || r.end - r.start < best.end - best.start) best = r;
      }
    }
    const problem: ItemProblem = { ...locationOf(engine, f.path, f.span), ruleId: f.ruleId, severity: f.severity, message: f.message };
    (best ? best.problems : appProblems).push(problem);
  }
}

function appModel(engine: Engine, app: AppView, findings: readonly LocatedFinding[]): AppDto {
  const regions: Region[] = [];
  const region = (path: string, span: Span, anchors?: Span[]): ItemProblem[] => {
    const problems: ItemProblem[] = [];
    regions.push({ path, start: span.start, end: span.end, problems, anchors });
    return problems;
  };

  const taskClasses: TaskClassDto[] = [];
  // A C++ class comes as a header and a .cpp: one item, located at the header, with both files' problems.
  const byName = new Map<string, TaskClassDto>();
  const isHeader = (p: string) => /\.(h|hpp|hxx)$/i.test(p);
  for (const file of app.files) {
    for (const cls of file.taskClasses) {
      const seen = byName.get(cls.fullName);
      if (seen && (cls.language === 'cppcx' || cls.language === 'cppwinrt')) {
        regions.push({ path: file.path, start: cls.span.start, end: cls.span.end, problems: seen.problems });
        if (isHeader(file.path) && !isHeader(seen.location.path)) seen.location = locationOf(engine, file.path, cls.nameSpan);
        continue;
      }
      const dto: TaskClassDto = { fullName: cls.fullName, language: cls.language, location: locationOf(engine, file.path, cls.nameSpan), problems: region(file.path, cls.span) };
      byName.set(cls.fullName, dto);
      taskClasses.push(dto);
    }
    for (const js of file.jsTasks) {
      // A JavaScript task is a whole script; the manifest names it by StartPage.
      const whole = { start: 0, end: engine.textOf(file.path)?.length ?? js.span.end };
      taskClasses.push({ fullName: relativeTo(app.root, file.path), language: 'javascript', location: locationOf(engine, file.path, js.span), problems: region(file.path, whole) });
    }
  }

  const declarations: DeclarationDto[] = [];
  const manifest = app.manifest;
  for (const ext of manifest?.manifest?.extensions ?? []) {
    if (!ext.backgroundTasks && !ext.tasks.length && ext.category !== 'windows.backgroundTasks') continue;
    const anchor = ext.entryPoint?.span ?? ext.startPage?.span ?? ext.startTagSpan;
    declarations.push({
      category: ext.category,
      entryPoint: ext.entryPoint?.value,
      startPage: ext.startPage?.value,
      executable: ext.executable?.value,
      taskTypes: ext.tasks.map((t) => t.type),
      location: locationOf(engine, manifest!.path, anchor),
      problems: region(manifest!.path, ext.span),
    });
  }

  const registrations: RegistrationDto[] = [];
  for (const { file, registration: r } of app.registrations) {
    // A registration made through a helper call is anchored at the call; a direct one spans builder to Register().
    let span: Span = r.viaHelperCall ?? r.span;
    if (!r.viaHelperCall) {
      const ends = [r.span.end, r.trigger?.span.end ?? 0, r.registerCall?.end ?? 0, ...r.conditions.map((c) => c.span.end)];
      span = { start: Math.min(r.statementStart, r.span.start), end: Math.max(...ends) };
    }
    registrations.push({
      name: valueText(r.name),
      entryPoint: valueText(r.entryPoint) ?? valueText(r.entryPointClsid),
      trigger: triggerSummary(r.trigger),
      triggerClass: r.trigger?.className,
      conditions: r.conditions.map((c) => c.type ?? 'condition'),
      location: locationOf(engine, file.path, r.viaHelperCall ?? r.span),
      problems: region(file.path, span, [r.viaHelperCall, r.span, r.trigger?.span, r.registerCall, ...r.conditions.map((c) => c.span)].filter((x): x is Span => !!x)),
    });
  }

  const appFiles = new Set<string>([...(manifest ? [manifest.path] : []), ...app.files.map((f) => f.path), ...app.projects.map((f: FileFacts) => f.path)]);
  const problems: ItemProblem[] = [];
  assignFindings(engine, findings.filter((f) => appFiles.has(f.path)), regions, problems);

  return {
    root: app.root,
    profile: app.profile,
    manifest: manifest ? { uri: fileUri(manifest.path), path: manifest.path } : undefined,
    taskClasses,
    declarations,
    registrations,
    problems,
  };
}

function relativeTo(root: string, path: string): string {
  return path.startsWith(root + '/') ? path.slice(root.length + 1) : path;
}

/** The whole model: one entry per app, apps with a manifest first, then by root. */
export function registrationsModel(engine: Engine): RegistrationsResult {
  const view = engine.workspace();
  const findings = engine.check();
  const apps = view.apps
    .map((app) => appModel(engine, app, findings))
    .filter((a) => a.manifest || a.taskClasses.length || a.registrations.length)
    .sort((a, b) => (a.manifest ? 0 : 1) - (b.manifest ? 0 : 1) || a.root.localeCompare(b.root));
  return { apps };
}
