// What a CLI command may touch besides the file system: its output streams, the working folder and
// the version. Tests pass their own; main.ts passes the process's.
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  version: string;
  /** Colour on standard output / standard error (a terminal, or FORCE_COLOR; never with NO_COLOR). */
  color?: boolean;
  colorStderr?: boolean;
  /** Terminal width, when standard output is a terminal. */
  columns?: number;
}

/** A mistake in how the command was called: exit 2 with the message, no stack trace. */
export class UsageError extends Error {}
