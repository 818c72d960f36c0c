#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerDevCommands } from './commands/dev';
import { registerMigrateCommand } from './commands/migrate';
import { registerUpCommands } from './commands/up';
import { CliError, dim, red } from './output';

const program = new Command('volundr')
  .description('Ephemeral, isolated AI coding sessions: run the platform, manage sessions, chat.')
  .option('--debug', 'show stack traces for errors')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerUpCommands(program);
registerMigrateCommand(program);
registerDevCommands(program);

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
