import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@volundr/api/config/load-config';
import { openDatabase } from '@volundr/db/client';
import { findMigrationsDir, migrate } from '@volundr/db/migrate';
import type { Command } from 'commander';
import { CliError, dim, green } from '../output';
import { checkoutRoot } from '../up/paths';
import { runningUp } from '../up/state-file';
import { resolveDataDir } from './data-dir';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .option('-c, --config <file>', 'configuration file (or $VOLUNDR_CONFIG); DATABASE_URL selects PostgreSQL')
    .option('-d, --data-dir <dir>', 'data dir of the embedded database (default ~/.volundr)')
    .addHelpText('after', '\nExamples:\n  volundr migrate\n  DATABASE_URL=postgres://db/volundr volundr migrate\n')
    .action(async (options: { config?: string; dataDir?: string }) => {
      const dataDir = resolveDataDir(options.dataDir);
      const { config } = loadConfig({ file: options.config ?? process.env.VOLUNDR_CONFIG, flags: { dataDir } });
      if (config.database.driver === 'pglite' && runningUp(dataDir)) {
        throw new CliError(
          `Volundr is running from ${dataDir}; it migrates its embedded database at start`,
          'stop it first (volundr down) to migrate by hand',
        );
      }
      const database =
        config.database.driver === 'pglite'
          ? await openDatabase({ driver: 'pglite', dataDir: config.database.dataDir ?? join(config.dataDir, 'db') })
          : await openDatabase({ driver: 'postgres', url: config.database.url, max: 2 });
      try {
        const dir = findMigrationsDir(
          pathToFileURL(join(checkoutRoot(), 'migrations', 'x')),
          config.migrations.dir ?? process.env.VOLUNDR_MIGRATIONS_DIR,
        );
        const result = await migrate(database, dir, {
          onApplied: ({ name, durationMs }) =>
            process.stdout.write(`${green('applied')} ${name} ${dim(`(${durationMs} ms)`)}\n`),
        });
        process.stdout.write(
          result.applied.length === 0
            ? `database is up to date (${result.alreadyApplied} migrations applied before)\n`
            : `${result.applied.length} migration(s) applied\n`,
        );
      } finally {
        await database.close();
      }
    });
}
