// The scenario parser: every bad value is a ScenarioError at file:line:col with what is wrong (types,
// names against the catalog, bounds, prototype keys, expectation fields against the trace's), trigger
// text as the trace prints it, linear-time positions, and the JSON schema kept in step with the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { describeTrigger } from '../../src/host/host';
import { LineIndex, ScenarioError, matches, parseScenario, parseTriggerText, summary } from '../../src/host/scenario';
import { scenarioSchema } from '../../src/host/scenarioSchema';
import { REPO } from './helpers';

/** Parse `text`; return "line:col: reason" of its error. */
function error(text: string): string {
  try {
    parseScenario(text, 'x.bgscenario.json');
  } catch (e) {
    assert.ok(e instanceof ScenarioError, `not a ScenarioError: ${(e as Error)?.stack}`);
    assert.equal(e.message, `x.bgscenario.json:${e.line}:${e.column}: ${e.reason}`);
    return `${e.line}:${e.column}: ${e.reason}`;
  }
  return 'no error';
}
/** A scenario with one step, the step on line 3 at column 5. */
const oneStep = (step: string) => `{\n  "steps": [\n    ${step}\n  ]\n}`;

test('scenario: fire checks the name against the catalog (SystemTriggerType §1, trigger classes §3.1); prototype keys are clear errors, not crashes', () => {
  assert.match(error(oneStep('{ "fire": "TimeZoneChang" }')), /^3:15: unknown trigger 'TimeZoneChang'/);
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'constructorTrigger', 'valueOf'])
    assert.match(error(oneStep(`{ "fire": "${name}" }`)), new RegExp(`^3:15: unknown trigger '${name}'`), name);
  assert.match(error(oneStep('{ "fire": 7 }')), /^3:15: 'fire' must be a non-empty string, not the number 7/);
  assert.match(error(oneStep('{ "fire": "" }')), /^3:15: 'fire' must be a non-empty string/);
  assert.doesNotThrow(() => parseScenario(oneStep('{ "fire": "MaintenanceTrigger", "details": { "__proto__": { "x": 1 } } }'), 'x'));
  const sc = parseScenario(oneStep('{ "fire": "TimeZoneChange", "details": { "__proto__": 1 } }'), 'x');
  const step = sc.steps[0] as { details: Record<string, unknown> };
  assert.equal(Object.getPrototypeOf(step.details), Object.prototype, '"__proto__" is an own key, as JSON.parse makes it');
  assert.deepEqual(Object.keys(step.details), ['__proto__']);
});

test('scenario: step kinds, unknown and duplicate keys, two actions in a step', () => {
  assert.match(error(oneStep('{ "constructor": 1 }')), /^3:7: step 1 has no action \('constructor' is not one\)/);
  assert.match(error(oneStep('{ "__proto__": {} }')), /^3:7: step 1 has no action/);
  assert.match(error(oneStep('{ "fire": "TimeZoneChange", "advance": "1m" }')), /^3:33: step 1 has two actions, 'fire' and 'advance'/);
  assert.match(error(oneStep('{ "fire": "TimeZoneChange", "detials": 1 }')), /^3:33: unknown key 'detials' in a 'fire' step \(expected details\)/);
  assert.match(error(oneStep('{ "fire": "TimeZoneChange", "fire": "UserAway" }')), /^3:33: duplicate key 'fire' in step 1/);
  assert.match(error(oneStep('"launch"')), /^3:5: step 1 must be an object/);
  assert.match(error(oneStep('{ "launch": true }')), /^3:17: 'launch' takes an empty object/);
  assert.match(error(oneStep('{ "lifecycle": "reboot" }')), /^3:20: unknown lifecycle action 'reboot'/);
  assert.match(error('{\n  "stepz": []\n}'), /^2:3: unknown key 'stepz' in the scenario/);
  assert.match(error('{\n  "profile": "win11",\n  "steps": []\n}'), /^2:14: unknown profile "win11"/);
  assert.match(error('{ "steps": {} }'), /^1:12: "steps" must be an array, not an object/);
  assert.match(error('{}'), /^1:1: a scenario needs "steps"/);
  assert.match(error('[]'), /^1:1: a scenario is a JSON object/);
});

test('scenario: durations are positive and bounded; null, NaN, negative and huge values are errors', () => {
  assert.match(error(oneStep('{ "advance": null }')), /^3:18: 'advance' needs a duration like "20m".*not null/);
  assert.match(error(oneStep('{ "advance": "NaNs" }')), /^3:18: 'advance' needs a duration/);
  assert.match(error(oneStep('{ "advance": -5 }')), /^3:18: 'advance' needs a duration/);
  assert.match(error(oneStep('{ "advance": 0 }')), /^3:18: 'advance' must be at least 1 ms/);
  assert.match(error(oneStep('{ "advance": 1e400 }')), /^3:18: 'advance' needs a duration/);
  assert.match(error(oneStep('{ "advance": "400d" }')), /^3:18: 'advance' must be at most 366 days/);
  assert.match(error(oneStep('{ "advance": "99999999999999999999999999d" }')), /^3:18: 'advance' must be at most/);
  assert.match(error(oneStep('{ "wait": "1h" }')), /^3:15: 'wait' must be at most 10 min/);
  assert.equal((parseScenario(oneStep('{ "advance": "1h30m" }'), 'x').steps[0] as { ms: number }).ms, 5_400_000);
  assert.equal((parseScenario(oneStep('{ "advance": 1500 }'), 'x').steps[0] as { ms: number }).ms, 1500);
});

test('scenario: limits over 2^31-1 ms of real time are rejected (a Node timer would fire after 1 ms)', () => {
  assert.match(error('{\n  "limits": { "wallClockMs": 2147483648 },\n  "steps": []\n}'), /^2:30: wallClockMs must be at most 24\.9 days/);
  assert.match(error('{\n  "limits": { "idleMs": "30d" },\n  "steps": []\n}'), /^2:25: idleMs must be at most/);
  assert.match(error('{\n  "limits": { "wallClockMs": "20d" },\n  "timeScale": 2,\n  "steps": []\n}'), /^2:15: wallClockMs × timeScale is 40 days of real time/);
  assert.match(error('{\n  "limits": { "memoryMb": 0.5 },\n  "steps": []\n}'), /^2:27: memoryMb must be a whole number of MB/);
  assert.match(error('{\n  "limits": { "wallClockMs": null },\n  "steps": []\n}'), /^2:30: wallClockMs needs a duration/);
  assert.match(error('{\n  "limits": { "wallclockms": 1 },\n  "steps": []\n}'), /^2:15: unknown limit 'wallclockms'/);
  assert.match(error('{\n  "timeScale": 0,\n  "steps": []\n}'), /^2:16: timeScale must be a number above 0/);
  assert.match(error('{\n  "cpuQuota": "yes",\n  "steps": []\n}'), /^2:15: cpuQuota must be true or false, not "yes"/);
  assert.deepEqual(parseScenario('{ "limits": { "wallClockMs": "45s", "cancelGraceMs": 0 }, "steps": [] }', 'x').limits, { wallClockMs: 45_000, cancelGraceMs: 0 });
});

test('scenario: state keys and values are checked by type; prototype keys are unknown', () => {
  assert.match(error(oneStep('{ "set": { "internetAvailable": "false" } }')), /^3:37: internetAvailable must be true or false, not "false"/);
  assert.match(error(oneStep('{ "set": { "power": 1 } }')), /^3:25: power must be a string/);
  assert.match(error(oneStep('{ "set": { "power": "battery" } }')), /^3:25: power must be "ac" or "dc"/);
  assert.match(error(oneStep('{ "set": { "constructor": true } }')), /^3:16: unknown state key 'constructor'/);
  assert.match(error(oneStep('{ "set": { "__proto__": true } }')), /^3:16: unknown state key '__proto__'/);
  assert.match(error(oneStep('{ "set": "internet off" }')), /^3:14: 'set' must be an object/);
  assert.match(error('{ "state": { "userPresent": null }, "steps": [] }'), /^1:29: userPresent must be true or false, not null/);
  assert.deepEqual((parseScenario(oneStep('{ "set": { "internet": false, "cost": "High" } }'), 'x').steps[0] as { changes: unknown }).changes, { internetAvailable: false, backgroundWorkCost: 'High' });
});

test('scenario: register checks its spec (SystemConditionType names §2); conditions given as a string are an error, not dropped', () => {
  const reg = (body: string) => error(oneStep(`{ "register": ${body} }`));
  assert.match(reg('{ "name": "X", "trigger": "TimeZoneChange", "conditions": "InternetAvailable" }'), /^3:77: conditions must be an array of SystemConditionType names, not "InternetAvailable"/);
  assert.match(reg('{ "name": "X", "conditions": ["Internet"] }'), /^3:49: unknown condition 'Internet'/);
  assert.match(reg('{ "name": "X", "conditions": [null] }'), /^3:49: unknown condition null/);
  assert.match(reg('{ "name": "X", "isNetworkRequested": "yes" }'), /^3:56: isNetworkRequested must be true or false/);
  assert.match(reg('{ "name": "X", "trigger": "TimeTrigger(soon)" }'), /^3:45: TimeTrigger needs a freshness in whole minutes/);
  assert.match(reg('{ "name": "X", "trigger": { "type": "SystemTrigger" } }'), /^3:45: a SystemTrigger needs a "systemTriggerType"/);
  assert.match(reg('{ "name": "X", "trigger": { "type": "TimeTrigger", "freshness": -1 } }'), /^3:83: freshness must be a whole number of minutes/);
  assert.match(reg('{ "name": "X", "trigger": { "type": "constructor" } }'), /^3:55: unknown trigger class "constructor"/);
  assert.match(reg('{ "name": "X", "nmae": "Y" }'), /^3:34: unknown key 'nmae' in register/);
  assert.match(reg('{ "entryPoint": "Tasks.X" }'), /^3:19: register needs a "name"/);
  const sc = parseScenario(oneStep('{ "register": { "name": "X", "entryPoint": "Tasks.X", "trigger": "TimeTrigger(15, oneShot)", "conditions": ["internetavailable"] } }'), 'x');
  assert.deepEqual((sc.steps[0] as { spec: unknown }).spec, { name: 'X', entryPoint: 'Tasks.X', trigger: { type: 'TimeTrigger', freshness: 15, oneShot: true }, conditions: ['InternetAvailable'], cancelOnConditionLoss: false, isNetworkRequested: false });
});

test('scenario: "register" with a name runs what the app registers on demand; with an object, a registration of its own', () => {
  const sc = parseScenario(oneStep('{ "register": "TimeZoneTask" }'), 'x');
  assert.deepEqual({ ...sc.steps[0] }, { kind: 'registerOnDemand', name: 'TimeZoneTask', line: 3, index: 0, column: 5 });
  assert.match(error(oneStep('{ "register": "" }')), /^3:19: 'register' \(a registration name from the app's code, or an object\) must be a non-empty string/);
  assert.match(error(oneStep('{ "register": 3 }')), /^3:19: 'register' must be an object, not the number 3/);
});

test('scenario: expectation keys are checked against the trace fields (cancellation reasons §5), so a typo cannot pass an expectNot vacuously', () => {
  assert.match(error(oneStep('{ "expectNot": { "event": "started", "tsk": "Y" } }')), /^3:42: unknown trace field 'tsk' in 'expectNot'/);
  assert.match(error(oneStep('{ "expect": { "event": "canceled", "reason": "Timeout" } }')), /^3:50: unknown cancellation reason 'Timeout'/);
  assert.match(error(oneStep('{ "expect": { "event": "complete" } }')), /^3:28: unknown event 'complete'/);
  assert.match(error(oneStep('{ "expect": { "ok": "true" } }')), /^3:25: 'ok' must be a boolean, not "true"/);
  assert.match(error(oneStep('{ "expect": { "waitingFor": "InternetAvailable" } }')), /^3:33: 'waitingFor' must be an array of strings/);
  assert.match(error(oneStep('{ "expect": { "waitingFor": ["Internet"] } }')), /^3:34: unknown condition 'Internet'/);
  assert.match(error(oneStep('{ "expect": { "constructor": 1 } }')), /^3:19: unknown trace field 'constructor'/);
  assert.match(error(oneStep('{ "expect": {} }')), /^3:17: 'expect' needs at least one field/);
  assert.match(error(oneStep('{ "expect": { "trigger": "NoSuchTrigger" } }')), /^3:30: unknown trigger 'NoSuchTrigger'/);
  for (const t of ['TimeZoneChange', 'TimeTrigger(30)', 'SystemTrigger(TimeZoneChange, oneShot)', 'TimeTrigger']) assert.doesNotThrow(() => parseScenario(oneStep(`{ "expect": { "trigger": "${t}" } }`), 'x'), t);
  // A field the event lacks (own keys only, never the prototype's) does not match.
  assert.equal(matches({ t: 0, event: 'fired' }, { constructor: Object }), false);
});

test('scenario: JSON syntax errors carry line and column; comments, trailing commas and an empty file are errors', () => {
  assert.match(error('{\n  "steps": [\n    { "fire": "TimeZoneChange" },,\n  ]\n}'), /^3:34: invalid JSON: expected a value/);
  assert.match(error('{ "steps": [] // note\n}'), /^1:15: invalid JSON: comments are not allowed/);
  assert.match(error('{ "steps": [1,] }'), /^1:15: invalid JSON: expected a value/);
  assert.match(error(''), /^1:1: invalid JSON/);
  assert.match(error('{ "steps": [ "unterminated ] }'), /^1:14: invalid JSON: unterminated string/);
  assert.doesNotThrow(() => parseScenario('\uFEFF{ "steps": [] }', 'x'));
  assert.match(error('\uFEFF{ "steps": 1 }'), /^1:13: "steps" must be an array/);
});

test('scenario §3: a freshness under 15 minutes parses; the host refuses it at registration, as Windows does', () => {
  const sc = parseScenario(oneStep('{ "register": { "name": "X", "trigger": "TimeTrigger(10)" } }'), 'x');
  assert.deepEqual((sc.steps[0] as { spec: { trigger: unknown } }).spec.trigger, { type: 'TimeTrigger', freshness: 10, oneShot: false });
  const obj = parseScenario(oneStep('{ "register": { "name": "X", "trigger": { "type": "MaintenanceTrigger", "freshness": 0 } } }'), 'x');
  assert.deepEqual((obj.steps[0] as { spec: { trigger: unknown } }).spec.trigger, { type: 'MaintenanceTrigger', freshness: 0, oneShot: false });
  // TimeTrigger(UInt32 freshnessTime, ...): beyond UInt32 is not a freshness.
  assert.match(error(oneStep('{ "register": { "name": "X", "trigger": { "type": "TimeTrigger", "freshness": 4294967296 } } }')), /freshness must be a whole number of minutes \(UInt32\)/);
});

test('scenario: a trigger as the trace prints it parses back to the same trigger (describeTrigger round trip)', () => {
  const triggers = [
    { type: 'SystemTrigger', systemTriggerType: 'TimeZoneChange', oneShot: false },
    { type: 'SystemTrigger', systemTriggerType: 'InternetAvailable', oneShot: true },
    { type: 'TimeTrigger', freshness: 15, oneShot: true },
    { type: 'TimeTrigger', freshness: 30, oneShot: false },
    { type: 'MaintenanceTrigger', freshness: 60, oneShot: false },
    { type: 'ApplicationTrigger' },
    { type: 'PushNotificationTrigger' },
  ];
  for (const t of triggers) assert.deepEqual(parseTriggerText(describeTrigger(t)), { trigger: t }, describeTrigger(t));
  assert.deepEqual(parseTriggerText('TimeTrigger( 15 ,oneShot )'), { trigger: { type: 'TimeTrigger', freshness: 15, oneShot: true } });
  assert.deepEqual(parseTriggerText('timezonechange'), { trigger: { type: 'SystemTrigger', systemTriggerType: 'TimeZoneChange', oneShot: false } });
  for (const bad of ['TimeTrigger(15, twice)', 'TimeTrigger(15, oneShot, x)', 'SystemTrigger', 'SystemTrigger(Nope)', 'ApplicationTrigger(1)', 'TimeTrigger(1.5)', 'constructor', '__proto__', 'TimeTrigger(,)', '(15)'])
    assert.ok('error' in parseTriggerText(bad), bad);
});

test('scenario: positions come from one line table (an 8,000-step file keeps exact lines; the bench times 32,000)', () => {
  const steps: string[] = Array.from({ length: 8_000 }, (_, i) => (i % 2 ? '    { "advance": "15m" }' : '    { "fire": "TimeZoneChange" }'));
  steps.push('    { "fire": "Nope" }');
  const text = `{\n  "steps": [\n${steps.join(',\n')}\n  ]\n}`;
  assert.match(error(text), /^8003:15: unknown trigger 'Nope'/);
  const ok = parseScenario(`{\n  "steps": [\n${steps.slice(0, -1).join(',\n')}\n  ]\n}`, 'x');
  assert.equal(ok.steps.length, 8_000);
  assert.equal(ok.steps[7_999].line, 8_002);
  const idx = new LineIndex('ab\ncd\n\nef');
  assert.deepEqual([0, 2, 3, 6, 7, 9, 100].map((o) => idx.at(o)), [{ line: 1, column: 1 }, { line: 1, column: 3 }, { line: 2, column: 1 }, { line: 3, column: 1 }, { line: 4, column: 1 }, { line: 4, column: 3 }, { line: 4, column: 3 }]);
});

test('scenario: the summary line says how many expectations passed and which step failed', () => {
  assert.equal(summary({ ok: true, passed: 3, total: 3 }), '3 of 3 expectations passed');
  assert.equal(summary({ ok: false, passed: 1, total: 4, failed: { index: 2, line: 7, message: 'expected X' } }), '1 of 4 expectations passed; step 3 failed: expected X');
});

test('scenario: schemas/bgscenario.schema.json is the one the parser tables generate, and accepts every example', () => {
  const file = path.join(REPO, 'schemas/bgscenario.schema.json');
  const generated = scenarioSchema();
  if (process.env.BGTASK_UPDATE_SCHEMA) fs.writeFileSync(file, JSON.stringify(generated, null, 2) + '\n');
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), generated, 'schema out of step: run BGTASK_UPDATE_SCHEMA=1 npm test -- test/host/scenario.test');
  const validate = new Ajv({ strict: false, allErrors: true }).compile(generated);
  const examples = fs.readdirSync(path.join(REPO, 'examples')).flatMap((d) => {
    const dir = path.join(REPO, 'examples', d);
    return fs.statSync(dir).isDirectory() ? fs.readdirSync(dir).filter((f) => f.endsWith('.bgscenario.json')).map((f) => path.join(dir, f)) : [];
  });
  assert.ok(examples.length >= 4);
  for (const f of examples) {
    const text = fs.readFileSync(f, 'utf8');
    assert.doesNotThrow(() => parseScenario(text, f), f);
    assert.ok(validate(JSON.parse(text)), `${f}: ${JSON.stringify(validate.errors)}`);
  }
  // A typo the parser rejects, the schema rejects too.
  assert.equal(validate({ steps: [{ expectNot: { event: 'started', tsk: 'Y' } }] }), false);
  assert.equal(validate({ steps: [{ advance: null }] }), false);
});
