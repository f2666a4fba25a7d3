// What a CLI command may touch besides the file system: its output streams, the working folder and
// the version. Tests pass their own; main.ts passes the process's.
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  version: string;
}

/** A mistake in how the command was called: exit 2 with the message, no stack trace. */
export class UsageError extends Error {}
