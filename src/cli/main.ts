// The `bgtask` command: dispatches to `check` and `host`. Every failure becomes a one-line message
// and an exit code; no stack trace reaches the user.
import { CHECK_HELP, parseCheckArgs, runCheck } from './check';
import { useColor } from './format';
import { UsageError, type Io } from './io';
import { ALL_RULES } from '../core/rules/registry';

declare const BGTASK_VERSION: string | undefined;
const VERSION = typeof BGTASK_VERSION === 'string' ? BGTASK_VERSION : '0.1.0';

const HELP = `Usage: bgtask <command> [options]

Commands:
  check [paths...]   check background task code, manifests and projects (for CI and the terminal)
  host [path]        run the background task host simulator (scenario replay or interactive)
  rules              list the rules with their default severity

Run 'bgtask <command> --help' for a command's options.`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        if (rest.includes('--help') || rest.includes('-h')) {
          io.stdout(CHECK_HELP + '\n');
          return 0;
        }
        if (rest.includes('--list-rules')) return listRules(io);
        return await runCheck(parseCheckArgs(rest), io);
      case 'host': {
        // Loaded on demand: the simulator (and esbuild, for TypeScript tasks) costs `check` nothing.
        const { HOST_HELP, runHostCommand } = await import('./host');
        if (rest.includes('--help') || rest.includes('-h')) {
          io.stdout(HOST_HELP + '\n');
          return 0;
        }
        return await runHostCommand(rest, io);
      }
      case 'rules':
        return listRules(io);
      case '--version':
      case '-v':
        io.stdout(VERSION + '\n');
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(HELP + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`bgtask: ${error.message}\nRun 'bgtask --help' for usage.\n`);
      return 2;
    }
    io.stderr(`bgtask: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    return 2;
  }
}

function listRules(io: Io): number {
  for (const r of ALL_RULES) io.stdout(`${r.id.padEnd(38)} ${r.severity.padEnd(8)} ${r.title}\n`);
  return 0;
}

if (require.main === module) {
  const io: Io = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    version: VERSION,
    color: useColor(process.env, process.stdout.isTTY),
    colorStderr: useColor(process.env, process.stderr.isTTY),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`bgtask: internal error: ${(error as Error)?.message ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
