#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerAttachCommand } from './commands/attach';
import { registerAuthCommands } from './commands/auth';
import { registerChatCommand } from './commands/chat';
import { registerChronicleCommands } from './commands/chronicles';
import { registerCompletionCommand } from './commands/completion';
import { registerContextCommands } from './commands/context';
import { registerDevCommands } from './commands/dev';
import { registerMigrateCommand } from './commands/migrate';
import { registerSessionCommands } from './commands/sessions';
import { registerUpCommands } from './commands/up';
import { CliError, dim, red } from './output';

// `volundr sessions ls | head -1` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const program = new Command('volundr')
  .description('Ephemeral, isolated AI coding sessions: run the platform, manage sessions, chat.')
  .option('--debug', 'show stack traces for errors')
  .option('-s, --server <url>', 'the server to talk to (default: $VOLUNDR_SERVER, else the current context)')
  .option('--context <name>', 'use this context instead of the current one ($VOLUNDR_CONTEXT)')
  .option('--token <token>', 'a personal access token or JWT to use instead of the stored login ($VOLUNDR_TOKEN)')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerUpCommands(program);
registerMigrateCommand(program);
registerDevCommands(program);
registerContextCommands(program);
registerAuthCommands(program);
registerSessionCommands(program);
registerChatCommand(program);
registerAttachCommand(program);
registerChronicleCommands(program);
registerCompletionCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  const debug = process.argv.includes('--debug');
  if (error instanceof CliError) {
    process.stderr.write(`${red('error:')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`${dim(error.hint)}\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`${red('error:')} ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
  if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write(`${dim('(run with --debug for details)')}\n`);
  process.exit(1);
}
