// Test helpers for the task host: a host with a recorded trace, short limits, and spec builders.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TaskHost, type AppModel } from '../../src/host/host';
import type { HostOptions, TraceEvent } from '../../src/host/types';
import type { BuilderSpec } from '../../src/host/worker/windowsApi';

export const REPO = process.env.BGTASK_REPO ?? path.resolve(__dirname, '../../..');
export const JS_FIXTURES = path.join(REPO, 'test/host/fixtures/js');

export function makeHost(options: HostOptions = {}, app?: AppModel): { host: TaskHost; trace: TraceEvent[] } {
  const host = new TaskHost({ deterministicIds: true, timeScale: 0.05, limits: { idleMs: 60_000, cancelGraceMs: 10_000, memoryMb: 32 }, ...options }, app);
  const trace: TraceEvent[] = [];
  host.on('trace', (e: TraceEvent) => trace.push(e));
  host.open();
  return { host, trace };
}

export function spec(name: string, trigger: BuilderSpec['trigger'], extra: Partial<BuilderSpec> = {}): BuilderSpec {
  return { name, entryPoint: `Tasks.${name}`, trigger, conditions: [], cancelOnConditionLoss: false, isNetworkRequested: false, ...extra };
}

export const sys = (t: string, oneShot = false) => ({ type: 'SystemTrigger', systemTriggerType: t, oneShot });

export function events(trace: TraceEvent[], event: string, task?: string): TraceEvent[] {
  return trace.filter((e) => e.event === event && (task === undefined || e.task === task));
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-host-test-'));
}

export async function waitFor(trace: TraceEvent[], pred: (e: TraceEvent) => boolean, ms = 5000): Promise<TraceEvent> {
  const end = Date.now() + ms;
  for (;;) {
    const hit = trace.find(pred);
    if (hit) return hit;
    if (Date.now() > end) throw new Error(`timed out; trace: ${trace.map((e) => `${e.event}:${e.task ?? ''}`).join(' ')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
