// Property-based tests (fast-check, fixed seeds, bounded runs) of the task host's input parsers: the
// scenario parser, the store loader, the runner protocol's message dispatch and the prompt's command
// parser. No internal error escapes (only each module's own error type), and positions are always valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { PromptError, parsePromptLine, tokenize } from '../../src/cli/host';
import { dispatchRunnerMessage } from '../../src/host/jsRunner';
import { LineIndex, ScenarioError, parseScenario, parseTriggerText } from '../../src/host/scenario';
import { loadStore, registrationError } from '../../src/host/store';

const RUNS = Number(process.env.BGTASK_FUZZ_RUNS ?? 300);
const params = (seed: number) => ({ numRuns: RUNS, seed });

/** Keys that break naive lookups, beside the scenario's own vocabulary. */
const NASTY_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', ''];
const SCENARIO_WORDS = ['steps', 'profile', 'state', 'limits', 'timeScale', 'cpuQuota', 'description', '$schema', 'launch', 'lifecycle', 'fire', 'details', 'set', 'advance', 'wait', 'trigger', 'applicationTrigger', 'arguments', 'push', 'payload', 'register', 'unregister', 'cancel', 'expect', 'expectNot', 'event', 'task', 'reason', 'waitingFor', 'tsk', 'name', 'entryPoint', 'conditions', 'group', 'type', 'systemTriggerType', 'freshness', 'oneShot', 'wallClockMs', 'memoryMb', 'internetAvailable', 'power', 'userPresent', 'ok'];
const VALUES = ['TimeZoneChange', 'TimeTrigger(15, oneShot)', 'SystemTrigger(UserAway)', 'MaintenanceTrigger', '20m', '1h30m', '0s', '-5m', 'NaN', '1e400', 'win10', 'win8', 'completed', 'Abort', 'InternetAvailable', 'ac', 'dc', 'launch', 'terminate', 'High'];

const key = fc.oneof(fc.constantFrom(...SCENARIO_WORDS, ...NASTY_KEYS), fc.string({ maxLength: 8 }));
const leaf = fc.oneof(fc.constantFrom(...VALUES, ...NASTY_KEYS), fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, 1e300));
const { value: jsonish } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map((entries) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  }),
}));
/** Scenario-shaped documents: mostly valid structure with wrong or odd values in places. */
const scenarioDoc = fc.record({
  steps: fc.array(fc.oneof(jsonish, fc.dictionary(fc.constantFrom(...SCENARIO_WORDS.slice(8)), jsonish, { maxKeys: 2 })), { maxLength: 6 }),
  profile: fc.option(fc.constantFrom('win10', 'win81', 'nope'), { nil: undefined }),
  state: fc.option(fc.dictionary(key, leaf, { maxKeys: 3 }), { nil: undefined }),
  limits: fc.option(fc.dictionary(fc.constantFrom('wallClockMs', 'idleMs', 'memoryMb', 'cpuQuotaMs', 'x'), leaf, { maxKeys: 2 }), { nil: undefined }),
  timeScale: fc.option(leaf, { nil: undefined }),
}, { requiredKeys: ['steps'] });

/** Edits that break JSON syntax: delete, insert or duplicate characters. */
const mutated = (text: string) =>
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\n', '\\', '/*', '//', '\uFEFF', 'é', '\u0000', ' ')), { maxLength: 4 }).map((edits) => {
    let t = text;
    for (const [at, kind, s] of edits) {
      const i = at % (t.length + 1);
      t = kind === 0 ? t.slice(0, i) + t.slice(i + 1) : kind === 1 ? t.slice(0, i) + s + t.slice(i) : kind === 2 ? t.slice(0, i) : t.slice(0, i) + t.slice(i, i + 10) + t.slice(i);
    }
    return t;
  });

function assertScenarioOutcome(text: string): void {
  try {
    parseScenario(text, 'f.bgscenario.json');
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw new Error(`internal error on ${JSON.stringify(text.slice(0, 200))}: ${(e as Error)?.stack}`);
    const lines = text.split('\n');
    assert.ok(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines.length, `line ${e.line} of ${lines.length}`);
    assert.ok(Number.isInteger(e.column) && e.column >= 1 && e.column <= lines[e.line - 1].length + 1, `column ${e.column} on a line of ${lines[e.line - 1].length}`);
    assert.ok(e.reason.length > 0 && !e.reason.includes('\n'), e.reason);
  }
}

test('fuzz: the scenario parser throws only ScenarioError, at a position inside the file, on scenario-shaped documents', () => {
  fc.assert(fc.property(scenarioDoc, fc.constantFrom(0, 2, '\t'), (doc, indent) => assertScenarioOutcome(JSON.stringify(doc, null, indent))), params(7001));
});

test('fuzz: the scenario parser on broken JSON (edits of valid scenarios) and on any text', () => {
  const example = fs.readFileSync(path.join(process.env.BGTASK_REPO ?? path.resolve(__dirname, '../../..'), 'examples/winjs/demo.bgscenario.json'), 'utf8');
  fc.assert(fc.property(mutated(example), assertScenarioOutcome), params(7002));
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), assertScenarioOutcome), params(7003));
});

test('fuzz: line:column from the line table equals counting from the start', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', 'é', '😀'), maxLength: 80 }), fc.nat({ max: 100 }), (text, raw) => {
      const offset = raw % (text.length + 1);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - (before.lastIndexOf('\n') + 1) + 1;
      assert.deepEqual(new LineIndex(text).at(offset), { line, column });
    }),
    params(7004),
  );
});

test('fuzz: trigger text parses to a trigger or an error, never a throw', () => {
  const words = fc.constantFrom('TimeTrigger', 'SystemTrigger', 'MaintenanceTrigger', 'TimeZoneChange', 'oneShot', 'true', '15', '(', ')', ',', ' ', '__proto__', 'constructor', '-1', '1.5', '9999999999999');
  fc.assert(
    fc.property(fc.array(words, { maxLength: 8 }).map((w) => w.join('')), (text) => {
      const r = parseTriggerText(text);
      assert.ok('trigger' in r ? typeof r.trigger.type === 'string' : typeof r.error === 'string');
    }),
    params(7005),
  );
});

test('fuzz: the store loader never throws; what it keeps validates, what it drops is reported', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgtask-fuzz-store-'));
  const reg = fc.record({
    taskId: fc.oneof(fc.uuid(), fc.constantFrom('a', '', '__proto__')),
    name: fc.oneof(fc.string({ maxLength: 6 }), fc.constant(null)),
    entryPoint: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
    trigger: fc.oneof(jsonish, fc.record({ type: fc.constantFrom('SystemTrigger', 'TimeTrigger', 'constructor', 'ApplicationTrigger'), systemTriggerType: fc.constantFrom('TimeZoneChange', '__proto__', 'UserAway'), freshness: fc.oneof(fc.integer(), leaf) }, { requiredKeys: ['type'] })),
    conditions: fc.oneof(fc.array(fc.constantFrom('InternetAvailable', 'UserPresent', 'constructor', 'Nope'), { maxLength: 2 }), leaf),
    cancelOnConditionLoss: fc.oneof(fc.boolean(), leaf),
    isNetworkRequested: fc.boolean(),
    source: fc.constantFrom('code', 'app', 'command', 'other'),
    registeredAt: fc.oneof(fc.nat(), leaf),
  }, { requiredKeys: ['taskId', 'name', 'trigger', 'conditions', 'cancelOnConditionLoss', 'isNetworkRequested', 'source', 'registeredAt'] });
  const store = fc.oneof(
    fc.record({ version: fc.oneof(fc.constant(1), leaf), registrations: fc.oneof(fc.array(fc.oneof(reg, jsonish), { maxLength: 5 }), leaf), inFlight: fc.oneof(fc.array(jsonish, { maxLength: 2 }), leaf), localSettings: jsonish, t: leaf }, { requiredKeys: ['version'] }).map((o) => JSON.stringify(o)),
    jsonish.map((v) => JSON.stringify(v) ?? ''),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
  try {
    fc.assert(
      fc.property(store, (text) => {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'host-store.json'), text);
        const r = loadStore(dir);
        if (r.data) for (const x of r.data.registrations) assert.equal(registrationError(x), undefined);
        if (r.corrupt || r.rejected) {
          assert.ok(r.messages?.length && r.messages.every((m) => !m.includes('\n')));
          assert.ok(!fs.existsSync(path.join(dir, 'host-store.json')), 'a bad store is moved aside');
        }
      }),
      { ...params(7006), numRuns: Math.min(RUNS, 200) },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('fuzz: the runner protocol dispatch takes any JSON message without throwing', () => {
  const calls: string[] = [];
  const events = new Proxy({}, { get: (_t, p) => (...args: unknown[]) => void calls.push(`${String(p)}(${args.length})`) });
  const op = fc.constantFrom('begin', 'progress', 'log', 'settings', 'deferral', 'deferral-complete', 'idle', 'done', 'set-timer', 'clear-timer', 'webui', 'ready', '__proto__', 'constructor', 'toString');
  const message = fc.tuple(op, fc.dictionary(fc.constantFrom('value', 'text', 'key', 'id', 'error', 'succeeded', 'deleted', 'delay', 'repeat', 'canceled', ...NASTY_KEYS), jsonish, { maxKeys: 4 })).map(([o, rest]) => Object.assign(JSON.parse(JSON.stringify(rest)) as Record<string, unknown>, { op: o }));
  fc.assert(
    fc.property(message, (m) => {
      dispatchRunnerMessage(m as never, events as never);
    }),
    params(7007),
  );
  assert.ok(calls.length > 0);
});

test('fuzz: the prompt parser throws only PromptError with one line; its words keep their place in the line', () => {
  const words = fc.constantFrom('fire', 'set', 'advance', 'register', 'unregister', 'app', 'push', 'trigger', 'tasks', 'quit', 'TimeZoneChange', 'TimeTrigger(15, oneShot)', 'internet', 'off', '20m', '-5m', 'X', 'x.X', 'cancel', 'k=v', '=v', '{"a":', '1}', '"q', '(', ')', '__proto__', 'constructor', 'InternetAvailable', ' ', '\t');
  const line = fc.oneof(fc.array(words, { maxLength: 7 }).map((w) => w.join(' ')), fc.string({ unit: 'binary', maxLength: 60 }));
  fc.assert(
    fc.property(line, (text) => {
      for (const w of tokenize(text)) {
        assert.ok(w.start >= 0 && w.start + w.text.length <= text.length);
        assert.equal(text.slice(w.start, w.start + w.text.length), w.text);
        assert.ok(w.text.length > 0);
      }
      try {
        const c = parsePromptLine(text);
        assert.ok(['empty', 'quit', 'info', 'registerOnDemand', 'step'].includes(c.kind));
      } catch (e) {
        if (!(e instanceof PromptError)) throw new Error(`internal error on ${JSON.stringify(text)}: ${(e as Error)?.stack}`);
        assert.ok(!e.message.includes('\n'), e.message);
      }
    }),
    params(7008),
  );
});

test('fuzz: runner data that cannot become a number or string (an object whose toString is not a function) does not throw', () => {
  const events = new Proxy({}, { get: () => () => undefined });
  for (const m of [{ op: 'clear-timer', id: { toString: false } }, { op: 'progress', value: { valueOf: 1, toString: 1 } }, { op: 'log', text: { toString: null } }])
    assert.doesNotThrow(() => dispatchRunnerMessage(m as never, events as never), JSON.stringify(m));
});
