// `bgtask check` end to end: the bundled CLI in a child process, on real files. Exit codes, the three
// formats (SARIF validated against the SARIF 2.1.0 schema), and bad input that must never crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { REPO } from '../helpers/ruleHarness';

const CLI = path.join(REPO, 'dist', 'cli.js');

function bgtask(args: string[], cwd = REPO, env: Record<string, string> = {}) {
  const { FORCE_COLOR, NO_COLOR, ...rest } = process.env;
  void FORCE_COLOR;
  void NO_COLOR;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...rest, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workspace(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-cli-'));
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

const GOOD_MANIFEST = `<?xml version="1.0" encoding="utf-8"?>
<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10" xmlns:uap="http://schemas.microsoft.com/appx/manifest/uap/windows10" IgnorableNamespaces="uap">
  <Applications>
    <Application Id="App" Executable="$targetnametoken$.exe" EntryPoint="App.App">
      <Extensions>
        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Good">
          <BackgroundTasks>
            <Task Type="systemEvent" />
          </BackgroundTasks>
        </Extension>
      </Extensions>
    </Application>
  </Applications>
</Package>
`;
const GOOD_TASK = `using Windows.ApplicationModel.Background;
namespace Tasks
{
    public sealed class Good : IBackgroundTask
    {
        public void Run(IBackgroundTaskInstance taskInstance)
        {
            taskInstance.Canceled += (s, r) => { };
        }
    }
}
`;
const GOOD_REGISTRATION = `using System;
using Windows.ApplicationModel.Background;
namespace App
{
    public static class Registration
    {
        public static async void Register()
        {
            foreach (var existing in BackgroundTaskRegistration.AllTasks)
            {
                if (existing.Value.Name == "Good") return;
            }
            await BackgroundExecutionManager.RequestAccessAsync();
            var builder = new BackgroundTaskBuilder { Name = "Good", TaskEntryPoint = "Tasks.Good" };
            builder.SetTrigger(new SystemTrigger(SystemTriggerType.TimeZoneChange, false));
            try
            {
                builder.Register().Completed += (sender, args) => { };
            }
            catch (Exception)
            {
            }
        }
    }
}
`;
const BROKEN_MANIFEST = GOOD_MANIFEST.replace('<Task Type="systemEvent" />', '<Task Type="systemEvent" >');
const TEXT_LINE = /^(.+):(\d+):(\d+): (error|warning|info) ([a-z0-9-]+): (.+)$/;

test('a clean workspace exits 0 and prints nothing on stdout', () => {
  const dir = workspace({ 'App/Package.appxmanifest': GOOD_MANIFEST, 'App/Registration.cs': GOOD_REGISTRATION, 'Tasks/Good.cs': GOOD_TASK });
  const r = bgtask(['check', dir]);
  assert.equal(r.stdout, '');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /0 errors, 0 warnings/);
});

test('an error-level finding exits 1 with problem-matcher lines (--format compact)', () => {
  const dir = workspace({ 'App/Package.appxmanifest': BROKEN_MANIFEST, 'Tasks/Good.cs': GOOD_TASK });
  const r = bgtask(['check', '.', '--format', 'compact'], dir);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.length >= 1);
  for (const line of lines) assert.match(line, TEXT_LINE);
  const [, file, line] = TEXT_LINE.exec(lines.find((l) => l.includes('manifest-not-well-formed'))!)!;
  assert.equal(file, 'App/Package.appxmanifest');
  assert.ok(Number(line) > 1);
});

test('text output: grouped by file, wrapped, related places under their finding, a summary line; colour with FORCE_COLOR, never with NO_COLOR', () => {
  const broken = path.join(REPO, 'examples', 'broken');
  const plain = bgtask(['check', broken]);
  assert.equal(plain.code, 1);
  assert.doesNotMatch(plain.stdout, /\x1b\[/, 'no colour when not a terminal');
  const lines = plain.stdout.split('\n');
  const long = lines.filter((l) => l.length > 100 && !/^ +\S+$/.test(l));
  assert.deepEqual(long, [], 'lines wrap at 100 columns (only a single unbreakable word may run over)');
  const heading = lines.indexOf('examples/broken/uwp-csharp/App/Registrations.cs');
  assert.ok(heading >= 0, plain.stdout.slice(0, 400));
  assert.match(lines[heading + 1], /^  \d+:\d+ +(error|warning|info) +\S/);
  assert.match(plain.stdout, /\S  request-access-missing$|^ +request-access-missing$/m, 'the rule id ends the finding');
  assert.match(plain.stdout, /\n +↳ examples\/broken\/uwp-csharp\/App\/Registrations\.cs:\d+: also registered without/);
  assert.equal(lines.filter((l) => /^\S/.test(l)).length, new Set(lines.filter((l) => /^\S/.test(l))).size, 'each file once');
  assert.match(plain.stderr, /^✖ bgtask: \d+ errors, \d+ warnings, \d+ info in \d+ files of \d+ checked \(\d+ ms\)\n$/);
  const colored = bgtask(['check', broken], REPO, { FORCE_COLOR: '1' });
  assert.match(colored.stdout, /\x1b\[31merror\x1b\[39m/);
  assert.doesNotMatch(bgtask(['check', broken], REPO, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout, /\x1b\[/);
  assert.equal(bgtask(['check', broken, '--format', 'compact']).stdout.split('\n').filter(Boolean).length, plain.stdout.split('\n').filter((l) => /^  \d/.test(l)).length, 'compact: one line per finding');
});

test('SARIF carries the related places of an app-wide finding', () => {
  const r = bgtask(['check', path.join(REPO, 'examples', 'broken', 'uwp-csharp'), '--format', 'sarif']);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked by the schema below
  const sarif: any = JSON.parse(r.stdout);
  const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(require(path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')));
  assert.equal(validate(sarif), true, JSON.stringify(validate.errors, null, 1));
  const access = sarif.runs[0].results.filter((x: { ruleId: string }) => x.ruleId === 'request-access-missing');
  assert.equal(access.length, 1);
  assert.ok(access[0].relatedLocations.length >= 5);
  assert.equal(access[0].relatedLocations[0].physicalLocation.artifactLocation.uri, 'App/Registrations.cs');
});

test('--rule id=off and --max-warnings decide the exit code', () => {
  const dir = workspace({ 'App/Package.appxmanifest': BROKEN_MANIFEST, 'Tasks/Good.cs': GOOD_TASK });
  assert.equal(bgtask(['check', dir, '--rule', 'manifest-not-well-formed=off']).code, 0);
  assert.equal(bgtask(['check', dir, '--rule', 'manifest-not-well-formed=warning']).code, 0);
  assert.equal(bgtask(['check', dir, '--rule', 'manifest-not-well-formed=warning', '--max-warnings', '0']).code, 1);
});

test('SARIF output validates against the SARIF 2.1.0 schema and carries the rule catalog', () => {
  const dir = workspace({ 'App/Package.appxmanifest': BROKEN_MANIFEST, 'Tasks/Good.cs': GOOD_TASK });
  const r = bgtask(['check', dir, '--format', 'sarif']);
  assert.equal(r.code, 1, r.stderr);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked by the schema below
  const sarif: any = JSON.parse(r.stdout);
  const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(require(path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')));
  assert.equal(validate(sarif), true, JSON.stringify(validate.errors, null, 1));
  const run = sarif.runs[0];
  assert.ok(run.tool.driver.rules.some((rule: { id: string }) => rule.id === 'manifest-not-well-formed'));
  const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'manifest-not-well-formed');
  assert.equal(result.level, 'error');
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'App/Package.appxmanifest');
  assert.ok(result.locations[0].physicalLocation.region.startLine >= 1);
});

test('JSON output and --output write a complete file', () => {
  const dir = workspace({ 'App/Package.appxmanifest': BROKEN_MANIFEST });
  const out = path.join(dir, 'report.json');
  const r = bgtask(['check', dir, '--format', 'json', '--output', out]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.ok(report.findings.some((f: { ruleId: string; file: string }) => f.ruleId === 'manifest-not-well-formed' && f.file === 'App/Package.appxmanifest'));
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('--output writes through a symlink (which stays a symlink) and in place to a device', { skip: process.platform === 'win32' }, () => {
  const dir = workspace({ 'App/Package.appxmanifest': BROKEN_MANIFEST });
  const real = path.join(dir, 'reports', 'real.sarif');
  fs.mkdirSync(path.dirname(real));
  fs.writeFileSync(real, 'old');
  const link = path.join(dir, 'latest.sarif');
  fs.symlinkSync(real, link);
  const r = bgtask(['check', dir, '--format', 'sarif', '--output', link]);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the symlink is not replaced by a file');
  assert.equal(JSON.parse(fs.readFileSync(real, 'utf8')).version, '2.1.0');
  const dev = bgtask(['check', dir, '--format', 'json', '--output', '/dev/null']);
  assert.equal(dev.code, 1, dev.stderr);
  assert.equal(dev.stderr.includes('cannot write'), false);
});

test('usage errors exit 2 with a one-line reason and no stack trace', () => {
  for (const args of [['check', '/no/such/folder'], ['check', '--format', 'xml'], ['check', '--rule', 'nope=off'], ['check', '--profile', 'win7'], ['check', '--max-warnings', 'x'], ['frobnicate']]) {
    const r = bgtask(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^bgtask: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const dir = workspace({});
  const r = bgtask(['check', dir, '--output', path.join(dir, 'missing-folder', 'x.sarif'), '--format', 'sarif']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot write/);
});

test('binary, oversized and invalid UTF-8 files become findings, and a symlink loop a note; nothing crashes', () => {
  const dir = workspace({
    'Binary.cs': Buffer.concat([Buffer.from('IBackgroundTask'), Buffer.from([0x75, 0x73, 0x00, 0x01, 0x02, 0xff])]),
    'Irrelevant.cs': Buffer.from([0x00, 0xff, 0xfe, 0x00]),
    'Big.cs': 'class IBackgroundTask {}\n'.repeat(2000),
    'Latin1.cs': Buffer.from('// caf\xe9 IBackgroundTask\n', 'latin1'),
    'Utf16.cs': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('public sealed class T : IBackgroundTask { }', 'utf16le')]),
  });
  fs.symlinkSync(dir, path.join(dir, 'loop'));
  const r = bgtask(['check', dir, '--format', 'json', '--max-file-size', '10000']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const report = JSON.parse(r.stdout);
  const messages = Object.fromEntries(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'file-unreadable').map((f: { file: string; message: string }) => [f.file, f.message]));
  assert.match(messages['Binary.cs'], /binary/);
  assert.match(messages['Big.cs'], /over the .* limit/);
  assert.equal(messages['Latin1.cs'], undefined, 'not UTF-8: decoded as Windows-1252, as Visual Studio reads it (issue 9)');
  assert.equal(messages['Utf16.cs'], undefined, 'UTF-16 with a BOM is decoded');
  assert.equal(messages['Irrelevant.cs'], undefined, 'a file without background-task markers is never decoded');
  assert.match(r.stderr, /symbolic link loop/);
});

test('--help and rules list every rule', () => {
  const help = bgtask(['check', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--max-warnings/);
  const rules = bgtask(['rules']);
  assert.equal(rules.code, 0);
  assert.match(rules.stdout, /manifest-not-well-formed/);
});

test('a broken install (the grammar wasm files missing beside the CLI) ends with one line naming the missing file, no stack trace', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-cli-nowasm-'));
  const lone = path.join(dir, 'cli.js');
  fs.copyFileSync(CLI, lone);
  const { FORCE_COLOR, NO_COLOR, ...rest } = process.env;
  void FORCE_COLOR;
  void NO_COLOR;
  const r = spawnSync(process.execPath, [lone, 'check', path.join(REPO, 'examples', 'csharp-uwp')], { cwd: dir, encoding: 'utf8', env: rest });
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^bgtask: .*cannot find web-tree-sitter\.wasm/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
