#!/usr/bin/env node
import { CommanderError } from 'commander';
import { CliError, dim, red } from './output';
import { createProgram } from './program';

// `volundr sessions ls | head -1` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const program = createProgram();

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
