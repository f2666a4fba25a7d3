// Debugging benchmarks: a Lifecycle Events pick → its trace event, at the DAP level over the bundled
// adapter process (custom request sent → `bgtask.trace` received), beside a bare DAP round trip in
// the same loop (the floor); the timeline's layout + SVG of 10,000 events beside a JSON round trip of
// the same events (the floor); the .vsix's size and .js file count (production build, vsce).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fitViewport, layoutTimeline, timelineSvg } from '../../src/extension/debug/timelineLayout';
import type { TraceEvent } from '../../src/host/types';
import { BgtaskClient } from '../debug/dapClient';
import type { BenchRow } from './engine.bench';

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function pickToTrace(repo: string, n: number): Promise<{ pick: number[]; floor: number[] }> {
  const dc = new BgtaskClient();
  const pick: number[] = [];
  const floor: number[] = [];
  try {
    await dc.launchHost({ folder: path.join(repo, 'examples/csharp-uwp') });
    await dc.traced((e) => e.event === 'lifecycle', 'the app launched', 30_000);
    // A modeled C# task (no code runs), so the loop measures the adapter, not a runner.
    await dc.request('bgtask.register', { name: 'BenchTask', entryPoint: 'Tasks.ServicingComplete', trigger: 'ServicingComplete' });
    for (let i = 0; i < n + 20; i++) {
      let t0 = now();
      await dc.threadsRequest();
      const rt = now() - t0;
      t0 = now();
      const traced = new Promise<void>((resolve) => {
        const on = (e: DebugProtocol.Event) => {
          if (e.body?.event !== 'fired') return;
          dc.removeListener('bgtask.trace', on);
          resolve();
        };
        dc.on('bgtask.trace', on);
      });
      void dc.customRequest('bgtask.fire', { trigger: 'ServicingComplete' });
      await traced;
      const ms = now() - t0;
      if (i >= 20) {
        pick.push(ms);
        floor.push(rt);
      }
      // Let the modeled instance finish before the next pick.
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    await dc.stop().catch(() => undefined);
    dc.cleanup();
  }
  return { pick, floor };
}

/** 10,000 trace events: 50 registrations firing, latching, running with progress, completing or canceled, with lifecycle changes. */
export function syntheticTrace(count: number): TraceEvent[] {
  const evs: TraceEvent[] = [];
  let t = 0;
  let id = 0;
  for (let i = 0; i < 50 && evs.length < count; i++) evs.push({ t, event: 'registered', task: `Task${i}`, taskId: `id${i}`, trigger: 'SystemTrigger(TimeZoneChange)' });
  while (evs.length < count) {
    t += 1000;
    const i = id % 50;
    const task = `Task${i}`;
    const taskId = `id${i}`;
    const instanceId = `inst${id++}`;
    evs.push({ t, event: 'fired', task, taskId, trigger: 'TimeZoneChange' });
    if (id % 7 === 0) evs.push({ t, event: 'latched', task, taskId, waitingFor: ['InternetAvailable'] });
    evs.push({ t: t + 100, event: 'started', task, taskId, instanceId, trigger: 'TimeZoneChange' });
    evs.push({ t: t + 300, event: 'progress', task, taskId, instanceId, progress: 50 });
    if (id % 11 === 0) evs.push({ t: t + 500, event: 'canceled', task, taskId, instanceId, reason: 'Abort' });
    else evs.push({ t: t + 500, event: 'completed', task, taskId, instanceId });
    if (id % 97 === 0) evs.push({ t: t + 600, event: 'lifecycle', state: id % 2 ? 'suspended' : 'running' });
  }
  return evs.slice(0, count);
}

function timeline(n: number, runs: number): { ms: number[]; floor: number[]; items: number; svgBytes: number } {
  const events = syntheticTrace(n);
  const ms: number[] = [];
  const floor: number[] = [];
  let items = 0;
  let svgBytes = 0;
  for (let i = 0; i < runs; i++) {
    let t0 = now();
    const copy = JSON.parse(JSON.stringify(events)) as TraceEvent[];
    floor.push(now() - t0);
    t0 = now();
    const L = layoutTimeline(copy);
    const svg = timelineSvg(L, fitViewport(L, 1600));
    ms.push(now() - t0);
    items = L.bars.length + L.marks.length + L.waits.length + L.bands.length;
    svgBytes = svg.length;
  }
  return { ms, floor, items, svgBytes };
}

function vsix(repo: string): { bytes: number; js: number; files: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-bench-vsix-'));
  const vsce = path.join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');
  try {
    execFileSync(process.execPath, [path.join(repo, 'esbuild.mjs'), '--production'], { cwd: repo, stdio: 'ignore' });
    const out = path.join(dir, 'bgtask.vsix');
    execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out], { cwd: repo, stdio: 'ignore' });
    const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repo, encoding: 'utf8' }).split('\n').filter(Boolean);
    return { bytes: fs.statSync(out).size, js: files.filter((f) => f.endsWith('.js')).length, files: files.length };
  } finally {
    // Back to the development build the tests use.
    execFileSync(process.execPath, [path.join(repo, 'esbuild.mjs')], { cwd: repo, stdio: 'ignore' });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(ctx: { repo: string }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const p = await pickToTrace(ctx.repo, 200);
  const p95 = percentile(p.pick, 95);
  const f50 = percentile(p.floor, 50);
  rows.push({ name: 'DAP round trip (threads request, p50, the floor)', value: round(f50, 3), unit: 'ms', note: `p95 ${round(percentile(p.floor, 95), 3)} ms; sampled before each pick below` });
  rows.push({ name: 'Lifecycle Events pick → its trace event (p50)', value: round(percentile(p.pick, 50)), unit: 'ms', note: `bgtask.fire sent → bgtask.trace 'fired' received, 200 picks; ${round(percentile(p.pick, 50) / f50, 1)}× the floor` });
  rows.push({ name: 'Lifecycle Events pick → its trace event (p95)', value: round(p95), unit: 'ms', target: '<= 50 ms', ok: p95 <= 50, note: `max ${round(Math.max(...p.pick))} ms` });

  const t = timeline(10_000, 7);
  const med = percentile(t.ms, 50);
  const fl = percentile(t.floor, 50);
  rows.push({ name: 'timeline floor: JSON round trip of 10,000 events (median)', value: round(fl, 1), unit: 'ms' });
  rows.push({ name: 'timeline: layout + SVG of 10,000 events (median of 7)', value: round(med, 1), unit: 'ms', target: '<= 200 ms', ok: med <= 200, note: `${t.items.toLocaleString('en')} items, ${round(t.svgBytes / 1024)} KB SVG; ${round(med / fl, 1)}× the floor; max ${round(Math.max(...t.ms), 1)} ms` });

  const v = vsix(ctx.repo);
  rows.push({ name: '.vsix size (production build)', value: round(v.bytes / 1024 / 1024), unit: 'MB', target: '<= 2.5 MB', ok: v.bytes <= 2.5 * 1024 * 1024, note: `${v.files} files` });
  rows.push({ name: '.vsix .js files', value: v.js, target: '<= 10', ok: v.js <= 10 });
  return rows;
}
