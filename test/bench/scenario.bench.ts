// Scenario parsing benchmark: a 32,000-step scenario (every step kind, pretty-printed as people write
// them) parsed by parseScenario, beside JSON.parse of the same text in the same run (the floor: no
// positions, no checks). Target: <= 1 s (issue 7; the hand-written parser took 84 s).
import { parseScenario } from '../../src/host/scenario';
import type { BenchRow } from './engine.bench';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

const STEPS = [
  { fire: 'TimeZoneChange' },
  { advance: '15m' },
  { set: { internetAvailable: false, power: 'dc' } },
  { register: { name: 'Net', entryPoint: 'Tasks.Net', trigger: 'TimeTrigger(15, oneShot)', conditions: ['InternetAvailable'], cancelOnConditionLoss: true } },
  { expect: { event: 'latched', task: 'Net', waitingFor: ['InternetAvailable'] } },
  { lifecycle: 'suspend' },
  { applicationTrigger: 'App', arguments: { k: 'v', n: 1 } },
  { expectNot: { event: 'canceled', task: 'Net', reason: 'ConditionLoss' }, description: 'no loss' },
];

export function scenarioText(steps = 32_000): string {
  return JSON.stringify({ $schema: '../../schemas/bgscenario.schema.json', profile: 'win10', state: { userPresent: true }, steps: Array.from({ length: steps }, (_, i) => STEPS[i % STEPS.length]) }, null, 2);
}

export async function run(): Promise<BenchRow[]> {
  const text = scenarioText();
  const floor: number[] = [];
  const parse: number[] = [];
  for (let i = 0; i < 7; i++) {
    let t = now();
    JSON.parse(text);
    floor.push(now() - t);
    t = now();
    const sc = parseScenario(text, 'bench.bgscenario.json');
    parse.push(now() - t);
    if (sc.steps.length !== 32_000) throw new Error(`parsed ${sc.steps.length} steps`);
  }
  const p = median(parse);
  const f = median(floor);
  return [
    { name: `JSON.parse of a 32,000-step scenario (${round(text.length / 1024 / 1024, 2)} MB; the floor)`, value: round(f, 2), unit: 'ms', note: 'median of 7, alternated with the parse below' },
    { name: 'parseScenario, 32,000 steps (positions + typed checks)', value: round(p), unit: 'ms', target: '<= 1000 ms', ok: p <= 1000, note: `${round(p / f)}× the floor; max ${round(Math.max(...parse))} ms` },
  ];
}
