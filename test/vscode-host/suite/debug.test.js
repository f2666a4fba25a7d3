// The bgtask debugger in a real VS Code: a session on examples/winjs started as F5 would (the
// dynamic configuration for the app), Lifecycle Events items driving the host, live state in the
// tree and the status bar, the timeline webview rendering, Suspend and shutdown ending the session.
// Every wait polls with a deadline.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const { until, ws } = require('./util');

const flatten = (items) => items.flatMap((i) => [i, ...flatten(i.children || [])]);
const liveItems = async () => flatten(await vscode.commands.executeCommand('bgtask.tree.items', { refresh: true })).filter((i) => /^bgtask\.live/.test(i.contextValue || ''));

suite('bgtask debugger in VS Code', () => {
  let session;
  const traces = [];

  suiteSetup(async () => {
    await vscode.extensions.getExtension('bgtask.bgtask').activate();
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.event === 'bgtask.trace') traces.push(e.body);
    });
  });

  test('contributes the bgtask debugger, its commands and the debug toolbar button', async () => {
    const pkg = vscode.extensions.getExtension('bgtask.bgtask').packageJSON;
    assert.strictEqual(pkg.contributes.debuggers[0].type, 'bgtask');
    assert.ok(pkg.contributes.menus['debug/toolBar'].some((m) => m.command === 'bgtask.lifecycleEvents' && m.when === 'debugType == bgtask'));
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['bgtask.lifecycleEvents', 'bgtask.fireTrigger', 'bgtask.runTaskNow', 'bgtask.suspendApp', 'bgtask.resumeApp', 'bgtask.advanceTime', 'bgtask.changeCondition', 'bgtask.runScenario', 'bgtask.showTimeline']) assert.ok(commands.includes(c), c);
  });

  test('code lenses: ▶ Run now over a task class and a JS task script, ▷ Run scenario atop a scenario', async () => {
    const lenses = async (...parts) => {
      const uri = vscode.Uri.joinPath(ws(), ...parts);
      await vscode.workspace.openTextDocument(uri);
      return until(`code lenses in ${parts.join('/')}`, async () => {
        const found = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri, 50)) || [];
        return found.length && found.filter((l) => l.command && /Run (now|scenario)/.test(l.command.title));
      }, 30000);
    };
    const cs = await lenses('csharp-uwp', 'Tasks', 'SampleBackgroundTask.cs');
    assert.ok(cs.some((l) => l.command.title === '▶ Run now' && l.command.arguments[0].entryPoint === 'Tasks.SampleBackgroundTask'), JSON.stringify(cs.map((l) => l.command)));
    const js = await lenses('winjs', 'js', 'timezonetask.js');
    assert.ok(js.some((l) => l.command.title === '▶ Run now' && l.range.start.line === 0));
    const sc = await lenses('winjs', 'demo.bgscenario.json');
    assert.deepStrictEqual(sc.map((l) => [l.command.title, l.command.command]), [['▷ Run scenario', 'bgtask.runScenario']]);
  });

  test('F5 with no launch.json: the app\'s dynamic configuration starts a task host session', async () => {
    assert.ok(!fs.existsSync(path.join(ws().fsPath, '.vscode', 'launch.json')));
    const manifest = vscode.Uri.joinPath(ws(), 'winjs', 'Package.appxmanifest');
    const started = Date.now();
    const sessionStarted = new Promise((r) => vscode.debug.onDidStartDebugSession((s) => s.type === 'bgtask' && r(s)));
    assert.strictEqual(await vscode.commands.executeCommand('bgtask.startHost', manifest), true);
    session = await sessionStarted;
    assert.match(session.name, /^Task host: winjs/);
    await until('TimeZoneTask registered by the app\'s launch', () => traces.find((e) => e.event === 'registered' && e.task === 'TimeZoneTask'));
    console.log(`[it-bench] start → first live registration traced: ${Date.now() - started} ms`);
    const live = await until('live registrations in the tree', async () => (await liveItems()).find((i) => i.label === 'TimeZoneTask'));
    console.log(`[it-bench] start → live registration shown in the tree: ${Date.now() - started} ms (${live.description})`);
    const status = await until('the status bar item', async () => {
      const s = await vscode.commands.executeCommand('bgtask.host.status');
      return s.visible && s;
    });
    assert.match(status.text, /Running · \d\d:\d\d:\d\d · \d+ running/);
  });

  test('Lifecycle Events items drive the host: TimeZoneChange runs the JS task, seen in the tree', async () => {
    const t0 = Date.now();
    const fired = new Promise((r) => {
      const sub = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event === 'bgtask.trace' && e.body.event === 'fired' && e.body.task === 'TimeZoneTask') {
          sub.dispose();
          r(Date.now() - t0);
        }
      });
    });
    const answer = await vscode.commands.executeCommand('bgtask.lifecycleEvents', 'system:TimeZoneChange');
    assert.deepStrictEqual(answer, { reached: 1 });
    console.log(`[it-bench] Lifecycle Events pick → its 'fired' trace event in the extension host: ${await fired} ms`);
    await until('TimeZoneTask completed', () => traces.find((e) => e.event === 'completed' && e.task === 'TimeZoneTask'));
    console.log(`[it-bench] Lifecycle Events pick → completed trace: ${Date.now() - t0} ms`);
    const item = await until('TimeZoneTask completed in the tree', async () => (await liveItems()).find((i) => i.label === 'TimeZoneTask' && i.contextValue === 'bgtask.live.completed'));
    assert.strictEqual(item.icon, 'pass');
    assert.ok(item.location && item.location.path.endsWith(path.join('js', 'timezonetask.js')), JSON.stringify(item.location));
    // Live registrations sit under their app's node, beside its static items.
    const tree = await vscode.commands.executeCommand('bgtask.tree.items', { refresh: true });
    const app = tree.find((a) => flatten(a.children).some((i) => i.contextValue === 'bgtask.live.completed' && i.label === 'TimeZoneTask'));
    assert.ok(app && /winjs$/.test(app.label), `the live item is under ${app && app.label}`);
    // The tree item's inline Run Now.
    assert.deepStrictEqual(await vscode.commands.executeCommand('bgtask.tree.runNow', { kind: 'live', label: 'TimeZoneTask' }), [{ reached: 1 }]);
    // Conditions and time, which Visual Studio's dropdown lacks.
    assert.deepStrictEqual((await vscode.commands.executeCommand('bgtask.changeCondition', 'internet')).state.internetAvailable, false);
    const adv = await vscode.commands.executeCommand('bgtask.advanceTime', '1h');
    assert.ok(adv.now >= 3600000, JSON.stringify(adv));
    assert.deepStrictEqual(await vscode.commands.executeCommand('bgtask.runTaskNow', 'TimeZoneTask'), { reached: 1 });
    assert.deepStrictEqual(await vscode.commands.executeCommand('bgtask.suspendApp'), { appState: 'suspended' });
    await until('the status bar says Suspended', async () => /Suspended · 01:\d\d:\d\d/.test((await vscode.commands.executeCommand('bgtask.host.status')).text || ''));
    assert.deepStrictEqual(await vscode.commands.executeCommand('bgtask.lifecycleEvents', { id: 'app:resume' }), { appState: 'running' });
  });

  test('the timeline webview opens and renders the trace; Export SVG writes a file', async function () {
    this.timeout(120000);
    await vscode.commands.executeCommand('bgtask.showTimeline');
    let last;
    const status = await until('the timeline rendered', async () => {
      last = await vscode.commands.executeCommand('bgtask.timeline.status');
      return last.rendered && last.rendered.items > 0 && last.rendered.lanes >= 2 && last;
    }, 100000).catch((e) => {
      throw new Error(`${e.message}; last status ${JSON.stringify(last)}`);
    });
    console.log(`[it-bench] timeline rendered ${status.rendered.items} items over ${status.rendered.lanes} lanes in ${status.rendered.ms.toFixed(1)} ms (${status.events} events)`);
    const out = vscode.Uri.joinPath(ws(), 'timeline.svg');
    await vscode.commands.executeCommand('bgtask.timeline.exportSvg', out);
    const svg = fs.readFileSync(out.fsPath, 'utf8');
    assert.match(svg, /^<svg xmlns/);
    assert.match(svg, /TimeZoneTask/);
  });

  test('Suspend and shutdown ends the session; the tree goes back to the static view', async () => {
    const ended = new Promise((r) => vscode.debug.onDidTerminateDebugSession((s) => s.id === session.id && r()));
    await vscode.commands.executeCommand('bgtask.lifecycleEvents', 'app:shutdown');
    await ended;
    await until('no live items left', async () => (await liveItems()).length === 0);
    assert.strictEqual((await vscode.commands.executeCommand('bgtask.host.status')).visible, false);
  });

  test('a breakpoint in a JS task stops there (the host runner under the inspector, a child js-debug session)', async function () {
    this.timeout(90000);
    const file = vscode.Uri.joinPath(ws(), 'winjs', 'js', 'timezonetask.js');
    const doc = await vscode.workspace.openTextDocument(file);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('progress = 50'));
    const bp = new vscode.SourceBreakpoint(new vscode.Location(file, new vscode.Position(line, 0)));
    vscode.debug.addBreakpoints([bp]);
    const stops = [];
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (s) => ({
        onDidSendMessage: (m) => {
          if (m.type === 'event' && m.event === 'stopped') stops.push({ session: s, body: m.body });
          if (s.type === 'bgtask' && m.type === 'event' && m.event === 'output' && /^bgtask:/.test(m.body.output)) console.log(`[it-debug] ${m.body.output.trim()}`);
        },
      }),
    });
    const children = [];
    const sub = vscode.debug.onDidStartDebugSession((s) => s.type !== 'bgtask' && children.push(s));
    const ran = () => traces.filter((e) => e.event === 'completed' && e.task === 'TimeZoneTask').length;
    const starts = () => traces.filter((e) => e.event === 'started' && e.task === 'TimeZoneTask').length;
    try {
      const sessionStarted = new Promise((r) => vscode.debug.onDidStartDebugSession((s) => s.type === 'bgtask' && r(s)));
      const manifest = vscode.Uri.joinPath(ws(), 'winjs', 'Package.appxmanifest').fsPath;
      const store = path.join(require('os').tmpdir(), `bgtask-it-bp-${Date.now()}`);
      assert.strictEqual(await vscode.debug.startDebugging(vscode.workspace.workspaceFolders[0], { type: 'bgtask', request: 'launch', name: 'Task host: winjs (breakpoint)', folder: ws().fsPath, app: manifest, store }), true);
      session = await sessionStarted;
      const t0 = traces.length;
      await until('the host running (status bar item shown)', async () => (await vscode.commands.executeCommand('bgtask.host.status')).visible, 60000).catch(async (e) => {
        const direct = await Promise.race([session.customRequest('bgtask.registrations', {}).then((r) => `appState ${r.appState}`, (err) => `error ${err.message}`), new Promise((r) => setTimeout(() => r('no answer in 5 s'), 5000))]);
        throw new Error(`${e.message}; status ${JSON.stringify(await vscode.commands.executeCommand('bgtask.host.status'))}; bgtask.registrations: ${direct}; active session ${vscode.debug.activeDebugSession && vscode.debug.activeDebugSession.type}; trace since start: ${traces.slice(t0).map((x) => x.event).join(' ')}`);
      });
      // The host starts its runner processes (under the inspector) on the first run; each asks for a child session.
      await vscode.commands.executeCommand('bgtask.fireTrigger', 'TimeZoneChange');
      await until('a child JavaScript debug session attached to the task runner', () => children.length > 0, 30000);
      console.log(`[it-debug] child sessions: ${children.map((c) => `${c.type}:${c.name}`).join(', ')}`);
      // Fire until a run stops at the breakpoint: the first run may finish before js-debug has set it.
      const stop = await until('the breakpoint in timezonetask.js to be hit', async () => {
        const hit = stops.find((x) => x.body.reason === 'breakpoint' || (x.body.hitBreakpointIds && x.body.hitBreakpointIds.length));
        if (hit) return hit;
        if (starts() <= ran()) await vscode.commands.executeCommand('bgtask.fireTrigger', 'TimeZoneChange');
        await new Promise((r) => setTimeout(r, 300));
        return undefined;
      }, 45000);
      const frames = await stop.session.customRequest('stackTrace', { threadId: stop.body.threadId, startFrame: 0, levels: 1 });
      const top = frames.stackFrames[0];
      console.log(`[it-debug] stopped (${stop.body.reason}) in ${top.source && (top.source.path || top.source.name)}:${top.line}`);
      assert.ok(top.source && /timezonetask\.js$/.test(top.source.path || top.source.name), JSON.stringify(top.source));
      assert.strictEqual(top.line, line + 1);
      const n = ran();
      await stop.session.customRequest('continue', { threadId: stop.body.threadId });
      await until('TimeZoneTask completed after continuing', () => ran() > n, 30000);
    } finally {
      vscode.debug.removeBreakpoints([bp]);
      tracker.dispose();
      sub.dispose();
      if (session) await vscode.debug.stopDebugging(session);
    }
  });

  test('the timeline draws a 10,000-event trace opened from a file\'s events', async function () {
    this.timeout(90000);
    const events = [];
    let t = 0;
    for (let i = 0; i < 50; i++) events.push({ t, event: 'registered', task: `Task${i}`, taskId: `id${i}`, trigger: 'SystemTrigger(TimeZoneChange)' });
    for (let id = 0; events.length < 10000; id++) {
      t += 1000;
      const task = `Task${id % 50}`;
      const base = { task, taskId: `id${id % 50}` };
      events.push({ t, event: 'fired', ...base, trigger: 'TimeZoneChange' }, { t: t + 100, event: 'started', ...base, instanceId: `i${id}` }, { t: t + 300, event: 'progress', ...base, instanceId: `i${id}`, progress: 50 });
      events.push(id % 11 ? { t: t + 500, event: 'completed', ...base, instanceId: `i${id}` } : { t: t + 500, event: 'canceled', ...base, instanceId: `i${id}`, reason: 'Abort' });
    }
    events.length = 10000;
    const started = Date.now();
    await vscode.commands.executeCommand('bgtask.openTraceInTimeline', events);
    const status = await until('the 10,000-event timeline drawn', async () => {
      const s = await vscode.commands.executeCommand('bgtask.timeline.status');
      return s.rendered && s.events === 10000 && s.rendered.lanes === 50 && s;
    }, 60000);
    console.log(`[it-bench] timeline, 10,000 events: canvas draw ${status.rendered.ms.toFixed(1)} ms in the webview (${status.rendered.items} items drawn); open → drawn ${Date.now() - started} ms (layout, transfer and draw)`);
  });
});
