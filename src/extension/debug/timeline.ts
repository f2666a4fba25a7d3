// The timeline panel: a webview (strict CSP with a nonce, local script only, theme colours through
// CSS variables) that draws the running session's trace on a canvas (media/timeline.js) from the
// layout computed here (timelineLayout.ts); click on a lane opens the task's code, Export SVG writes a file.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { HostSessions, HostSessionView } from './hostSessions';
import type { TraceEvent } from '../../host/types';
import { TimelineBuilder, fitViewport, parseTraceLines, timelineSvg, type TimelineLayout } from './timelineLayout';

export function timelineHtml(webview: vscode.Webview, media: vscode.Uri): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'timeline.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'timeline.css'));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Background Task Timeline</title></head>
<body>
<div id="toolbar"><span id="summary">No task host is running.</span><span class="spacer"></span>
<button id="fit" title="Fit the whole trace">Fit</button><button id="follow" title="Follow the live end" aria-pressed="true">Follow</button><button id="export" title="Export the visible timeline as SVG">Export SVG</button></div>
<div id="legend"><span class="k running"></span>running <span class="k completed"></span>completed <span class="k canceled"></span>canceled <span class="k failed"></span>failed <span class="k wait"></span>latched <span class="k fired"></span>fired</div>
<canvas id="timeline" tabindex="0" aria-label="Timeline of background task events"></canvas>
<div id="tip" role="tooltip" hidden></div>
<script nonce="${nonce}" src="${script}"></script>
</body></html>`;
}

export interface TimelineStatus {
  open: boolean;
  lanes: number;
  events: number;
  /** What the webview last reported it drew. */
  rendered?: { items: number; ms: number; lanes: number };
}

export function registerTimeline(context: vscode.ExtensionContext, sessions: HostSessions): void {
  const media = vscode.Uri.joinPath(context.extensionUri, 'media');
  let panel: vscode.WebviewPanel | undefined;
  let builder = new TimelineBuilder();
  let built = 0;
  let source: HostSessionView | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let rendered: TimelineStatus['rendered'];
  let lastViewport = { from: 0, msPerPx: 1, width: 1200 };

  // A trace opened from a file (`bgtask host --json` output) is shown until Show Timeline asks for the live session.
  let opened: { name: string; trace: TraceEvent[] } | undefined;

  const layout = (): TimelineLayout => {
    if (opened) {
      if (built === 0 || builder.layout.events !== opened.trace.length) {
        builder = new TimelineBuilder().addAll(opened.trace);
        built = -1;
      }
      return builder.layout;
    }
    if (built === -1) {
      builder = new TimelineBuilder();
      built = 0;
    }
    const view = sessions.current() ?? source;
    if (view !== source) {
      source = view;
      builder = new TimelineBuilder();
      built = 0;
    }
    const trace = view?.trace ?? [];
    if (trace.length < built) {
      builder = new TimelineBuilder();
      built = 0;
    }
    for (; built < trace.length; built++) builder.add(trace[built]);
    return builder.layout;
  };

  const post = () => {
    timer = undefined;
    if (!panel) return;
    const L = layout();
    void panel.webview.postMessage({ type: 'layout', layout: L, session: opened ? opened.name : source?.session.name });
  };
  const schedule = () => {
    if (!panel || timer) return;
    // Large traces are sent less often: a 10,000-event layout is ~1 MB of JSON.
    timer = setTimeout(post, builder.layout.events > 5000 ? 500 : 100);
  };

  const open = (): TimelineStatus => {
    if (panel) {
      panel.reveal(vscode.ViewColumn.Beside, true);
      schedule();
      return status();
    }
    panel = vscode.window.createWebviewPanel('bgtask.timeline', 'Background Task Timeline', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: true });
    panel.webview.onDidReceiveMessage(async (msg: { type: string; lane?: number; items?: number; ms?: number; lanes?: number; viewport?: typeof lastViewport }) => {
      if (msg.type === 'ready') post();
      else if (msg.type === 'rendered') {
        rendered = { items: msg.items ?? 0, ms: msg.ms ?? 0, lanes: msg.lanes ?? 0 };
        if (msg.viewport) lastViewport = msg.viewport;
      } else if (msg.type === 'open' && msg.lane !== undefined) await openLane(msg.lane);
      else if (msg.type === 'exportSvg') await exportSvg(msg.viewport);
    });
    // The listener first: the page's 'ready' must not arrive before it.
    panel.webview.html = timelineHtml(panel.webview, media);
    panel.onDidDispose(() => {
      panel = undefined;
      rendered = undefined;
    });
    return status();
  };

  const openLane = async (lane: number) => {
    const name = builder.layout.lanes[lane]?.name;
    const view = sessions.current() ?? source;
    const reg = view?.snapshot?.registrations.find((r) => r.name === name);
    if (!reg?.location) {
      void vscode.window.showInformationMessage(`Background Tasks: no source known for ${name ?? 'this lane'}.`);
      return;
    }
    const line = Math.max(reg.location.line - 1, 0);
    await vscode.window.showTextDocument(vscode.Uri.file(reg.location.path), { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.One });
  };

  const exportSvg = async (viewport?: typeof lastViewport, target?: vscode.Uri): Promise<vscode.Uri | undefined> => {
    const L = layout();
    const v = viewport ?? fitViewport(L, 1600);
    const uri = target ?? (await vscode.window.showSaveDialog({ filters: { SVG: ['svg'] }, defaultUri: vscode.workspace.workspaceFolders?.[0] ? vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'bgtask-timeline.svg') : undefined }));
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(timelineSvg(L, v), 'utf8'));
    return uri;
  };

  const status = (): TimelineStatus => ({ open: !!panel, lanes: builder.layout.lanes.length, events: builder.layout.events, rendered });

  /** Shows a trace from a file of JSON lines (or, for tests, the events themselves). */
  const openTrace = async (arg?: vscode.Uri | TraceEvent[]): Promise<TimelineStatus | undefined> => {
    let trace: TraceEvent[];
    let name: string;
    if (Array.isArray(arg)) {
      trace = arg;
      name = `${arg.length} events`;
    } else {
      const uri = arg ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Trace (JSON lines)': ['jsonl', 'json', 'log', 'txt'] }, title: 'Open a task host trace (bgtask host --json)' }))?.[0];
      if (!uri) return undefined;
      const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      trace = parseTraceLines(text);
      name = vscode.workspace.asRelativePath(uri);
      if (!trace.length) {
        void vscode.window.showErrorMessage(`Background Tasks: ${name} has no trace events (one JSON object per line, as \`bgtask host --json\` prints).`);
        return undefined;
      }
    }
    opened = { name, trace };
    built = 0;
    const s = open();
    schedule();
    return s;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('bgtask.showTimeline', () => {
      opened = undefined;
      return open();
    }),
    vscode.commands.registerCommand('bgtask.openTraceInTimeline', openTrace),
    // Not contributed: lets tests read what the panel drew and export without a dialog.
    vscode.commands.registerCommand('bgtask.timeline.status', () => status()),
    vscode.commands.registerCommand('bgtask.timeline.exportSvg', (target?: vscode.Uri) => exportSvg(undefined, target)),
    sessions.onTrace(schedule),
    sessions.onDidChange(schedule),
    { dispose: () => panel?.dispose() },
  );
}
