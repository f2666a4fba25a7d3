// A WinJS app's start page scripts run on launch against the emulated API, in their own sandboxed
// runner process (DESIGN.md registration source (b)); see lifecycle.ts and sandbox/runner.ts.
import type { TaskHost } from './host';

/** Make the host run the app's start scripts on every launch. */
export function attachAppCode(host: TaskHost, scripts: readonly string[]): void {
  host.setStartScripts(scripts);
}
