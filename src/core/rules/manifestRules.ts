// Rules on manifests and project files (RULES.md "Manifest" and "Projects"), in catalog order; each
// lives in its own folder with its tests and fixtures.
import type { Rule } from './types';
import { rule as manifestNotWellFormed } from './manifest-not-well-formed/rule';
import { rule as extensionMissingEntryPoint } from './extension-missing-entry-point/rule';
import { rule as manifestEntryPointClassNotFound } from './manifest-entry-point-class-not-found/rule';
import { rule as taskTypeInvalid } from './task-type-invalid/rule';
import { rule as taskTypeMissing } from './task-type-missing/rule';
import { rule as tooManyTasks } from './too-many-tasks/rule';
import { rule as lockScreenDeclarationMissing } from './lock-screen-declaration-missing/rule';
import { rule as executableNotAllowed } from './executable-not-allowed/rule';
import { rule as duplicateEntryPoint } from './duplicate-entry-point/rule';
import { rule as multipleInstancesConflict } from './multiple-instances-conflict/rule';
import { rule as ignorableNamespaceMissing } from './ignorable-namespace-missing/rule';
import { rule as appsdkComClassMissing } from './appsdk-com-class-missing/rule';
import { rule as taskProjectNotWinmd } from './task-project-not-winmd/rule';
import { rule as taskProjectNotReferenced } from './task-project-not-referenced/rule';

export const MANIFEST_RULES: readonly Rule[] = [
  manifestNotWellFormed,
  extensionMissingEntryPoint,
  manifestEntryPointClassNotFound,
  taskTypeInvalid,
  taskTypeMissing,
  tooManyTasks,
  lockScreenDeclarationMissing,
  executableNotAllowed,
  duplicateEntryPoint,
  multipleInstancesConflict,
  ignorableNamespaceMissing,
  appsdkComClassMissing,
  taskProjectNotWinmd,
  taskProjectNotReferenced,
];
