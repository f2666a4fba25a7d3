#!/usr/bin/env node
// Runs the extension's integration suite (suite/*.test.js) in a real VS Code extension host: by default
// VS Code 1.100.3 from code-server@4.100.3 driven by Debian's headless Chromium (installed here on first
// use), or with --desktop through @vscode/test-electron. Prints `N passed, N failed` and exits non-zero on any failure.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const repo = path.resolve(here, '../..');
const require = createRequire(path.join(here, 'package.json'));
const desktop = process.argv.includes('--desktop');
const installOnly = process.argv.includes('--install-only');
const TIMEOUT_MS = +(process.env.IT_TIMEOUT_MS || 300000);
const verbose = !!process.env.IT_VERBOSE;
const started = Date.now();
const log = (msg) => console.log(`[vscode-host] ${msg}`);
const secs = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

if (process.env.BGTASK_SKIP_VSCODE_HOST === '1') {
  console.log('\n' + '!'.repeat(78));
  console.log('!! BGTASK_SKIP_VSCODE_HOST=1: the real-VS-Code integration suite was SKIPPED.');
  console.log('!! Nothing about activation, diagnostics, quick fixes, the tree view or snippets');
  console.log('!! in a real extension host was tested. Unset it to run: node test/vscode-host/run.mjs');
  console.log('!'.repeat(78) + '\n');
  process.exit(0);
}

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const chromiumPath = () => process.env.CHROMIUM_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

/** Debian packages code-server's install and the browser need; installed with apt-get when root. */
function ensureSystemPackages() {
  const missing = [];
  if (!chromiumPath()) missing.push('chromium');
  if (!has('rg')) missing.push('ripgrep');
  if (!has('pkg-config')) missing.push('pkg-config');
  if (!fs.existsSync('/usr/include/krb5.h') && !fs.existsSync('/usr/include/krb5/krb5.h')) missing.push('libkrb5-dev');
  if (!missing.length) return;
  if (!has('apt-get') || process.getuid?.() !== 0) {
    throw new Error(`missing system packages: ${missing.join(' ')} (install them, e.g. apt-get install ${missing.join(' ')}; or set BGTASK_SKIP_VSCODE_HOST=1)`);
  }
  const t = Date.now();
  log(`installing Debian packages ${missing.join(' ')} (first run only)...`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: verbose ? 'inherit' : 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: verbose ? 'inherit' : 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  log(`apt-get install took ${secs(t)}`);
}

/** code-server, playwright-core and mocha in this folder's own node_modules, from its own lockfile. */
function ensureNodeModules() {
  const lock = path.join(here, 'package-lock.json');
  const manifest = fs.readFileSync(path.join(here, 'package.json'), 'utf8') + (fs.existsSync(lock) ? fs.readFileSync(lock, 'utf8') : '');
  const digest = createHash('sha256').update(manifest).digest('hex');
  const stamp = path.join(here, 'node_modules', '.bgtask-installed');
  const entry = path.join(here, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (fs.existsSync(entry) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest) return;
  const t = Date.now();
  log(`installing code-server 4.100.3, playwright-core and mocha into test/vscode-host/node_modules (first run only, a few minutes)...`);
  // @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache holds the archive: feed it Debian's rg.
  const rgPkg = JSON.parse(fs.existsSync(lock) ? fs.readFileSync(lock, 'utf8') : '{}').packages?.['node_modules/@vscode/ripgrep']?.version ?? '1.15.11';
  const cache = path.join(os.tmpdir(), `vscode-ripgrep-cache-${rgPkg}`);
  fs.mkdirSync(cache, { recursive: true });
  const rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
  for (const asset of ['ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz', 'ripgrep-v13.0.0-13-x86_64-unknown-linux-musl.tar.gz']) {
    execFileSync('tar', ['czf', path.join(cache, asset), '-C', path.dirname(rg), 'rg']);
  }
  // code-server's postinstall refuses root without unsafe-perm; node-pty's runs `npx node-gyp`.
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, [fs.existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], {
    cwd: here,
    stdio: verbose ? 'inherit' : ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm install in test/vscode-host failed (exit ${r.status}):\n${(r.stderr ?? '').slice(-4000)}`);
  fs.writeFileSync(stamp, createHash('sha256').update(fs.readFileSync(path.join(here, 'package.json'), 'utf8') + fs.readFileSync(lock, 'utf8')).digest('hex'));
  log(`npm install took ${secs(t)}`);
}

/** The extension must be built (npm test builds it; a direct run builds it when missing). */
function ensureBuilt() {
  if (fs.existsSync(path.join(repo, 'dist', 'extension.js')) && fs.existsSync(path.join(repo, 'dist', 'server.js'))) return;
  const t = Date.now();
  log('dist/ is incomplete: building with esbuild.mjs...');
  execFileSync(process.execPath, [path.join(repo, 'esbuild.mjs')], { cwd: repo, stdio: 'inherit' });
  log(`build took ${secs(t)}`);
}

/** A scratch copy of examples/, so edits the suite makes (Add Background Task, quick fixes) never touch the repository. */
function workspaceCopy(tmp) {
  const ws = path.join(tmp, 'examples');
  fs.cpSync(path.join(repo, 'examples'), ws, { recursive: true });
  return ws;
}

const freePort = () =>
  new Promise((res, rej) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    }).on('error', rej);
  });

function readSummary(resultFile) {
  try {
    return JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  } catch {
    return undefined;
  }
}

async function runInCodeServer(tmp, workspace, resultFile) {
  const { chromium } = require('playwright-core');
  const port = await freePort();
  const env = {
    ...process.env, EXTENSIONS_GALLERY: '{}', TMPDIR: tmp, XDG_CONFIG_HOME: path.join(tmp, 'config'),
    XDG_DATA_HOME: path.join(tmp, 'data'), IT_RESULT_FILE: resultFile, BGTASK_IT_WORKSPACE: workspace,
  };
  let t = Date.now();
  log(`starting VS Code server (code-server 4.100.3) on 127.0.0.1:${port}...`);
  const server = spawn(process.execPath, [require.resolve('code-server/out/node/entry.js'),
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
    '--user-data-dir', path.join(tmp, 'user'), '--extensions-dir', path.join(tmp, 'exts')],
  { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let serverLog = '';
  const onOut = (d) => {
    serverLog += d;
    if (verbose) process.stderr.write(`[server] ${d}`);
  };
  server.stdout.on('data', onOut);
  server.stderr.on('data', onOut);
  let browser;
  try {
    await new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error('code-server did not start within 60 s:\n' + serverLog)), 60000);
      const check = () => {
        if (/HTTP server listening on/.test(serverLog)) {
          clearTimeout(timer);
          res();
        }
      };
      server.stdout.on('data', check);
      server.stderr.on('data', check);
      server.on('exit', (c) => rej(new Error(`code-server exited ${c}:\n${serverLog}`)));
    });
    log(`server up in ${secs(t)}; opening the workbench in headless Chromium (${chromiumPath()})...`);
    t = Date.now();
    browser = await chromium.launch({
      executablePath: chromiumPath(), headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage();
    let exitCode;
    // The web workbench calls these when it runs extension tests.
    const done = new Promise((res) => page.exposeFunction('codeAutomationExit', (code) => { exitCode = code; res(); }));
    await page.exposeFunction('codeAutomationLog', (type, args) => (console[type] || console.log)(...args));
    if (verbose) page.on('console', (m) => console.log(`[browser.${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => console.error(`[pageerror] ${e}`));
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(repo)], ['extensionTestsPath', remote(path.join(here, 'suite'))]]);
    await page.goto(`http://127.0.0.1:${port}/?` + new URLSearchParams({ folder: workspace, payload }));
    let timer;
    const timedOut = await Promise.race([done.then(() => false), new Promise((r) => { timer = setTimeout(() => r(true), TIMEOUT_MS); })]);
    clearTimeout(timer);
    log(`workbench + suite took ${secs(t)}`);
    if (timedOut) {
      console.error(`[vscode-host] timed out after ${TIMEOUT_MS} ms\n${serverLog.slice(-4000)}`);
      exitCode = 1;
    }
    return exitCode ?? 1;
  } finally {
    try { if (browser) await browser.close(); } catch { /* already gone */ }
    if (server.exitCode === null) {
      const exited = new Promise((r) => { server.once('exit', r); setTimeout(r, 5000).unref(); });
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
      await exited;
    }
  }
}

async function runInDesktop(tmp, workspace, resultFile) {
  const mainRequire = createRequire(path.join(repo, 'package.json'));
  let testElectron;
  try {
    testElectron = mainRequire('@vscode/test-electron');
  } catch {
    throw new Error('@vscode/test-electron is not installed (run npm ci in the repository)');
  }
  process.env.IT_RESULT_FILE = resultFile;
  process.env.BGTASK_IT_WORKSPACE = workspace;
  log(`running the suite in desktop VS Code through @vscode/test-electron (version ${process.env.VSCODE_VERSION || 'stable'}; downloads VS Code unless VSCODE_EXECUTABLE is set)...`);
  try {
    return await testElectron.runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      version: process.env.VSCODE_VERSION || undefined,
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(here, 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(tmp, 'user')],
      extensionTestsEnv: { IT_RESULT_FILE: resultFile, BGTASK_IT_WORKSPACE: workspace },
    });
  } catch (error) {
    if (readSummary(resultFile)) return 1;
    throw new Error(`@vscode/test-electron could not run desktop VS Code: ${error?.message ?? error}\n(where VS Code cannot be downloaded, point VSCODE_EXECUTABLE at an installed one, or use the default code-server mode: node test/vscode-host/run.mjs)`);
  }
}

async function main() {
  if (!desktop) {
    ensureSystemPackages();
    ensureNodeModules();
  } else {
    // The suite's mocha comes from this folder's node_modules in both modes.
    ensureNodeModules();
  }
  if (installOnly) return 0;
  ensureBuilt();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-vscode-it-'));
  const resultFile = path.join(tmp, 'result.json');
  try {
    const workspace = workspaceCopy(tmp);
    let code = desktop ? await runInDesktop(tmp, workspace, resultFile) : await runInCodeServer(tmp, workspace, resultFile);
    const summary = readSummary(resultFile);
    if (summary) {
      console.log(`${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}`);
      if (summary.failed > 0 || summary.passed === 0) code = code || 1;
    } else {
      console.error('[vscode-host] no result file: the suite did not finish');
      code = code || 1;
    }
    return code;
  } finally {
    if (!process.env.IT_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    log(`${code === 0 ? 'OK' : 'FAILED'} (exit ${code}, ${secs(started)} in all)`);
    process.exit(code);
  },
  (error) => {
    console.error(`[vscode-host] ${error?.stack ?? error}`);
    log(`FAILED (${secs(started)} in all)`);
    process.exit(1);
  },
);
