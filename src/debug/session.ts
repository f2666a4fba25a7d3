// The `bgtask` debug session: DAP over the task host (DESIGN.md "Debug adapter"). launch opens the
// host with a live clock, the custom requests drive it (commands.ts), every trace event goes out as
// an `output` line and a `bgtask.trace` event, threads are the app and its running task instances.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContinuedEvent, DebugSession, Event, ExitedEvent, InitializedEvent, OutputEvent, Scope, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread, ThreadEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { formatTime, formatTrace } from '../host/format';
import { ScenarioError, parseScenario, replay } from '../host/scenario';
import { openHostSession, type HostSession } from '../host/session';
import type { HostOptions, TraceEvent } from '../host/types';
import { RequestError, registrySnapshot, runCustomRequest } from './commands';
import { consoleRequest } from './console';
import { APP_THREAD_ID, InstanceTracker, SourceLocator, threadName, type LiveInstance } from './instances';
import { resolveLaunch, type BgtaskLaunchArguments } from './launchConfig';

type Variable = DebugProtocol.Variable;

/** Frame ids: the thread id (one frame per thread). */
export class BgtaskDebugSession extends DebugSession {
  private session?: HostSession;
  private readonly instances = new InstanceTracker();
  private locator?: SourceLocator;
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((r) => (this.configured = r));
  private readonly varRefs = new Map<number, () => Variable[]>();
  private nextRef = 1;
  private ending = false;
  private closing?: Promise<void>;
  private manifestPath?: string;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsTerminateRequest: true,
      supportsEvaluateForHovers: false,
      supportSuspendDebuggee: false,
      supportTerminateDebuggee: true,
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configured();
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments & BgtaskLaunchArguments): Promise<void> {
    let resolved;
    try {
      resolved = resolveLaunch(args);
    } catch (error) {
      return this.fail(response, error);
    }
    // Launch waits for the client's configuration (breakpoints) as DAP asks; a client that never sends it is not waited for long.
    await Promise.race([this.configurationDone, new Promise((r) => setTimeout(r, 2000))]);
    // Interactive sessions follow wall time; a scenario replays on the virtual clock so its trace is the same on every run.
    const extra: Record<string, unknown> = { clock: resolved.scenario ? 'virtual' : 'live', inspect: resolved.inspect };
    try {
      this.session = await openHostSession({ ...resolved.options, onTrace: (ev) => this.onTrace(ev), hostOptions: extra as Partial<HostOptions> });
    } catch (error) {
      return this.fail(response, new RequestError(`launch: could not open the task host on ${resolved.options.folder}: ${(error as Error).message}`));
    }
    const { host, app } = this.session;
    this.locator = new SourceLocator(resolved.options.folder, app);
    this.manifestPath = findManifest(app.folder);
    host.on('inspector', (info: { pid: number; port: number; url?: string }) => this.attachInspector(info));
    for (const note of resolved.notes) this.out(`bgtask: ${note}\n`, 'important');
    this.out(`bgtask: task host on ${app.folder} (profile ${host.profile}, ${host.registrations().length} registration(s) restored)\n`, 'console');
    this.sendResponse(response);
    if (resolved.launchApp) await host.lifecycle('launch');
    if (resolved.scenario) void this.runScenario(resolved.scenario);
  }

  private async runScenario(file: string): Promise<void> {
    const host = this.session?.host;
    if (!host) return;
    try {
      const sc = parseScenario(fs.readFileSync(file, 'utf8'), file);
      const result = await replay(host, sc);
      this.out(result.ok ? `bgtask: scenario ${path.basename(file)}: every expectation held\n` : `bgtask: ${file}:${result.failed?.line}: step ${(result.failed?.index ?? 0) + 1} failed: ${result.failed?.message}\n`, result.ok ? 'console' : 'stderr');
      this.sendEvent(new Event('bgtask.scenario', { file, ok: result.ok, failed: result.failed }));
    } catch (error) {
      const e = error as Error;
      this.out(`bgtask: ${e instanceof ScenarioError ? `${e.file}:${e.line}: ${e.reason}` : e.message}\n`, 'stderr');
      this.sendEvent(new Event('bgtask.scenario', { file, ok: false, failed: { message: e.message } }));
    }
  }

  private onTrace(ev: TraceEvent): void {
    const error = ev.event === 'failed' || ev.event === 'registration-failed' || ev.level === 'error' || (ev.event === 'expectation' && ev.ok === false);
    this.out(formatTrace(ev) + '\n', error ? 'stderr' : 'stdout');
    this.sendEvent(new Event('bgtask.trace', ev));
    const { started, ended } = this.instances.onTrace(ev);
    if (started) this.sendEvent(new ThreadEvent('started', started.threadId));
    if (ended) this.sendEvent(new ThreadEvent('exited', ended.threadId));
  }

  private out(text: string, category: string): void {
    this.sendEvent(new OutputEvent(text, category));
  }

  private fail(response: DebugProtocol.Response, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.sendErrorResponse(response, { id: 1, format: message.replace(/\{/g, '{{').replace(/\}/g, '}}'), showUser: true });
  }

  /**
   * The host runs JS task code under the inspector: tell the client, which attaches a child js-debug
   * session (a `bgtask.inspector` event; DAP's startDebugging would start a session of *this* type).
   */
  private attachInspector(info: { pid: number; port: number; url?: string }): void {
    if (!info.port) return;
    this.out(`bgtask: task code runs under the inspector on 127.0.0.1:${info.port} (pid ${info.pid})\n`, 'console');
    this.sendEvent(new Event('bgtask.inspector', { pid: info.pid, port: info.port, address: '127.0.0.1', url: info.url }));
  }

  protected override async customRequest(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    const host = this.session?.host;
    if (!host) return this.fail(response, new RequestError(`${command}: the task host is not running (launch first)`));
    try {
      // The trace does not carry TriggerDetails: keep what this request passes, for the Instance scope.
      const a = (args ?? {}) as { trigger?: unknown; details?: unknown; arguments?: unknown; payload?: unknown };
      if (command === 'bgtask.fire' && typeof a.trigger === 'string') this.instances.noteDetails(a.trigger, a.details);
      if (command === 'bgtask.applicationTrigger') this.instances.noteDetails('ApplicationTrigger', { arguments: a.arguments ?? {} });
      if (command === 'bgtask.push') this.instances.noteDetails('PushNotificationTrigger', { content: a.payload ?? '' });
      response.body = await runCustomRequest(host, command, args);
      if (command === 'bgtask.registrations') this.addLocations(response.body as { registrations: Array<{ entryPoint?: string; location?: unknown }>; appFolder?: string });
      this.sendResponse(response);
    } catch (error) {
      return this.fail(response, error);
    }
    // "Suspend and shutdown" ends the session, as Visual Studio does.
    if (command === 'bgtask.lifecycle' && host.appState === 'notRunning' && ['shutdown', 'terminate'].includes(String((args as { action?: unknown }).action))) this.end(0);
  }

  /** The tree's live items go to the code: the JS file or the Run method of the registration's class. */
  private addLocations(body: { registrations: Array<{ entryPoint?: string; location?: unknown }>; appFolder?: string }): void {
    body.appFolder = this.session?.app.folder;
    for (const r of body.registrations) {
      const where = this.locator?.locate(r.entryPoint);
      if (where) r.location = { path: where.path, line: where.line };
    }
  }

  private end(code: number): void {
    if (this.ending) return;
    this.ending = true;
    this.sendEvent(new ExitedEvent(code));
    this.sendEvent(new TerminatedEvent());
  }

  // ---- threads, stack, variables ----------------------------------------------------------------

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const host = this.session?.host;
    const app = `App · ${host ? appStateText(host.appState) : 'not started'}${host ? ` · ${formatTime(host.clock.now())}` : ''}`;
    response.body = { threads: [new Thread(APP_THREAD_ID, app), ...this.instances.all().map((i) => new Thread(i.threadId, threadName(i)))] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const frames: StackFrame[] = [];
    if (args.threadId === APP_THREAD_ID) {
      const host = this.session?.host;
      const f = new StackFrame(APP_THREAD_ID, `App (${host ? appStateText(host.appState) : 'not started'})`, this.manifestPath ? new Source(path.basename(this.manifestPath), this.manifestPath) : undefined, 1, 1);
      frames.push(f);
    } else {
      const inst = this.instances.byThread(args.threadId);
      if (inst) frames.push(this.instanceFrame(inst));
    }
    response.body = { stackFrames: frames, totalFrames: frames.length };
    this.sendResponse(response);
  }

  private instanceFrame(inst: LiveInstance): StackFrame {
    const reg = this.session?.host.registrations().find((r) => r.taskId === inst.taskId);
    const where = this.locator?.locate(reg?.entryPoint);
    const name = where?.name ?? `${reg?.entryPoint ?? inst.task}.Run`;
    const frame = new StackFrame(inst.threadId, `${name}${inst.runner === 'modeled' ? ' (modeled: no code runs)' : ''}`, where ? new Source(path.basename(where.path), where.path) : undefined, where?.line ?? 0, where?.column ?? 0);
    if (!where) frame.presentationHint = 'label';
    return frame;
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    if (this.varRefs.size > 5000) this.varRefs.clear();
    const scopes: Scope[] = [];
    const inst = this.instances.byThread(args.frameId);
    if (inst) scopes.push(new Scope('Instance', this.ref(() => this.instanceVars(inst)), false));
    scopes.push(new Scope('System state', this.ref(() => this.stateVars()), false));
    scopes.push(new Scope('Registrations', this.ref(() => this.registrationVars()), false));
    response.body = { scopes };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const make = this.varRefs.get(args.variablesReference);
    response.body = { variables: make ? make() : [] };
    this.sendResponse(response);
  }

  private ref(make: () => Variable[]): number {
    const id = this.nextRef++;
    this.varRefs.set(id, make);
    return id;
  }

  private variable(name: string, value: unknown): Variable {
    if (value && typeof value === 'object') {
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      const summary = Array.isArray(value) ? `[${value.length}]` : JSON.stringify(value).slice(0, 120);
      return { name, value: summary, variablesReference: entries.length ? this.ref(() => entries.map(([k, v]) => this.variable(k, v))) : 0 };
    }
    return { name, value: value === undefined ? 'undefined' : typeof value === 'string' ? value : JSON.stringify(value), variablesReference: 0 };
  }

  private instanceVars(inst: LiveInstance): Variable[] {
    const reg = this.session?.host.registrations().find((r) => r.taskId === inst.taskId);
    const cls = reg?.entryPoint ? this.session?.app.classes.get(reg.entryPoint) : undefined;
    // The host reports outstanding deferrals per running instance (after its rework); else a modeled class's facts say.
    const live = this.session?.host.running().find((r) => r.instanceId === inst.instanceId) as { deferrals?: number } | undefined;
    const deferrals = cls?.run?.deferrals;
    const fields: Record<string, unknown> = {
      task: inst.task,
      instanceId: inst.instanceId,
      trigger: inst.trigger,
      runner: inst.runner,
      startedAt: formatTime(inst.startedAt),
      progress: inst.progress ?? 0,
      suspendedCount: inst.suspendedCount,
      triggerDetails: inst.triggerDetails ?? null,
      // Only a modeled instance's deferrals are known (from the facts); JS deferrals are not traced by the host.
      outstandingDeferrals: typeof live?.deferrals === 'number' ? live.deferrals : deferrals ? deferrals.filter((d) => !d.completed).length : 'unknown',
      cancelReason: inst.cancelReason ?? null,
    };
    return Object.entries(fields).map(([k, v]) => this.variable(k, v));
  }

  private stateVars(): Variable[] {
    const host = this.session?.host;
    if (!host) return [];
    const fields: Record<string, unknown> = { app: host.appState, virtualTime: formatTime(host.clock.now()), ...host.state };
    return Object.entries(fields).map(([k, v]) => this.variable(k, v));
  }

  private registrationVars(): Variable[] {
    const host = this.session?.host;
    if (!host) return [];
    const snap = registrySnapshot(host);
    return (snap.registrations as Array<Record<string, unknown>>).map((r) => {
      const state = (r.running as string[]).length ? 'running' : r.latched ? `latched on ${(r.latched as string[]).join(', ')}` : r.spent ? 'spent' : 'registered';
      const v = this.variable(String(r.name), r);
      v.value = `${r.trigger} · ${state}`;
      return v;
    });
  }

  /** The Debug Console takes the `bgtask host` prompt's commands. */
  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    const host = this.session?.host;
    if (!host) return this.fail(response, new RequestError('the task host is not running'));
    try {
      const req = consoleRequest(args.expression);
      if ('text' in req) {
        response.body = { result: req.text, variablesReference: 0 };
        return this.sendResponse(response);
      }
      const body = await runCustomRequest(host, req.command, req.args);
      const result = req.command === 'bgtask.registrations'
        ? (body.registrations as Array<Record<string, unknown>>).map((r) => `${r.name}  ${r.trigger}  ${(r.running as string[]).length ? 'running' : r.latched ? `latched on ${(r.latched as string[]).join(', ')}` : 'idle'}`).join('\n') || 'no registrations'
        : JSON.stringify(body);
      response.body = { result, variablesReference: 0 };
      this.sendResponse(response);
    } catch (error) {
      this.fail(response, error);
    }
  }

  // Pause shows a snapshot of a thread in the Call Stack (the host keeps running: tasks are not stopped).
  protected override pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): void {
    this.sendResponse(response);
    this.sendEvent(new StoppedEvent('pause', args.threadId));
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    this.sendEvent(new ContinuedEvent(args.threadId, true));
  }

  // ---- the end ---------------------------------------------------------------------------------

  private close(): Promise<void> {
    this.closing ??= (async () => {
      const s = this.session;
      this.session = undefined;
      if (!s) return;
      // Close stops workers and external runners and saves the registry; never wait past 3 s for it.
      await Promise.race([s.close().catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())]);
    })();
    return this.closing;
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.close();
    this.sendResponse(response);
    this.end(0);
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    await this.close();
    this.sendResponse(response);
    this.shutdown();
  }

  override shutdown(): void {
    void this.close().finally(() => super.shutdown());
  }
}

function appStateText(s: string): string {
  return s === 'notRunning' ? 'not running' : s;
}

function findManifest(dir: string): string | undefined {
  try {
    const hit = fs.readdirSync(dir).find((n) => n.endsWith('.appxmanifest') || n.toLowerCase() === 'appxmanifest.xml');
    return hit ? path.join(dir, hit) : undefined;
  } catch {
    return undefined;
  }
}
