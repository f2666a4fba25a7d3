// Runs JS/TS task code for the host: in worker threads with heap limits, one fresh worker per
// instance, with a warm spare so a fire does not pay for a worker start. A worker that spins or eats
// memory is terminated; the host lives on.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RunMessage } from './protocol';

export interface RunnerEvents {
  begin(): void;
  progress(value: number): void;
  log(text: string): void;
  settings(key: string, value: unknown, deleted: boolean): void;
  deferral(id: number): void;
  deferralComplete(id: number): void;
  idle(): void;
  done(result: { error?: string; succeeded?: boolean }): void;
  /** The runner died under the task (out of memory, killed): no Canceled reached the code. */
  died(error: string): void;
}

export interface RunHandle {
  cancel(reason: string): void;
  /** Stop the code now (after the cancel grace period). */
  terminate(): void;
  /**
   * CPU quota (§4): pause the code until resume(). Worker threads block in Atomics.wait when they
   * next take a message, so code that is between awaits stops at once; a synchronous loop runs on
   * until it yields (a worker cannot be stopped mid-statement from outside).
   */
  suspend?(): void;
  resume?(suspendedCount: number): void;
  /**
   * Active time of the code's thread in real ms, cumulative, for the CPU quota: the worker's event
   * loop utilization read from the host thread (`worker.performance.eventLoopUtilization().active`),
   * which counts a spinning loop too. It stands for CPU time: Node 20 has no per-thread CPU clock
   * (`process.threadCpuUsage` is Node 23.9+; `process.cpuUsage()` in a worker is process-wide).
   */
  cpuMs?(): number;
}

export interface TaskRunner {
  run(msg: RunMessage, events: RunnerEvents): RunHandle;
  close(): Promise<void>;
}

export function workerScript(): string {
  const candidates = [
    path.join(__dirname, 'taskWorker.js'),
    path.join(__dirname, 'worker', 'taskWorker.js'),
    path.join(__dirname, '..', 'worker', 'taskWorker.js'),
  ];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`task worker script not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Dispatch one runner message (worker or external) to the events of its instance. */
export function dispatchRunnerMessage(m: Record<string, unknown>, events: RunnerEvents | undefined): void {
  if (!events) return;
  switch (m.op) {
    case 'begin': events.begin(); break;
    case 'progress': events.progress(Number(m.value)); break;
    case 'log': events.log(String(m.text ?? '')); break;
    case 'settings': events.settings(String(m.key), m.value, !!m.deleted); break;
    case 'deferral': events.deferral(Number(m.id)); break;
    case 'deferral-complete': events.deferralComplete(Number(m.id)); break;
    case 'idle': events.idle(); break;
    case 'done': events.done({ error: typeof m.error === 'string' ? m.error : undefined, succeeded: m.succeeded as boolean | undefined }); break;
  }
}

/** How long a run may keep the pool without a spare before one is started anyway (see run()). */
export const REFILL_DELAY_MS = 50;

export class WorkerPool implements TaskRunner {
  private spare: Worker[] = [];
  /** Spares that have booted (posted `ready`): a run on one of them pays no start-up. */
  private readonly booted = new WeakMap<Worker, Promise<void>>();
  private readonly live = new Set<Worker>();
  private closed = false;

  constructor(private readonly memoryMb: number, private readonly warm = 1, private readonly script = workerScript()) {
    this.fill();
  }

  private spawn(): Worker {
    const w = new Worker(this.script, {
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: Math.min(16, this.memoryMb) },
      stdout: true,
      stderr: true,
    });
    this.live.add(w);
    w.on('exit', () => this.live.delete(w));
    // A spare must not keep the process alive; a running one does.
    w.unref();
    return w;
  }

  private fill(): void {
    while (!this.closed && this.spare.length < this.warm) {
      const w = this.spawn();
      w.on('error', () => {
        this.spare = this.spare.filter((s) => s !== w);
      });
      this.booted.set(
        w,
        new Promise<void>((resolve) => {
          const onReady = (m: Record<string, unknown>) => {
            if (m?.op !== 'ready') return;
            w.off('message', onReady);
            resolve();
          };
          w.on('message', onReady);
          w.once('exit', () => resolve());
        }),
      );
      this.spare.push(w);
    }
  }

  /** Resolves when the spare workers have booted (starting any that are missing). */
  async ready(): Promise<void> {
    this.fill();
    await Promise.all(this.spare.map((w) => this.booted.get(w)));
  }

  run(msg: RunMessage, events: RunnerEvents): RunHandle {
    const w = this.spare.shift() ?? this.spawn();
    w.removeAllListeners('error');
    w.removeAllListeners('message');
    let finished = false;
    // The replacement spare is started once this run is done, or REFILL_DELAY_MS after it began,
    // whichever is first: not at once, because `new Worker` blocks this thread for ~1–2 ms and the
    // spare's boot competes for the CPU with the task just started (on a 2-core machine that put
    // Fire → Run start at p50 1.5 ms / p99 30+ ms against a 0.1 ms worker round trip).
    let refill: NodeJS.Timeout | undefined = setTimeout(() => this.fill(), REFILL_DELAY_MS);
    refill.unref();
    const refillSoon = () => {
      if (!refill) return;
      clearTimeout(refill);
      refill = undefined;
      setImmediate(() => this.fill());
    };
    const end = () => {
      if (finished) return;
      finished = true;
      refillSoon();
      void w.terminate();
    };
    w.ref();
    let lastCpu = 0;
    const cpuMs = () => {
      if (finished) return lastCpu;
      try {
        lastCpu = w.performance.eventLoopUtilization().active;
      } catch {
        // the thread is gone: keep the last reading
      }
      return lastCpu;
    };
    let gate: Int32Array | undefined;
    const release = () => {
      if (!gate) return;
      Atomics.store(gate, 0, 0);
      Atomics.notify(gate, 0);
    };
    w.on('message', (m: Record<string, unknown>) => {
      if (finished || m.op === 'ready') return;
      if (m.op === 'done') {
        cpuMs();
        end();
      }
      dispatchRunnerMessage(m, events);
    });
    w.on('error', (e: Error & { code?: string }) => {
      if (finished) return;
      end();
      events.died(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `terminated: out of memory (worker heap limit ${this.memoryMb} MB)` : `worker error: ${e.message}`);
    });
    w.on('exit', (code) => {
      if (finished) return;
      finished = true;
      refillSoon();
      events.died(`worker exited with code ${code}`);
    });
    w.postMessage(msg);
    return {
      cancel: (reason) => {
        if (!finished) w.postMessage({ op: 'cancel', instanceId: msg.instanceId, reason });
      },
      terminate: () => {
        if (finished) return;
        release();
        end();
        events.died('terminated: the code did not finish after cancellation');
      },
      suspend: () => {
        if (finished) return;
        gate ??= new Int32Array(new SharedArrayBuffer(4));
        Atomics.store(gate, 0, 1);
        w.postMessage({ op: 'suspend', gate: gate.buffer });
      },
      resume: (suspendedCount) => {
        if (finished) return;
        release();
        w.postMessage({ op: 'resume', suspendedCount });
      },
      cpuMs,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.spare = [];
    await Promise.all([...this.live].map((w) => w.terminate()));
  }
}
