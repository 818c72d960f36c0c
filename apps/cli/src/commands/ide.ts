import { findCodeServer } from '@volundr/adapter-local/ide/code-server-find';
import { CodeServerInstallError, installCodeServer } from '@volundr/adapter-local/ide/code-server-install';
import type { Command } from 'commander';
import { CliError, dim, green } from '../output';
import { resolveDataDir } from './data-dir';

export function registerIdeCommands(program: Command): void {
  const ide = program
    .command('ide')
    .description('The browser IDE (code-server) of local sessions')
    .addHelpText('after', '\nExamples:\n  volundr ide install\n');
  ide
    .command('install')
    .description(
      'Install code-server into the data dir, from the npm registry; every session started afterwards gets an IDE',
    )
    .option('-d, --data-dir <dir>', 'data dir of the local Volundr (default ~/.volundr)')
    .addHelpText('after', '\nExamples:\n  volundr ide install\n  volundr ide install --data-dir /tmp/volundr-demo\n')
    .action(async (options: { dataDir?: string }) => {
      const dataDir = resolveDataDir(options.dataDir);
      const existing = findCodeServer(dataDir);
      if (existing) {
        process.stdout.write(`code-server is already installed: ${existing}\n`);
        return;
      }
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      const started = Date.now();
      try {
        const installed = await installCodeServer({
          dataDir,
          signal: abort.signal,
          onProgress: ({ phase, message }) => {
            if (phase === 'npm') process.stderr.write(dim(`  ${message}\n`));
            else process.stdout.write(`${message}\n`);
          },
        });
        const seconds = ((Date.now() - started) / 1000).toFixed(0);
        process.stdout.write(
          `${green('code-server')} ${installed.version} installed in ${seconds} s: ${installed.binPath}\n`,
        );
        process.stdout.write('Sessions started from now on have an IDE tab.\n');
      } catch (error) {
        if (error instanceof CodeServerInstallError) {
          const hint = error.missing.length
            ? error.missing.map((m) => `missing ${m.what}: ${m.fix}`).join('\n')
            : 'run again with --debug for details';
          throw new CliError(error.message, hint);
        }
        throw error;
      }
    });
}
