import { Command } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { registerAttachCommand } from './commands/attach';
import { registerAuthCommands } from './commands/auth';
import { registerChatCommand } from './commands/chat';
import { registerChronicleCommands } from './commands/chronicles';
import { examples } from './commands/command-options';
import { registerCompletionCommand } from './commands/completion';
import { registerContextCommands } from './commands/context';
import { registerDevCommands } from './commands/dev';
import { registerIdeCommands } from './commands/ide';
import { registerMigrateCommand } from './commands/migrate';
import { registerSessionCommands } from './commands/sessions';
import { registerUpCommands } from './commands/up';

/** Examples for the commands registered elsewhere without any (every command's help has some). */
const extraExamples: Record<string, string[]> = {
  status: ['volundr status', 'volundr status --data-dir /tmp/volundr-demo'],
  down: ['volundr down', 'volundr down --data-dir /tmp/volundr-demo'],
  dev: ['volundr dev token --user admin'],
};

/** The `volundr` command with every subcommand registered (main.ts runs it). */
export function createProgram(): Command {
  const program = new Command('volundr')
    .description('Ephemeral, isolated AI coding sessions: run the platform, manage sessions, chat.')
    .version(pkg.version, '-V, --version', 'print the CLI version')
    .option('--debug', 'show stack traces for errors')
    .option('-s, --server <url>', 'the server to talk to (default: $VOLUNDR_SERVER, else the current context)')
    .option('--context <name>', 'use this context instead of the current one ($VOLUNDR_CONTEXT)')
    .option('--token <token>', 'a personal access token or JWT to use instead of the stored login ($VOLUNDR_TOKEN)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `${examples(
        'volundr up                                  # the whole platform on this machine',
        'volundr login',
        'volundr sessions create demo --model claude-sonnet-4-5',
        'volundr chat demo -m "Explain this repository"',
        'volundr attach demo',
      )}
Exit codes: 0 ok, 1 failure, 2 usage, 3 server unreachable, 4 not logged in, 5 session or turn failed,
130 cancelled. More: docs/cli.md.
`,
    );

  registerUpCommands(program);
  registerMigrateCommand(program);
  registerDevCommands(program);
  registerIdeCommands(program);
  registerContextCommands(program);
  registerAuthCommands(program);
  registerSessionCommands(program);
  registerChatCommand(program);
  registerAttachCommand(program);
  registerChronicleCommands(program);
  registerCompletionCommand(program);
  for (const command of program.commands) {
    const lines = extraExamples[command.name()];
    if (lines?.length) command.addHelpText('after', examples(...lines));
  }
  return program;
}
