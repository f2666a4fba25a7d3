// The VS Code side of the "Background Tasks" view: a TreeDataProvider over buildTree's nodes, fed by
// sources, refreshed (debounced) when a source or the diagnostics change; go-to and refresh commands.
import * as vscode from 'vscode';
import { buildTree, type BackgroundTasksSource, type SourceSnapshot, type TreeNode } from './model';

export const VIEW_ID = 'bgtask.backgroundTasks';

export class BackgroundTasksProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots?: Promise<TreeNode[]>;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly sources: BackgroundTasksSource[], private readonly debounceMs = 300) {
    for (const s of sources) this.disposables.push(s.onDidChange(() => this.scheduleRefresh()));
  }

  /** Adds a source (the task host's live registry while debugging); disposing removes it. */
  addSource(source: BackgroundTasksSource): vscode.Disposable {
    this.sources.push(source);
    const sub = source.onDidChange(() => this.scheduleRefresh());
    this.refresh();
    return new vscode.Disposable(() => {
      sub.dispose();
      this.sources.splice(this.sources.indexOf(source), 1);
      this.refresh();
    });
  }

  /** Reload now. */
  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.roots = undefined;
    this.changed.fire(undefined);
  }

  /** Reload after a quiet period (diagnostics arrive in bursts). */
  scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), this.debounceMs);
  }

  /** The current roots, loading them from the sources when stale. */
  nodes(): Promise<TreeNode[]> {
    this.roots ??= Promise.all(this.sources.map((s) => s.load().catch((): SourceSnapshot | undefined => undefined))).then((snapshots) =>
      buildTree(snapshots, (p) => vscode.workspace.asRelativePath(p, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1)),
    );
    return this.roots;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return node ? node.children : this.nodes();
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state = node.children.length === 0 ? vscode.TreeItemCollapsibleState.None : node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    item.iconPath = new vscode.ThemeIcon(node.icon, node.iconColor ? new vscode.ThemeColor(node.iconColor) : undefined);
    // An app row expands on click; its manifest is one inline action away (Go to Source).
    if (node.location && node.kind !== 'app') {
      item.resourceUri = undefined;
      item.command = { command: 'bgtask.tree.goTo', title: 'Go to Source', arguments: [node] };
    }
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export async function goTo(node: TreeNode | undefined): Promise<void> {
  if (!node?.location) return;
  const { uri, range } = node.location;
  const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection, preview: true });
}

/** A plain, JSON-friendly rendering of the tree as VS Code shows it (for tests and the integration suite). */
export async function renderTree(provider: BackgroundTasksProvider): Promise<RenderedItem[]> {
  const render = async (node: TreeNode): Promise<RenderedItem> => {
    const item = provider.getTreeItem(node);
    const children = await provider.getChildren(node);
    return {
      label: String(item.label),
      description: typeof item.description === 'string' ? item.description : undefined,
      contextValue: item.contextValue,
      icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
      command: item.command?.command,
      tooltip: typeof item.tooltip === 'string' ? item.tooltip : undefined,
      location: node.location ? { path: node.location.path, line: node.location.range.start.line, character: node.location.range.start.character } : undefined,
      children: await Promise.all(children.map(render)),
    };
  };
  return Promise.all((await provider.getChildren()).map(render));
}

export interface RenderedItem {
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  /** The command a click runs (none on an app row: it expands). */
  command?: string;
  tooltip?: string;
  location?: { path: string; line: number; character: number };
  children: RenderedItem[];
}
