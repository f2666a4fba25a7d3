// PLACEHOLDER until the task host lands: `bgtask host` is owned by src/host (see issue 4).
import { UsageError, type Io } from './io';

export const HOST_HELP = 'Usage: bgtask host [path] [--scenario FILE] [--profile P] [--json]';

export async function runHostCommand(args: string[], io: Io): Promise<number> {
  void args;
  void io;
  throw new UsageError('the task host is not available in this build');
}
