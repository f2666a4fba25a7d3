// Rule pages, opened rendered and read-only: the pages (docs/rules/<id>.md, shipped in the package) are
// served as `bgtask-rule:/<id>.md` virtual documents and shown in the Markdown preview. The command
// `bgtask.openRulePage` is what diagnostics' rule links and hover links run (the server writes them).
import * as vscode from 'vscode';

export const RULE_SCHEME = 'bgtask-rule';
export const OPEN_RULE_PAGE = 'bgtask.openRulePage';
const RULE_ID = /^[a-z0-9-]+$/;

export const rulePageUri = (ruleId: string) => vscode.Uri.from({ scheme: RULE_SCHEME, path: `/${ruleId}.md` });

export function registerRulePages(context: vscode.ExtensionContext): void {
  const folder = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules');
  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
      if (!RULE_ID.test(id)) return `# Unknown rule\n\n\`${id}\` is not a bgtask rule id.\n`;
      try {
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, `${id}.md`)));
      } catch {
        return `# ${id}\n\nbgtask has no page for this rule.\n`;
      }
    },
  };
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(RULE_SCHEME, provider),
    vscode.commands.registerCommand(OPEN_RULE_PAGE, async (ruleId?: string) => {
      const id = ruleId ?? (await pickRule(folder));
      if (!id || !RULE_ID.test(id)) return undefined;
      const uri = rulePageUri(id);
      try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch {
        // Without the built-in Markdown extension: the page as a read-only text document.
        await vscode.window.showTextDocument(uri, { preview: true });
      }
      return uri.toString();
    }),
  );
}

async function pickRule(folder: vscode.Uri): Promise<string | undefined> {
  const entries = await vscode.workspace.fs.readDirectory(folder).then(
    (e) => e,
    () => [] as [string, vscode.FileType][],
  );
  const ids = entries.map(([name]) => name).filter((n) => n.endsWith('.md')).map((n) => n.slice(0, -3)).sort();
  return vscode.window.showQuickPick(ids, { title: 'Background Tasks: rule page', placeHolder: 'Which rule?' });
}
