// The JSON schema of *.bgscenario.json (schemas/bgscenario.schema.json, contributed to VS Code), built
// from the same tables the scenario parser checks against, so the two cannot drift apart; a test
// compares the file with this (BGTASK_UPDATE_SCHEMA=1 rewrites it).
import { ACCESS_STATUSES, CANCELLATION_REASONS, PROFILES, SYSTEM_CONDITION_TYPES, SYSTEM_TRIGGER_TYPES, TRIGGER_CLASSES } from '../core/model/catalog';
import { MAX_TIMER_MS } from './duration';
import { EVENTS, LIFECYCLE_ACTIONS, LIMIT_KEYS, MAX_ADVANCE_MS, MAX_MEMORY_MB, MAX_TIME_SCALE, MAX_WAIT_MS, REGISTER_KEYS, STEP_KEYS, TRACE_FIELDS } from './scenario';
import { STATE_KEYS } from './state';

type Schema = Record<string, unknown>;

const DURATION_PATTERN = '^(\\s*\\d+(\\.\\d+)?\\s*(ms|min|s|m|h|d))+\\s*$';
const duration = (min: number, max: number, description: string): Schema => ({
  description,
  oneOf: [{ type: 'string', pattern: DURATION_PATTERN }, { type: 'number', minimum: min, maximum: max }],
});

function stateSchema(): Schema {
  const props: Record<string, Schema> = {};
  for (const k of STATE_KEYS) {
    if (k === 'backgroundWorkCost') props[k] = { enum: ['Low', 'Medium', 'High'] };
    else if (k === 'power') props[k] = { enum: ['ac', 'dc'] };
    else if (k === 'accessStatus') props[k] = { enum: [...ACCESS_STATUSES] };
    else if (k === 'timeZone') props[k] = { type: 'string', minLength: 1, maxLength: 100 };
    else props[k] = { type: 'boolean' };
  }
  return { type: 'object', additionalProperties: false, properties: props };
}

function expectationSchema(kind: string): Schema {
  const props: Record<string, Schema> = { description: { type: 'string' } };
  for (const [k, type] of TRACE_FIELDS) {
    if (k === 'event') props[k] = { enum: [...EVENTS] };
    else if (k === 'reason') props[k] = { enum: [...CANCELLATION_REASONS] };
    else if (k === 'what') props[k] = { enum: ['Completed', 'Progress'] };
    else if (type === 'string[]') props[k] = { type: 'array', items: { type: 'string' } };
    else props[k] = { type };
  }
  return {
    type: 'object',
    minProperties: 1,
    additionalProperties: false,
    description: kind === 'expect' ? 'An event the trace must contain (strings equal; error/why/text/result contained; arrays contained).' : 'An event the trace must not contain.',
    properties: props,
  };
}

function triggerSchema(): Schema {
  return {
    oneOf: [
      { type: 'string', description: 'As the trace prints it: TimeZoneChange, SystemTrigger(TimeZoneChange, oneShot), TimeTrigger(15, oneShot), MaintenanceTrigger(30), ApplicationTrigger.' },
      {
        type: 'object',
        required: ['type'],
        additionalProperties: false,
        properties: {
          type: { enum: TRIGGER_CLASSES.map((c) => c.name) },
          systemTriggerType: { enum: SYSTEM_TRIGGER_TYPES.map((t) => t.name) },
          freshness: { type: 'integer', minimum: 0, maximum: 4_294_967_295, description: 'Minutes (TimeTrigger, MaintenanceTrigger); below 15 fails to register (§3).' },
          oneShot: { type: 'boolean' },
        },
      },
    ],
  };
}

/** A registration of the scenario's own (`"register": {...}`). */
function registerSpecSchema(): Schema {
  const reg: Record<string, Schema> = {
    name: { type: 'string', minLength: 1 },
    entryPoint: { type: 'string', minLength: 1 },
    trigger: triggerSchema(),
    conditions: { type: 'array', items: { enum: SYSTEM_CONDITION_TYPES.map((c) => c.name) } },
    cancelOnConditionLoss: { type: 'boolean' },
    isNetworkRequested: { type: 'boolean' },
    group: { type: 'string', minLength: 1 },
  };
  return { type: 'object', required: ['name'], additionalProperties: false, properties: Object.fromEntries(REGISTER_KEYS.map((k) => [k, reg[k]])) };
}

function stepSchema(kind: string): Schema {
  const props: Record<string, Schema> = {};
  switch (kind) {
    case 'launch': props.launch = { type: 'object', maxProperties: 0 }; break;
    case 'lifecycle': props.lifecycle = { enum: [...LIFECYCLE_ACTIONS] }; break;
    case 'fire':
      props.fire = { type: 'string', minLength: 1, description: 'A SystemTriggerType member (TimeZoneChange) or a trigger class (MaintenanceTrigger).' };
      props.details = { description: 'TriggerDetails handed to the task.' };
      break;
    case 'set': props.set = stateSchema(); break;
    case 'advance': props.advance = duration(1, MAX_ADVANCE_MS, 'Move virtual time: "20m", "2h", "30d" (at most 366 days a step).'); break;
    case 'wait': props.wait = duration(0, MAX_WAIT_MS, 'Wait in real time (at most 10 minutes).'); break;
    case 'trigger': props.trigger = { type: 'string', minLength: 1, description: 'Run a registered task now, as Visual Studio does.' }; break;
    case 'applicationTrigger':
      props.applicationTrigger = { type: 'string', minLength: 1 };
      props.arguments = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } };
      break;
    case 'push':
      props.push = { type: 'string', minLength: 1 };
      props.payload = { description: 'The raw notification content (a string, or JSON that is sent as its text).' };
      break;
    case 'register':
      props.register = {
        anyOf: [
          { type: 'string', minLength: 1, description: "The name of a registration in the app's code that app start does not reach (a button's handler): the host runs that registration code, as the click would." },
          { $ref: '#/definitions/registerSpec' },
        ],
      };
      break;
    case 'unregister':
      props.unregister = { type: 'string', minLength: 1 };
      props.cancel = { type: 'boolean' };
      break;
    default:
      props[kind] = expectationSchema(kind);
      props.description = { type: 'string' };
  }
  for (const extra of STEP_KEYS.get(kind) ?? []) props[extra] ??= {};
  return { type: 'object', required: [kind], additionalProperties: false, properties: props };
}

export function scenarioSchema(): Schema {
  const limits: Record<string, Schema> = {};
  for (const k of LIMIT_KEYS)
    limits[k] = k === 'memoryMb' ? { type: 'integer', minimum: 1, maximum: MAX_MEMORY_MB } : duration(k === 'cancelGraceMs' || k === 'modeledCpuMs' ? 0 : 1, MAX_TIMER_MS, 'A duration ("30s") or ms; at most 2^31-1 ms (also after timeScale).');
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://bgtask/schemas/bgscenario.schema.json',
    title: 'bgtask host scenario (*.bgscenario.json)',
    type: 'object',
    additionalProperties: false,
    required: ['steps'],
    properties: {
      $schema: { type: 'string' },
      description: { type: 'string' },
      profile: { enum: [...PROFILES] },
      state: stateSchema(),
      limits: { type: 'object', additionalProperties: false, properties: limits },
      timeScale: { type: 'number', exclusiveMinimum: 0, maximum: MAX_TIME_SCALE },
      cpuQuota: { type: 'boolean' },
      steps: { type: 'array', items: { oneOf: [...STEP_KEYS.keys()].map(stepSchema) } },
    },
    definitions: { registerSpec: registerSpecSchema() },
  };
}
