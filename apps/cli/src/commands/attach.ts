import type { Command } from 'commander';
import { ApiClient } from '../api/api-client';
import { resolveSession } from '../sessions/session-api';
import { attachTerminal } from '../terminal/attach-terminal';
import { detachKeyByte } from '../terminal/detach-key';
import { examples, globalsOf } from './command-options';

export function registerAttachCommand(program: Command): void {
  program
    .command('attach')
    .description("Connect this terminal to a session's terminal (detach with Ctrl-])")
    .argument('<session>', 'session name or id')
    .option('--detach-key <key>', 'the key that detaches (ctrl- and a letter or [ \\ ] ^ _)', 'ctrl-]')
    .addHelpText(
      'after',
      `${examples('volundr attach demo', 'volundr attach demo --detach-key ctrl-q')}
Every key goes to the session's shell (Ctrl-C included) until the detach key. The window size
follows this terminal. Each attach gets a shell of its own, ended when you detach; the session,
its workspace and its agent keep running.
`,
    )
    .action(async (ref: string, options: { detachKey: string }, command: Command) => {
      const detachByte = detachKeyByte(options.detachKey);
      const api = ApiClient.fromOptions(globalsOf(command));
      const session = await resolveSession(api, ref);
      process.exitCode = await attachTerminal(api, session, { detachByte, detachLabel: options.detachKey });
    });
}
