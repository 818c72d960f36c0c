import { join } from 'node:path';
import { type Database, openDatabase } from '@volundr/db/client';
import { findMigrationsDir, migrate, pendingMigrations } from '@volundr/db/migrate';
import type { Config } from '../config/schema';
import type { ReadinessCheck } from '../http/server';
import type { AppLogger } from '../logger';

export interface ComposedDatabase {
  database: Database;
  readiness: ReadinessCheck[];
}

/** Opens the configured database (PGlite in the data dir by default), migrates, and says how to check it. */
export async function composeDatabase(config: Config, logger: AppLogger): Promise<ComposedDatabase> {
  const database =
    config.database.driver === 'pglite'
      ? await openDatabase({ driver: 'pglite', dataDir: config.database.dataDir ?? join(config.dataDir, 'db') })
      : await openDatabase({ driver: 'postgres', url: config.database.url, max: config.database.poolSize });
  const migrationsDir = findMigrationsDir(import.meta.url, config.migrations.dir ?? process.env.VOLUNDR_MIGRATIONS_DIR);
  if (config.migrations.applyOnStart || config.mode === 'local') {
    const result = await migrate(database, migrationsDir, {
      onApplied: ({ name, durationMs }) => logger.info({ migration: name, durationMs }, 'migration applied'),
    });
    logger.info({ applied: result.applied.length, alreadyApplied: result.alreadyApplied }, 'database migrated');
  }
  return {
    database,
    readiness: [
      {
        name: 'database',
        check: async () => {
          await database.ping();
          return { ok: true };
        },
      },
      {
        name: 'migrations',
        check: async () => {
          const pending = await pendingMigrations(database, migrationsDir);
          return pending.length === 0 ? { ok: true } : { ok: false, detail: `pending: ${pending.join(', ')}` };
        },
      },
    ],
  };
}
