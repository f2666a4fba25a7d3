// The rule ids of RULES.md, the product's rule catalog, in its order: what the tests hold the
// implementation and its documentation to.
/** The ids of RULES.md (the product's rule catalog), in its order. */
export const CATALOG = [
  'task-class-not-sealed', 'task-class-not-public', 'component-class-not-sealed', 'task-run-missing', 'async-run-without-deferral',
  'deferral-after-await', 'deferral-never-completed', 'deferral-complete-not-in-finally', 'canceled-not-handled', 'js-task-never-closes',
  'registration-without-existing-check', 'entry-point-class-not-found', 'entry-point-not-declared', 'trigger-type-not-declared',
  'freshness-too-short', 'freshness-too-long', 'request-access-missing', 'conflicting-conditions', 'oneshot-not-supported',
  'register-not-guarded', 'completed-handler-missing', 'duplicate-task-name', 'single-instance-trigger-reused',
  'declared-task-never-registered', 'appsdk-incompatible-builder',
  'manifest-not-well-formed', 'extension-missing-entry-point', 'manifest-entry-point-class-not-found', 'task-type-invalid',
  'task-type-missing', 'too-many-tasks', 'lock-screen-declaration-missing', 'executable-not-allowed', 'duplicate-entry-point',
  'multiple-instances-conflict', 'ignorable-namespace-missing', 'appsdk-com-class-missing',
  'task-project-not-winmd', 'task-project-not-referenced',
];

