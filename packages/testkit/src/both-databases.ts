import { PGlite, type PGliteInterface } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe } from 'vitest';
// Relative on purpose: @volundr/db's tests use this file, so @volundr/testkit cannot depend on
// @volundr/db as a package without a dependency cycle in the workspace graph.
import { type Database, type DatabaseDriver, openDatabase } from '../../db/src/client';
import { findMigrationsDir, migrate } from '../../db/src/migrate';
import { pgliteDatabase } from '../../db/src/pglite-driver';
import { createTestDatabase, type TestDatabase, testPostgresSettings } from './postgres';

/**
 * Runs one suite twice: on PGlite (in memory) and on PostgreSQL (a fresh database of its own),
 * both migrated unless `{ migrate: false }`. Every repository test in the project uses it, so
 * the embedded and the production database are held to the same behaviour.
 *
 *   describeBothDatabases('users repository', (getDb) => {
 *     it('finds a user', async () => { const users = createUsers(getDb().drizzle); ... });
 *   });
 *
 * PGlite's cold start costs seconds, so each test file boots PGlite once and every suite gets
 * a clone of that (migrated) template: isolated data, a fraction of the start-up time.
 */

export interface DatabaseTarget {
  driver: DatabaseDriver;
  /** The PostgreSQL URL of this suite's own database (null on PGlite), e.g. for a second pool. */
  url: string | null;
}

export interface BothDatabasesOptions {
  /** Apply the migrations before the suite (default true). */
  migrate?: boolean;
}

export type DatabaseSuite = (getDb: () => Database, getTarget: () => DatabaseTarget) => void;

const migrationsDir = () => findMigrationsDir(import.meta.url);

let baseTemplate: Promise<PGliteInterface> | null = null;
let migratedTemplate: Promise<PGliteInterface> | null = null;
let suitesLeft = 0;

async function template(migrated: boolean): Promise<PGliteInterface> {
  baseTemplate ??= (async () => {
    const pg = new PGlite();
    await pg.waitReady;
    return pg;
  })();
  const base = baseTemplate;
  if (!migrated) return base;
  migratedTemplate ??= (async () => {
    const pg = await (await base).clone();
    await migrate(await pgliteDatabase(pg), migrationsDir());
    return pg;
  })();
  return migratedTemplate;
}

async function releaseTemplates(): Promise<void> {
  suitesLeft -= 1;
  if (suitesLeft > 0) return;
  const templates = [migratedTemplate, baseTemplate];
  baseTemplate = null;
  migratedTemplate = null;
  for (const pending of templates) if (pending) await (await pending).close();
}

let noticeShown = false;

export function describeBothDatabases(title: string, suite: DatabaseSuite, options: BothDatabasesOptions = {}): void {
  const migrated = options.migrate ?? true;
  const settings = testPostgresSettings();
  if (settings.notice && !noticeShown) {
    noticeShown = true;
    console.warn(`[describeBothDatabases] ${settings.notice}`);
  }

  describe(title, () => {
    describe('pglite', () => {
      let db: Database | null = null;
      suitesLeft += 1;
      beforeAll(async () => {
        db = await pgliteDatabase(await (await template(migrated)).clone());
      });
      afterAll(async () => {
        await db?.close();
        db = null;
        await releaseTemplates();
      });
      suite(
        () => current(db, title, 'pglite'),
        () => ({ driver: 'pglite', url: null }),
      );
    });

    (settings.skip ? describe.skip : describe)('postgresql', () => {
      let db: Database | null = null;
      let testDatabase: TestDatabase | null = null;
      beforeAll(async () => {
        testDatabase = await createTestDatabase(settings.serverUrl);
        db = await openDatabase({ driver: 'postgres', url: testDatabase.url, max: 4 });
        if (migrated) await migrate(db, migrationsDir());
      });
      afterAll(async () => {
        await db?.close();
        db = null;
        await testDatabase?.drop();
      });
      suite(
        () => current(db, title, 'postgresql'),
        () => {
          if (!testDatabase) throw new Error(`${title} (postgresql): the database is not open yet (use it in tests)`);
          return { driver: 'postgres', url: testDatabase.url };
        },
      );
    });
  });
}

function current(db: Database | null, title: string, variant: string): Database {
  if (!db) throw new Error(`${title} (${variant}): the database is not open yet; call getDb() inside tests or hooks`);
  return db;
}
