// Language server benchmark, over real LSP on the 5,000-file benchmark workspace: time from spawning
// the server to its first complete diagnostics (beside the same run's read-and-scan baseline process),
// edit → published diagnostics for a 300-line task file (p50/p95, beside a bare LSP request round
// trip), and the server's peak RSS.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServer, uriOf } from '../helpers/lspClient';
import type { BenchRow } from './engine.bench';
import { generateWorkspace } from './generate';

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

const BASELINE = `
const fs = require('fs'), path = require('path');
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full); else fs.readFileSync(full, 'utf8').includes('IBackgroundTask');
  }
})(process.argv[1]);`;

/** A task file of exactly 300 lines: the generated task class with more members (a realistic shape). */
function threeHundredLines(text: string): string {
  const lines = text.split('\n');
  // Members go before the class's closing brace: the second-to-last `}` line of the file.
  const closers = lines.map((l, i) => (l.trim() === '}' ? i : -1)).filter((i) => i >= 0);
  const at = closers[closers.length - 2] ?? lines.length;
  const members: string[] = [];
  for (let i = 0; members.length + lines.length < 300; i++) {
    members.push(i % 3 === 0 ? '' : i % 3 === 1 ? `        private static int Helper${i}(int value) => value * ${i} + 1;` : `        // Helper ${i} keeps the task's bookkeeping small.`);
  }
  lines.splice(at, 0, ...members);
  return lines.slice(0, 300).join('\n');
}

export async function run(ctx: { repo: string }): Promise<BenchRow[]> {
  const ws = generateWorkspace(path.join(ctx.repo, '.bench', 'workspace'));
  const rows: BenchRow[] = [];
  const baselines: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', BASELINE, ws.dir]);
    baselines.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const baseline = percentile(baselines, 50);

  const t0 = process.hrtime.bigint();
  const server = await startServer(ws.dir);
  await server.waitFor('the first ready status', () => server.notifications.some((n) => n.method === 'bgtask/status' && (n.params as { state: string }).state === 'ready'), 120000);
  const startup = Number(process.hrtime.bigint() - t0) / 1e6;
  rows.push({ name: 'baseline: read every file + scan (median of 3)', value: round(baseline), unit: 'ms' });
  rows.push({ name: 'server start → first complete diagnostics', value: round(startup), unit: 'ms', note: `${round(startup / baseline, 2)}x the baseline` });

  // Bare round trip: a request the server answers without work (hover on an unknown document).
  const trips: number[] = [];
  for (let i = 0; i < 200; i++) {
    const a = process.hrtime.bigint();
    await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'untitled:none' }, position: { line: 0, character: 0 } });
    trips.push(Number(process.hrtime.bigint() - a) / 1e6);
  }

  const file = ws.taskFiles[0];
  const uri = uriOf(file);
  const sealedText = threeHundredLines(fs.readFileSync(file, 'utf8'));
  if (!/ sealed class /.test(sealedText)) throw new Error('the task file has no sealed class to toggle');
  const unsealedText = sealedText.replace(' sealed class ', ' class ');
  server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'csharp', version: 1, text: sealedText } });
  const edits: number[] = [];
  let version = 1;
  for (let i = 0; i < 220; i++) {
    const unsealed = i % 2 === 0;
    const before = server.diagnostics.get(uri);
    const a = process.hrtime.bigint();
    server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: unsealed ? unsealedText : sealedText }] });
    await server.waitFor('published diagnostics', () => {
      const now = server.diagnostics.get(uri);
      return now !== before && (now ?? []).some((d) => d.code === 'task-class-not-sealed') === unsealed;
    });
    if (i >= 20) edits.push(Number(process.hrtime.bigint() - a) / 1e6);
  }
  const rss = readRssMb(server.process.pid!);
  await server.stop();
  rows.push({ name: 'bare LSP request round trip (p50)', value: round(percentile(trips, 50), 2), unit: 'ms' });
  rows.push({ name: 'edit → published diagnostics, 300-line file (p50)', value: round(percentile(edits, 50), 2), unit: 'ms' });
  rows.push({ name: 'edit → published diagnostics, 300-line file (p95)', value: round(percentile(edits, 95), 2), unit: 'ms', target: '<= 20 ms', ok: percentile(edits, 95) <= 20 });
  rows.push({ name: 'server peak RSS (VmHWM)', value: round(rss), unit: 'MB', target: '<= 300 MB', ok: rss <= 300 });
  return rows;
}

function readRssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    return hwm ? Number(hwm[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
