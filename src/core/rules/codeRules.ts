// Rules on task classes and registration code (RULES.md "Task classes" and "Registration code"),
// in catalog order; each lives in its own folder with its tests and fixtures.
import type { Rule } from './types';
import { rule as taskClassNotSealed } from './task-class-not-sealed/rule';
import { rule as taskClassNotPublic } from './task-class-not-public/rule';
import { rule as componentClassNotSealed } from './component-class-not-sealed/rule';
import { rule as taskRunMissing } from './task-run-missing/rule';
import { rule as asyncRunWithoutDeferral } from './async-run-without-deferral/rule';
import { rule as deferralAfterAwait } from './deferral-after-await/rule';
import { rule as deferralNeverCompleted } from './deferral-never-completed/rule';
import { rule as deferralCompleteNotInFinally } from './deferral-complete-not-in-finally/rule';
import { rule as canceledNotHandled } from './canceled-not-handled/rule';
import { rule as jsTaskNeverCloses } from './js-task-never-closes/rule';
import { rule as registrationWithoutExistingCheck } from './registration-without-existing-check/rule';
import { rule as entryPointClassNotFound } from './entry-point-class-not-found/rule';
import { rule as entryPointNotDeclared } from './entry-point-not-declared/rule';
import { rule as triggerTypeNotDeclared } from './trigger-type-not-declared/rule';
import { rule as freshnessTooShort } from './freshness-too-short/rule';
import { rule as freshnessTooLong } from './freshness-too-long/rule';
import { rule as requestAccessMissing } from './request-access-missing/rule';
import { rule as conflictingConditions } from './conflicting-conditions/rule';
import { rule as oneshotNotSupported } from './oneshot-not-supported/rule';
import { rule as registerNotGuarded } from './register-not-guarded/rule';
import { rule as completedHandlerMissing } from './completed-handler-missing/rule';
import { rule as duplicateTaskName } from './duplicate-task-name/rule';
import { rule as singleInstanceTriggerReused } from './single-instance-trigger-reused/rule';
import { rule as declaredTaskNeverRegistered } from './declared-task-never-registered/rule';
import { rule as appsdkIncompatibleBuilder } from './appsdk-incompatible-builder/rule';

export const CODE_RULES: readonly Rule[] = [
  taskClassNotSealed,
  taskClassNotPublic,
  componentClassNotSealed,
  taskRunMissing,
  asyncRunWithoutDeferral,
  deferralAfterAwait,
  deferralNeverCompleted,
  deferralCompleteNotInFinally,
  canceledNotHandled,
  jsTaskNeverCloses,
  registrationWithoutExistingCheck,
  entryPointClassNotFound,
  entryPointNotDeclared,
  triggerTypeNotDeclared,
  freshnessTooShort,
  freshnessTooLong,
  requestAccessMissing,
  conflictingConditions,
  oneshotNotSupported,
  registerNotGuarded,
  completedHandlerMissing,
  duplicateTaskName,
  singleInstanceTriggerReused,
  declaredTaskNeverRegistered,
  appsdkIncompatibleBuilder,
];
