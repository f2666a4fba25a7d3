// The host side of a task run as its runners report it: re-exported for the protocol's fuzz tests.
// Runners themselves are sandboxed processes (runners/runtime.ts, sandbox/runner.ts).
export { dispatchRunnerMessage, type InstanceEvents as RunnerEvents } from './runners/runtime';
