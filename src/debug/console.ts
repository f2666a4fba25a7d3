// The Debug Console of a bgtask session: the `bgtask host` prompt's words (`fire TimeZoneChange`,
// `set internet off`, `advance 20m`, `suspend`, `trigger NAME`, ...) turned into the custom requests.
import { RequestError } from './commands';

export const CONSOLE_HELP = `Commands (as at the bgtask host prompt):
  fire TRIGGER [json details]     set KEY VALUE        advance DURATION
  launch | suspend | resume | shutdown                 trigger NAME
  app NAME [key=value...]         push NAME PAYLOAD    unregister NAME [cancel]
  tasks                           help`;

/** One console line → a custom request, or text to print ('help'). */
export function consoleRequest(line: string): { command: string; args: Record<string, unknown> } | { text: string } {
  const [word, ...rest] = line.trim().split(/\s+/);
  const cmd = (word ?? '').toLowerCase();
  const need = (what: string) => {
    if (!rest[0]) throw new RequestError(`${cmd} needs ${what} (type 'help')`);
    return rest[0];
  };
  switch (cmd) {
    case '':
    case 'help':
      return { text: CONSOLE_HELP };
    case 'fire': {
      const trigger = need('a trigger, e.g. fire TimeZoneChange');
      let details: unknown;
      if (rest.length > 1) {
        try {
          details = JSON.parse(rest.slice(1).join(' '));
        } catch {
          throw new RequestError('fire: the details after the trigger must be JSON');
        }
      }
      return { command: 'bgtask.fire', args: details === undefined ? { trigger } : { trigger, details } };
    }
    case 'set':
      need('a state key and a value, e.g. set internet off');
      if (rest.length < 2) throw new RequestError('set needs a value, e.g. set internet off');
      return { command: 'bgtask.setState', args: { [rest[0]]: rest.slice(1).join(' ') } };
    case 'advance':
      need('a duration, e.g. advance 20m');
      return { command: 'bgtask.advance', args: { duration: rest.join('') } };
    case 'launch':
    case 'suspend':
    case 'resume':
    case 'shutdown':
    case 'terminate':
      return { command: 'bgtask.lifecycle', args: { action: cmd } };
    case 'trigger':
      need('a registration name');
      return { command: 'bgtask.trigger', args: { task: rest.join(' ') } };
    case 'app': {
      const task = need('a registration name');
      const args: Record<string, string> = {};
      for (const kv of rest.slice(1)) {
        const i = kv.indexOf('=');
        if (i <= 0) throw new RequestError(`app: '${kv}' is not key=value`);
        args[kv.slice(0, i)] = kv.slice(i + 1);
      }
      return { command: 'bgtask.applicationTrigger', args: { task, arguments: args } };
    }
    case 'push':
      return { command: 'bgtask.push', args: { task: need('a registration name'), payload: rest.slice(1).join(' ') } };
    case 'unregister':
      return { command: 'bgtask.unregister', args: { task: need('a registration name'), cancel: rest[1] === 'cancel' || rest[1] === 'true' } };
    case 'tasks':
      return { command: 'bgtask.registrations', args: {} };
    default:
      throw new RequestError(`unknown command '${word}' (type 'help')`);
  }
}
