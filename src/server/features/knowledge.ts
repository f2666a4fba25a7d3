// What the editor features say about the platform: hover and completion text for triggers,
// conditions and Task Types, built from the one catalog (core/model/catalog).
import { apiDoc, GUIDES, markdownLinks } from '../../shared/platformDocs';
import { SYSTEM_CONDITION_TYPES, SYSTEM_TRIGGER_TYPES, TASK_TYPE_DESCRIPTIONS, TRIGGER_CLASSES, systemConditionType, systemTriggerType, taskTypesForTrigger, triggerClass } from '../../core/model/catalog';

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

/** Hover/completion documentation for `SystemTriggerType.<name>` (any case). */
export function systemTriggerDoc(name: string): string | undefined {
  const info = systemTriggerType(name);
  if (!info) return undefined;
  const types = taskTypesForTrigger('SystemTrigger', 'win10');
  return [
    `**SystemTriggerType.${info.name}** (${info.value}): ${info.description}`,
    '',
    `- Manifest Task Type: \`${types.join('` or `')}\``,
    `- Windows 8/8.1: ${info.lockScreenOn8x ? 'needs the lock screen (RequestAccessAsync)' : 'no lock screen needed'}; Windows 10 and Phone 8.1: RequestAccessAsync before registering`,
    `- Available since: ${info.since}${info.oneShotUnsupported ? ' · OneShot is not supported' : ''}`,
    `- Visual Studio Lifecycle Events can fire it: ${yesNo(info.visualStudioCanFire)} · bgtask host can: yes`,
    '',
    markdownLinks([apiDoc('SystemTriggerType'), GUIDES.support]),
  ].join('\n');
}

export function systemConditionDoc(name: string): string | undefined {
  const info = systemConditionType(name);
  if (!info) return undefined;
  return [
    `**SystemConditionType.${info.name}** (${info.value}): ${info.description}`,
    ...(info.conflictsWith ? ['', `Never together with \`${info.conflictsWith}\` (the task would never run).`] : []),
    '',
    markdownLinks([apiDoc('SystemConditionType'), GUIDES.support]),
  ].join('\n');
}

export function triggerClassDoc(name: string): string | undefined {
  const info = triggerClass(name);
  if (!info) return undefined;
  const win10 = info.taskTypes.win10.length ? `\`${info.taskTypes.win10.join('` or `')}\`` : 'not available';
  const win8 = info.win10Only ? 'not available' : info.taskTypes.win8.length ? `\`${info.taskTypes.win8.join('` or `')}\`` : 'not available';
  return [
    `**${info.name}**: ${info.description}`,
    '',
    `- Manifest Task Type: Windows 10 ${win10}; Windows 8.x ${win8}`,
    `- Windows 8/8.1: ${info.lockScreenOn8x ? 'needs the lock screen (RequestAccessAsync)' : 'no lock screen needed'}; Windows 10: RequestAccessAsync before registering`,
    ...(info.hasFreshness ? ['- Freshness time in minutes: at least 15 (TimeTrigger fires within N…N+15 minutes)'] : []),
    ...(info.singleInstance ? ['- One registration per app'] : []),
    `- Visual Studio Lifecycle Events can fire it: ${yesNo(info.visualStudioCanFire)} · bgtask host can: yes`,
    '',
    markdownLinks([apiDoc(info.name), GUIDES.declare]),
  ].join('\n');
}

export function taskTypeDoc(type: string): string | undefined {
  const description = TASK_TYPE_DESCRIPTIONS[type];
  if (!description) return undefined;
  const triggers = TRIGGER_CLASSES.filter((t) => t.taskTypes.win10.includes(type) || t.taskTypes.win8.includes(type)).map((t) => t.name);
  return [`**Task Type \`${type}\`**: ${description}`, ...(triggers.length ? ['', `Triggers it accepts: ${triggers.join(', ')}`] : []), '', markdownLinks([GUIDES.taskElement, GUIDES.declare])].join('\n');
}

export const TRIGGER_NAMES = SYSTEM_TRIGGER_TYPES.map((t) => t.name);
export const CONDITION_NAMES = SYSTEM_CONDITION_TYPES.map((c) => c.name);
