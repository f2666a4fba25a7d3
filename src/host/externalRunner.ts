// The host side of the external runner protocol (DESIGN.md, version 1): JSON lines over a child
// process's stdio, routed by instanceId. A runner that spins is killed and restarted on the next run.
import { spawn, type ChildProcess } from 'node:child_process';
import { dispatchRunnerMessage, type RunHandle, type RunnerEvents, type TaskRunner } from './jsRunner';
import { PROTOCOL_VERSION, type RunMessage } from './protocol';

export class ExternalRunner implements TaskRunner {
  private child?: ChildProcess;
  private readonly routes = new Map<string, RunnerEvents>();
  private buffer = '';
  private protocolError?: string;

  constructor(private readonly command: string[], private readonly cwd?: string) {}

  private ensure(): ChildProcess {
    if (this.child && this.child.exitCode === null && !this.child.killed) return this.child;
    const [cmd, ...args] = this.command;
    const child = spawn(cmd, args, { cwd: this.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.buffer = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (line) this.onLine(line);
      }
    });
    child.stderr!.resume();
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      for (const [id, events] of this.routes) {
        this.routes.delete(id);
        events.died(`external runner exited (${signal ?? code})`);
      }
    });
    child.on('error', (e) => {
      for (const [id, events] of this.routes) {
        this.routes.delete(id);
        events.died(`external runner failed to start: ${e.message}`);
      }
    });
    return child;
  }

  private onLine(line: string): void {
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(line);
    } catch {
      return;
    }
    if (m.op === 'ready') {
      if (m.protocol !== PROTOCOL_VERSION) this.protocolError = `external runner speaks protocol ${String(m.protocol)}, the host ${PROTOCOL_VERSION}`;
      return;
    }
    const id = String(m.instanceId ?? '');
    const events = this.routes.get(id);
    if (m.op === 'done') this.routes.delete(id);
    dispatchRunnerMessage(m, events);
  }

  run(msg: RunMessage, events: RunnerEvents): RunHandle {
    if (this.protocolError) {
      setImmediate(() => events.died(this.protocolError!));
      return { cancel: () => undefined, terminate: () => undefined };
    }
    const child = this.ensure();
    this.routes.set(msg.instanceId, events);
    // The protocol's run message carries only what any runtime can use; code is loaded by the runner.
    const { op, instanceId, entryPoint, trigger, triggerDetails, task, settings, idleMs } = msg;
    child.stdin!.write(JSON.stringify({ op, protocol: PROTOCOL_VERSION, instanceId, entryPoint, trigger, triggerDetails, task, settings, idleMs }) + '\n');
    return {
      cancel: (reason) => {
        if (this.routes.has(msg.instanceId)) child.stdin!.write(JSON.stringify({ op: 'cancel', instanceId: msg.instanceId, reason }) + '\n');
      },
      terminate: () => {
        if (!this.routes.has(msg.instanceId)) return;
        child.kill('SIGKILL');
      },
    };
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin!.end();
      setTimeout(() => child.kill('SIGKILL'), 500).unref();
    });
  }
}
