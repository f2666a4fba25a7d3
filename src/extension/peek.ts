// `bgtask.peek`: the command behind the code lens parts ("declared in …", "registered as …"). The server
// sends plain LSP locations; editor.action.peekLocations wants vscode.Uri, Position and Location objects.
import * as vscode from 'vscode';

interface LspPosition {
  line: number;
  character: number;
}
interface LspLocation {
  uri: string;
  range: { start: LspPosition; end: LspPosition };
}

export const PEEK = 'bgtask.peek';

export function registerPeekCommand(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(PEEK, (uri: string, position: LspPosition, locations: LspLocation[]) => {
      const pos = (p: LspPosition) => new vscode.Position(p.line, p.character);
      const targets = (locations ?? []).map((l) => new vscode.Location(vscode.Uri.parse(l.uri), new vscode.Range(pos(l.range.start), pos(l.range.end))));
      return vscode.commands.executeCommand('editor.action.peekLocations', vscode.Uri.parse(uri), pos(position), targets, 'peek');
    }),
  );
}
