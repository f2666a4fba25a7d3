// A DebugClient over the bundled adapter process (dist/debugAdapter.js) that records `bgtask.trace`
// and output events, answers reverse requests (startDebugging) and exposes the adapter's PID.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const REPO = process.env.BGTASK_REPO ?? path.resolve(__dirname, '../../..');
export const ADAPTER = path.join(REPO, 'dist', 'debugAdapter.js');
export const FIXTURE = path.join(REPO, 'test/debug/fixtures/jsapp');

export type Trace = Record<string, unknown> & { t: number; event: string; task?: string; instanceId?: string };

export class BgtaskClient extends DebugClient {
  readonly trace: Trace[] = [];
  readonly output: string[] = [];
  readonly reverse: DebugProtocol.Request[] = [];
  readonly store = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-dap-'));

  constructor() {
    super(process.execPath, ADAPTER, 'bgtask');
    this.on('bgtask.trace', (e: DebugProtocol.Event) => this.trace.push(e.body));
    this.on('output', (e: DebugProtocol.OutputEvent) => this.output.push(e.body.output));
    // The test-support client drops requests coming from the adapter: record them and answer success.
    const self = this as unknown as { dispatch(body: string): void; outputStream: NodeJS.WritableStream };
    const dispatch = self.dispatch.bind(this);
    self.dispatch = (body: string) => {
      const msg = JSON.parse(body) as DebugProtocol.ProtocolMessage;
      if (msg.type !== 'request') return dispatch(body);
      const req = msg as DebugProtocol.Request;
      this.reverse.push(req);
      const json = JSON.stringify({ type: 'response', seq: 0, request_seq: req.seq, command: req.command, success: true });
      self.outputStream.write(`Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`, 'utf8');
    };
  }

  get pid(): number | undefined {
    return (this as unknown as { _adapterProcess?: { pid: number } })._adapterProcess?.pid;
  }

  /** initialize → initialized → configurationDone → launch, as VS Code does it. */
  async launchHost(args: Record<string, unknown>, init: DebugProtocol.InitializeRequestArguments = { adapterID: 'bgtask', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true, supportsStartDebuggingRequest: true }): Promise<DebugProtocol.LaunchResponse> {
    await this.start();
    const initialized = this.waitForEvent('initialized', 10_000);
    await this.initializeRequest(init);
    await initialized;
    await this.configurationDoneRequest();
    return this.launchRequest({ store: this.store, trusted: true, ...args } as DebugProtocol.LaunchRequestArguments);
  }

  /** Poll the recorded trace until an event matches. */
  async traced(pred: (e: Trace) => boolean, what: string, ms = 10_000): Promise<Trace> {
    const end = Date.now() + ms;
    for (;;) {
      const hit = this.trace.find(pred);
      if (hit) return hit;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; trace: ${this.trace.map((e) => `${e.event}:${e.task ?? ''}`).join(' ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async request<T = Record<string, unknown>>(command: string, args?: unknown): Promise<T> {
    const r = await this.customRequest(command, args);
    return r.body as T;
  }

  /** The error message of a request expected to fail. */
  async rejected(command: string, args?: unknown): Promise<string> {
    try {
      await this.customRequest(command, args);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`${command} ${JSON.stringify(args)} succeeded but should have failed`);
  }

  cleanup(): void {
    fs.rmSync(this.store, { recursive: true, force: true });
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
