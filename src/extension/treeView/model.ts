// The "Background Tasks" tree as plain data: sources (the language server's static model today, the
// task host's live registry in the debug issue) give snapshots; buildTree turns them into nodes with
// codicons, descriptions and go-to locations. No vscode import, so it is unit-tested directly.
import type { AppDto, ItemLocation, ItemProblem, ProblemSeverity } from '../../shared/protocol';

export type LiveState = 'idle' | 'latched' | 'running' | 'suspended' | 'completed' | 'failed' | 'canceled';

/** A registration as the task host sees it while it runs. */
export interface LiveRegistration {
  name: string;
  entryPoint?: string;
  trigger?: string;
  state: LiveState;
  /** 0..100 while running. */
  progress?: number;
  /** Conditions a latched trigger waits for. */
  waitingFor?: string[];
  /** BackgroundTaskCancellationReason when canceled. */
  reason?: string;
  /** The error when failed. */
  error?: string;
  /** The task's code (JS file or Run method), for go-to. */
  location?: ItemLocation;
}

export interface SourceSnapshot {
  apps?: AppDto[];
  /** Live registrations per app root (undefined root: the host's only app). */
  live?: Array<{ appRoot?: string; registrations: LiveRegistration[] }>;
}

export interface Disposable {
  dispose(): void;
}

/** Anything that contributes nodes. A later live-host source implements this too. */
export interface BackgroundTasksSource {
  readonly id: string;
  load(): Promise<SourceSnapshot | undefined>;
  onDidChange(listener: () => void): Disposable;
}

export type NodeKind = 'app' | 'group' | 'taskClass' | 'declaration' | 'registration' | 'live' | 'problem' | 'manifest';

export interface TreeNode {
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  tooltip?: string;
  /** Codicon id, and an optional theme color id for it. */
  icon: string;
  iconColor?: string;
  contextValue: string;
  location?: ItemLocation;
  children: TreeNode[];
  expanded?: boolean;
}

const SEVERITY_ICON: Record<ProblemSeverity, { icon: string; color: string }> = {
  error: { icon: 'error', color: 'problemsErrorIcon.foreground' },
  warning: { icon: 'warning', color: 'problemsWarningIcon.foreground' },
  info: { icon: 'info', color: 'problemsInfoIcon.foreground' },
};

const RANK: Record<ProblemSeverity, number> = { error: 0, warning: 1, info: 2 };

function worst(problems: readonly ItemProblem[]): ProblemSeverity | undefined {
  return [...problems].sort((a, b) => RANK[a.severity] - RANK[b.severity])[0]?.severity;
}

function countText(problems: readonly ItemProblem[]): string | undefined {
  if (!problems.length) return undefined;
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  const infos = problems.length - errors - warnings;
  return [errors && `${errors} error${errors > 1 ? 's' : ''}`, warnings && `${warnings} warning${warnings > 1 ? 's' : ''}`, infos && `${infos} info`].filter(Boolean).join(', ');
}

/** A label that fits the view's default width: the message up to its first clause; the whole of it is in the tooltip. */
export function shortMessage(message: string, max = 60): string {
  const clause = message.split(/(?<=[a-z)'"])[;:] /)[0].replace(/\.$/, '');
  if (clause.length <= max) return clause;
  const hard = clause.slice(0, max - 1);
  const soft = hard.replace(/\s+\S*$/, '');
  return `${soft.length >= max * 0.6 ? soft : hard}…`;
}

function problemNodes(parentId: string, problems: readonly ItemProblem[]): TreeNode[] {
  return problems.map((p, i) => ({
    id: `${parentId}/problem:${i}:${p.ruleId}`,
    kind: 'problem',
    label: shortMessage(p.message),
    description: p.ruleId,
    tooltip: `${p.severity} ${p.ruleId}: ${p.message}`,
    icon: SEVERITY_ICON[p.severity].icon,
    iconColor: SEVERITY_ICON[p.severity].color,
    contextValue: `bgtask.problem.${p.severity}`,
    location: p,
    children: [],
  }));
}

function itemNode(parentId: string, kind: NodeKind, key: string, label: string, icon: string, location: ItemLocation, problems: readonly ItemProblem[], detail: { description?: string; tooltip: string }): TreeNode {
  const id = `${parentId}/${kind}:${key}`;
  const sev = worst(problems);
  const counts = countText(problems);
  return {
    id,
    kind,
    label,
    description: [detail.description, counts].filter(Boolean).join(' · ') || undefined,
    tooltip: counts ? `${detail.tooltip}\n${counts}` : detail.tooltip,
    icon: sev ? SEVERITY_ICON[sev].icon : icon,
    iconColor: sev ? SEVERITY_ICON[sev].color : undefined,
    contextValue: `bgtask.${kind}${problems.length ? '.problems' : ''}`,
    location,
    children: problemNodes(id, problems),
  };
}

function group(parentId: string, key: string, label: string, icon: string, children: TreeNode[]): TreeNode {
  return { id: `${parentId}/${key}`, kind: 'group', label, description: String(children.length), icon, contextValue: `bgtask.group.${key}`, children, expanded: true };
}

export function liveDescription(r: LiveRegistration): string {
  switch (r.state) {
    case 'running':
      return r.progress !== undefined ? `running ${Math.round(r.progress)}%` : 'running';
    case 'latched':
      return r.waitingFor?.length ? `latched, waiting for ${r.waitingFor.join(', ')}` : 'latched';
    case 'canceled':
      return r.reason ? `canceled (${r.reason})` : 'canceled';
    case 'failed':
      return r.error ? `failed: ${r.error}` : 'failed';
    case 'suspended':
      return 'suspended by the CPU quota';
    default:
      return r.state;
  }
}

const LIVE_ICON: Record<LiveState, string> = { idle: 'circle-outline', latched: 'watch', running: 'sync~spin', suspended: 'debug-pause', completed: 'pass', failed: 'error', canceled: 'circle-slash' };

function liveNodes(parentId: string, registrations: readonly LiveRegistration[]): TreeNode[] {
  return registrations.map((r) => ({
    id: `${parentId}/live:${r.name}`,
    kind: 'live',
    label: r.name,
    description: [r.trigger, liveDescription(r)].filter(Boolean).join(' · '),
    tooltip: `${r.name}${r.entryPoint ? ` → ${r.entryPoint}` : ''}\n${liveDescription(r)}`,
    icon: LIVE_ICON[r.state],
    contextValue: `bgtask.live.${r.state}`,
    location: r.location,
    children: [],
  }));
}

/** Merge the sources' snapshots into the tree: one node per app, then a node for live registrations no app claims. */
export function buildTree(snapshots: ReadonlyArray<SourceSnapshot | undefined>, relative: (path: string) => string = (p) => p): TreeNode[] {
  const apps = snapshots.flatMap((s) => s?.apps ?? []);
  const live = snapshots.flatMap((s) => s?.live ?? []);
  const claimed = new Set<number>();
  const roots: TreeNode[] = apps.map((app) => {
    const id = `app:${app.root}`;
    const rel = relative(app.root) || '.';
    // The app's own folders are the label; where it sits goes to the description.
    const segments = rel.split('/');
    const label = segments.slice(-2).join('/');
    const parent = segments.slice(0, -2).join('/');
    const children: TreeNode[] = [];
    if (app.taskClasses.length) {
      children.push(group(id, 'classes', 'Task classes', 'symbol-class', app.taskClasses.map((c) => {
        // The class name is the label; its namespace (or a script's folder) goes to the description.
        const cut = Math.max(c.fullName.lastIndexOf('.'), c.language === 'javascript' ? c.fullName.lastIndexOf('/') : -1);
        const short = c.language === 'javascript' ? c.fullName.slice(c.fullName.lastIndexOf('/') + 1) : c.fullName.slice(cut + 1);
        const ns = c.language === 'javascript' ? c.fullName.slice(0, Math.max(0, c.fullName.lastIndexOf('/'))) : c.fullName.slice(0, Math.max(0, cut));
        return itemNode(id, 'taskClass', c.fullName, short, 'symbol-class', c.location, c.problems, { description: [ns, c.language].filter(Boolean).join(' · '), tooltip: `${c.fullName} (${c.language})\n${relative(c.location.path)}:${c.location.range.start.line + 1}` });
      })));
    }
    if (app.declarations.length) {
      children.push(group(id, 'declarations', 'Manifest declarations', 'file-code', app.declarations.map((d, i) => {
        const name = d.entryPoint ?? d.startPage ?? `(no entry point: in-process)`;
        const label = name.length > 40 && name.includes('.') ? `…${name.split('.').slice(-2).join('.')}` : name;
        return itemNode(id, 'declaration', `${i}:${name}`, label, 'symbol-event', d.location, d.problems, { description: d.taskTypes.join(', '), tooltip: `${d.category} ${name}\nTask types: ${d.taskTypes.join(', ') || 'none'}${d.executable ? `\nExecutable: ${d.executable}` : ''}` });
      })));
    }
    if (app.registrations.length) {
      children.push(group(id, 'registrations', 'Registrations', 'symbol-method', app.registrations.map((r, i) => {
        const name = r.name ?? '(unnamed)';
        const conditions = r.conditions.length ? ` + ${r.conditions.join(', ')}` : '';
        return itemNode(id, 'registration', `${i}:${name}`, name, 'zap', r.location, r.problems, { description: `${r.trigger ?? 'no trigger'}${conditions}`, tooltip: `${name} → ${r.entryPoint ?? '(no entry point)'}\nTrigger: ${r.trigger ?? 'none'}${r.conditions.length ? `\nConditions: ${r.conditions.join(', ')}` : ''}\n${relative(r.location.path)}:${r.location.range.start.line + 1}` });
      })));
    }
    const liveHere = live.flatMap((l, i) => (l.appRoot === app.root && !claimed.has(i) ? (claimed.add(i), l.registrations) : []));
    if (liveHere.length) children.push(group(id, 'live', 'Live registrations', 'pulse', liveNodes(id, liveHere)));
    if (app.problems.length) children.push(group(id, 'problems', 'Other problems', 'warning', problemNodes(`${id}/problems`, app.problems)));
    const all = [...app.taskClasses, ...app.declarations, ...app.registrations].flatMap((x) => x.problems).concat(app.problems);
    const counts = countText(all);
    return {
      id,
      kind: 'app',
      label,
      description: [app.profile, counts, parent].filter(Boolean).join(' · '),
      tooltip: `${app.manifest ? relative(app.manifest.path) : app.root}\nProfile: ${app.profile}${counts ? `\n${counts}` : ''}`,
      icon: 'package',
      contextValue: app.manifest ? 'bgtask.app' : 'bgtask.app.noManifest',
      location: app.manifest ? { uri: app.manifest.uri, path: app.manifest.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } : undefined,
      children,
      expanded: apps.length <= 3,
    };
  });
  const unclaimed = live.flatMap((l, i) => (claimed.has(i) ? [] : l.registrations));
  if (unclaimed.length) roots.push(group('host', 'live', 'Task host', 'pulse', liveNodes('host', unclaimed)));
  return roots;
}
