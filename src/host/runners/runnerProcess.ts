// One runner process seen from the host: spawned (the sandbox runner under Node's permission model,
// or an external runner command), a `hello` handshake before anything else, JSON lines both ways,
// stderr forwarded as text, exit reported once. Writes made before the handshake wait for it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { PROTOCOL_VERSION, type HostToRunner } from '../protocol';

export type RunnerMessage = Record<string, unknown> & { op?: unknown };

export interface RunnerProcessOptions {
  kind: 'sandbox' | 'external';
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  hello: Extract<HostToRunner, { op: 'hello' }>;
  /** The sandbox must prove the permission model holds (its self-check) before it gets code. */
  requireSandbox?: boolean;
  /** How long the handshake may take (real ms). */
  helloTimeoutMs?: number;
}

export interface RunnerProcessEvents {
  message(m: RunnerMessage): void;
  stderr(text: string): void;
  exit(why: string): void;
  inspector?(info: { pid: number; port: number; url: string }): void;
}

export class RunnerProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  failed?: string;
  exited = false;
  /** The runner's CPU (real ms) when it answered the handshake: what its boot cost, not any task's. */
  helloCpuMs?: number;
  private handshakeDone = false;
  private queued: string[] = [];

  constructor(o: RunnerProcessOptions, private readonly events: RunnerProcessEvents) {
    let resolveReady!: () => void;
    this.ready = new Promise<void>((r) => (resolveReady = r));
    this.child = spawn(o.command, o.args, { cwd: o.cwd, env: o.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const child = this.child;
    const helloTimer = setTimeout(() => this.fail(`the ${o.kind} runner did not answer the handshake within ${o.helloTimeoutMs ?? 10_000} ms`), o.helloTimeoutMs ?? 10_000);
    helloTimer.unref();
    child.stdin!.on('error', () => undefined); // EPIPE when the runner died: its exit reports it
    eachLine(child.stdout!, (raw) => {
      const line = raw.trim();
      if (!line || this.failed) return;
      let m: RunnerMessage;
      try {
        m = JSON.parse(line);
      } catch {
        this.events.stderr(`runner printed a line that is not JSON: ${line.slice(0, 200)}`);
        return;
      }
      if (!m || typeof m !== 'object' || Array.isArray(m)) {
        this.events.stderr(`runner printed ${line.slice(0, 200)}, not a message object`);
        return;
      }
      if (this.handshakeDone) {
        this.events.message(m);
        return;
      }
      clearTimeout(helloTimer);
      const sb = m.sandbox as { fs?: boolean; childProcess?: boolean } | undefined;
      if (m.op !== 'hello' && m.op !== 'ready') this.fail(`the ${o.kind} runner sent '${JSON.stringify(m.op) ?? 'nothing'}' before the handshake (protocol ${PROTOCOL_VERSION} starts with hello)`);
      else if (m.protocol !== PROTOCOL_VERSION) this.fail(`the ${o.kind} runner speaks protocol ${JSON.stringify(m.protocol) ?? 'none'}, the host ${PROTOCOL_VERSION}`);
      else if (o.requireSandbox && !(sb?.fs && sb.childProcess)) this.fail('the sandbox could not be enforced (Node\'s permission model is not active in the runner process), so no task code runs');
      if (this.failed) return;
      this.handshakeDone = true;
      if (typeof m.cpuMs === 'number') this.helloCpuMs = m.cpuMs;
      for (const q of this.queued.splice(0)) this.write(q);
      resolveReady();
    });
    const stderrRest = eachLine(child.stderr!, (raw) => {
      const line = raw.trimEnd();
      const inspector = /Debugger listening on (ws:\/\/127\.0\.0\.1:(\d+)\/\S+)/.exec(line);
      if (inspector) this.events.inspector?.({ pid: child.pid ?? 0, port: Number(inspector[2]), url: inspector[1] });
      else if (line && !/^For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector|^Debugger attached\.|^Waiting for the debugger to disconnect/.test(line)) this.events.stderr(line);
    });
    child.on('error', (e) => this.fail(`the ${o.kind} runner failed to start: ${e.message}`));
    child.on('exit', (code, signal) => {
      clearTimeout(helloTimer);
      const rest = stderrRest().trim();
      if (rest) this.events.stderr(rest);
      this.exited = true;
      if (!this.handshakeDone && !this.failed) this.failed = `the ${o.kind} runner exited (${signal ?? `code ${code}`}) before the handshake`;
      resolveReady();
      this.events.exit(this.failed ?? `the ${o.kind} runner exited (${signal ?? `code ${code}`})`);
    });
    this.write(JSON.stringify(o.hello), true);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private fail(why: string): void {
    if (this.failed) return;
    this.failed = why;
    this.kill();
  }

  private write(line: string, force = false): void {
    if (this.exited) return;
    if (!this.handshakeDone && !force) {
      this.queued.push(line);
      return;
    }
    this.child.stdin!.write(line + '\n');
  }

  send(msg: HostToRunner): void {
    this.write(JSON.stringify(msg));
  }

  kill(): void {
    if (this.exited) return;
    try {
      this.child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Close stdin (the runner exits on end); kill it if it has not gone within `graceMs`. */
  close(graceMs = 500): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.stdin!.end();
      setTimeout(() => this.kill(), graceMs).unref();
    });
  }
}

/** Call `fn` with each complete line of a text stream; returns a function that gives the unterminated rest. */
function eachLine(stream: Readable, fn: (line: string) => void): () => string {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      fn(line);
    }
  });
  return () => buffer;
}

/** The bundled sandbox runner script, next to the host's bundle (dist/) or the transpiled sources. */
export function sandboxScript(): string {
  // dist/ when bundled; from the transpiled sources (out/src/host/runners), the repository's dist/.
  const candidates = [path.join(__dirname, 'sandboxRunner.js'), ...[1, 2, 3, 4].map((up) => path.join(__dirname, ...Array<string>(up).fill('..'), 'dist', 'sandboxRunner.js'))];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`the sandbox runner script was not found (looked in ${candidates.join(', ')}); run the build`);
  return found;
}

/** The Node that runs the sandbox: this process's own, or (inside Electron, as in desktop VS Code) a Node.js on PATH. */
export interface RunnerNode {
  command: string;
  /** Environment the command needs (Electron runs as Node with ELECTRON_RUN_AS_NODE). */
  env: NodeJS.ProcessEnv;
  /** The flag of Node's permission model on that Node, if it has one. */
  permission?: string;
  /** Whether it can keep the inspector on under the permission model. */
  inspectorWithPermission: boolean;
}

let chosen: RunnerNode | undefined;

export function runnerNode(): RunnerNode {
  if (chosen) return chosen;
  if (!process.versions.electron) {
    const flags = process.allowedNodeEnvironmentFlags;
    return (chosen = {
      command: process.execPath,
      env: process.platform === 'win32' ? { SystemRoot: process.env.SystemRoot } : {},
      permission: flags.has('--permission') ? '--permission' : flags.has('--experimental-permission') ? '--experimental-permission' : undefined,
      inspectorWithPermission: flags.has('--allow-inspector'),
    });
  }
  // Electron's Node may not carry the permission model: a Node.js 20+ on PATH does.
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, process.platform === 'win32' ? 'node.exe' : 'node');
    if (!fs.existsSync(candidate)) continue;
    const out = spawnSync(candidate, ['--version'], { encoding: 'utf8', timeout: 5000, windowsHide: true });
    const major = Number(/^v(\d+)\./.exec(out.stdout ?? '')?.[1]);
    if (major >= 20) return (chosen = { command: candidate, env: {}, permission: major >= 23 ? '--permission' : '--experimental-permission', inspectorWithPermission: false });
  }
  return (chosen = { command: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' }, permission: '--experimental-permission', inspectorWithPermission: false });
}

/**
 * The Node flags that sandbox a runner: read only the app folder and the runner script, no child
 * processes, no writes (Node's permission model; `--experimental-permission` on Node 20–22,
 * `--permission` from 23). With `inspect`, Node 20 turns the inspector off under the permission
 * model, so a debugging session keeps only the vm boundary unless its Node can keep both. Whether
 * the model holds is not assumed: the runner proves it at the handshake.
 */
export function sandboxFlags(appFolder: string, script: string, memoryMb: number, inspect: boolean, node: RunnerNode = runnerNode()): { args: string[]; enforced: boolean } {
  const enforce = !!node.permission && (!inspect || node.inspectorWithPermission);
  const args = ['--no-warnings', `--max-old-space-size=${Math.max(8, Math.round(memoryMb))}`, '--stack-size=984'];
  if (enforce) {
    args.push(node.permission!, `--allow-fs-read=${appFolder}`, `--allow-fs-read=${script}`, '--allow-worker');
    if (inspect) args.push('--allow-inspector');
  }
  if (inspect) args.push('--inspect=127.0.0.1:0');
  args.push(script);
  return { args, enforced: enforce };
}
