import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { afterAll, expect, it } from 'vitest';
import { type Database, openDatabase } from './client';
import {
  findMigrationsDir,
  MigrationChecksumError,
  migrate,
  pendingMigrations,
  readMigrationFiles,
  sha256,
} from './migrate';

const migrationsDir = findMigrationsDir(import.meta.url);
const allNames = readMigrationFiles(migrationsDir).map((file) => file.name);

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
/** A copy of the real migrations directory, plus `extra` files. */
function copyOfMigrations(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'volundr-migrations-'));
  tempDirs.push(dir);
  for (const name of readdirSync(migrationsDir)) copyFileSync(join(migrationsDir, name), join(dir, name));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Everything a migration can change in the public schema, as one comparable value. */
async function schemaSnapshot(db: Database) {
  const columns = await db.execute(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, numeric_precision, numeric_scale
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  );
  const indexes = await db.execute(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`,
  );
  const constraints = await db.execute(
    `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
  );
  return { columns, indexes, constraints };
}

const countRows = async (db: Database, table: string) =>
  (await db.execute<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n;

describeBothDatabases(
  'migrate',
  (getDb) => {
    it('applies every migration to an empty database and records each with its checksum', async () => {
      const db = getDb();
      expect(await pendingMigrations(db, migrationsDir)).toEqual(allNames);
      const result = await migrate(db, migrationsDir);
      expect(result).toEqual({ applied: allNames, alreadyApplied: 0 });
      const rows = await db.execute('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(
        readMigrationFiles(migrationsDir).map((f) => ({ version: f.version, name: f.name, checksum: f.checksum })),
      );
      expect(await pendingMigrations(db, migrationsDir)).toEqual([]);
      const tables = await db.execute<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(['users', 'tenants', 'sessions', 'session_events', 'personal_access_tokens']),
      );
    });

    it('does nothing on a second run', async () => {
      const db = getDb();
      const before = await schemaSnapshot(db);
      expect(await migrate(db, migrationsDir)).toEqual({ applied: [], alreadyApplied: allNames.length });
      expect(await schemaSnapshot(db)).toEqual(before);
      expect(await countRows(db, 'schema_migrations')).toBe(allNames.length);
    });

    it('has idempotent SQL: running every file again changes nothing', async () => {
      const db = getDb();
      const before = await schemaSnapshot(db);
      for (const file of readMigrationFiles(migrationsDir)) await db.executeScript(file.sql);
      expect(await schemaSnapshot(db)).toEqual(before);
    });

    it('fails loudly, before applying anything, when an applied migration was edited', async () => {
      const db = getDb();
      const dir = copyOfMigrations({ '0099_never.sql': '' });
      rmSync(join(dir, '0099_never.sql'));
      const first = readMigrationFiles(dir)[0]!;
      writeFileSync(first.path, `${first.sql}\n-- an edit after release\n`);
      writeFileSync(
        join(dir, `${String(allNames.length + 1).padStart(4, '0')}_after_edit.sql`),
        'CREATE TABLE after_edit_probe (x int);',
      );
      const edited = sha256(`${first.sql}\n-- an edit after release\n`);
      const error = await migrate(db, dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationChecksumError);
      expect((error as MigrationChecksumError).message).toMatch(
        new RegExp(
          `migration ${first.name}\\.sql was changed after it was applied: applied checksum ${first.checksum}, file now ${edited}\\. .*new migration`,
        ),
      );
      await expect(pendingMigrations(db, dir)).rejects.toBeInstanceOf(MigrationChecksumError);
      expect(await db.execute(`SELECT to_regclass('after_edit_probe') AS t`)).toEqual([{ t: null }]);
    });

    it('refuses a database migrated by a newer version', async () => {
      const db = getDb();
      const dir = copyOfMigrations();
      rmSync(join(dir, `${allNames.at(-1)}.sql`));
      if (allNames.length === 1) writeFileSync(join(dir, '0001_placeholder.sql'), '');
      await expect(migrate(db, dir)).rejects.toThrow(/migrated by a newer Volundr|was changed after it was applied/);
    });
  },
  { migrate: false },
);

describeBothDatabases(
  'migrate, two migrators at once',
  (getDb, getTarget) => {
    // A non-idempotent migration: applied twice, its INSERT would fail on the primary key.
    const dir = () =>
      copyOfMigrations({
        [`${String(allNames.length + 1).padStart(4, '0')}_probe.sql`]:
          'CREATE TABLE migration_probe (id int PRIMARY KEY); INSERT INTO migration_probe VALUES (1);',
      });

    it('applies each migration exactly once and leaves one correct schema', async () => {
      const target = getTarget();
      const migrationDir = dir();
      // PostgreSQL: two separate pools (as two API processes). PGlite: one instance, two callers.
      const a = getDb();
      const b = target.url ? await openDatabase({ driver: 'postgres', url: target.url, max: 2 }) : a;
      try {
        const results = await Promise.all([migrate(a, migrationDir), migrate(b, migrationDir)]);
        const applied = results.flatMap((r) => r.applied).sort();
        expect(applied).toEqual(readMigrationFiles(migrationDir).map((f) => f.name));
        expect(results.map((r) => r.applied.length).sort()).toEqual([0, allNames.length + 1]);
        expect(await countRows(a, 'schema_migrations')).toBe(allNames.length + 1);
        expect(await countRows(a, 'migration_probe')).toBe(1);
        expect(await migrate(b, migrationDir)).toEqual({ applied: [], alreadyApplied: allNames.length + 1 });
      } finally {
        if (b !== a) await b.close();
      }
    });
  },
  { migrate: false },
);
