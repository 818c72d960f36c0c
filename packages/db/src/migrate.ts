import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client';

/**
 * The migration runner. `migrations/NNNN_name.sql` files are applied in order, each in its own
 * transaction together with its row in `schema_migrations` (version, name, sha256 of the file's
 * bytes). The whole run holds one lock (`Database.withLock`: a PostgreSQL advisory lock), so
 * several processes starting at once apply each migration exactly once. An applied file that
 * changed fails the run before anything is applied (docs/database.md).
 */

export interface MigrationFile {
  version: number;
  /** The file name without `.sql`, e.g. `0001_init`. */
  name: string;
  path: string;
  checksum: string;
  sql: string;
}

export interface MigrateResult {
  /** Names of the migrations this run applied, in order. */
  applied: string[];
  /** How many were already applied before this run. */
  alreadyApplied: number;
}

export interface MigrateOptions {
  /** Called after each applied migration (for logs). */
  onApplied?: (migration: { name: string; durationMs: number }) => void;
}

/** The migrations directory is malformed: a bad file name, a gap, a duplicate number. */
export class MigrationFilesError extends Error {
  override readonly name = 'MigrationFilesError';
}

/** An applied migration's file no longer matches what was applied. */
export class MigrationChecksumError extends Error {
  override readonly name = 'MigrationChecksumError';
  constructor(
    readonly file: string,
    readonly appliedChecksum: string,
    readonly currentChecksum: string,
  ) {
    super(
      `migration ${file} was changed after it was applied: applied checksum ${appliedChecksum}, file now ${currentChecksum}. ` +
        'Applied migrations must never be edited. Restore the file to the applied version (git log -p -- ' +
        `migrations/${file}) and put the change in a new migration with the next number (see docs/database.md).`,
    );
  }
}

/** The database has migrations this code does not know (it was migrated by a newer version). */
export class MigrationUnknownError extends Error {
  override readonly name = 'MigrationUnknownError';
}

const FILE_NAME = /^(\d{4})_([a-z0-9][a-z0-9_]*)\.sql$/;
const LOCK_KEY = 'volundr:schema_migrations';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL
)`;

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Reads and checks the migration files of `dir`: numbered from 0001 with no gap or duplicate. */
export function readMigrationFiles(dir: string): MigrationFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new MigrationFilesError(`migrations directory ${dir} does not exist`);
  }
  const files: MigrationFile[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (!entry.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(entry);
    if (!match) {
      throw new MigrationFilesError(
        `migration file ${join(dir, entry)} is not named NNNN_name.sql (four digits, "_", lower-case letters, digits and "_")`,
      );
    }
    const path = join(dir, entry);
    const bytes = readFileSync(path);
    files.push({
      version: Number(match[1]),
      name: entry.slice(0, -'.sql'.length),
      path,
      checksum: sha256(bytes),
      sql: bytes.toString('utf8'),
    });
  }
  files.forEach((file, index) => {
    const expected = index + 1;
    if (file.version === expected) return;
    const previous = files[index - 1];
    if (previous && previous.version === file.version) {
      throw new MigrationFilesError(
        `two migrations have number ${file.name.slice(0, 4)}: ${previous.name}.sql and ${file.name}.sql in ${dir}; renumber the newer one`,
      );
    }
    throw new MigrationFilesError(
      `migration number ${String(expected).padStart(4, '0')} is missing in ${dir} (found ${file.name}.sql next); migrations are numbered 0001, 0002, … without gaps`,
    );
  });
  return files;
}

interface AppliedRow extends Record<string, unknown> {
  version: number;
  name: string;
  checksum: string;
}

async function appliedMigrations(db: Database): Promise<AppliedRow[] | null> {
  const [exists] = await db.execute<{ present: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS present`,
  );
  if (!exists?.present) return null;
  return db.execute<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
}

/** Fails when an applied migration changed, or the database knows migrations the files do not. */
function verifyApplied(files: MigrationFile[], applied: AppliedRow[]): void {
  const byVersion = new Map(files.map((file) => [file.version, file]));
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file) {
      throw new MigrationUnknownError(
        `the database has migration ${row.name} (version ${row.version}) but there is no such file: it was migrated by a newer Volundr. Run that version (or newer) against it.`,
      );
    }
    if (file.checksum !== row.checksum)
      throw new MigrationChecksumError(`${file.name}.sql`, row.checksum, file.checksum);
  }
}

/** Applies every pending migration of `dir` (see the module comment). */
export async function migrate(db: Database, dir: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const files = readMigrationFiles(dir);
  return db.withLock(LOCK_KEY, async () => {
    await db.executeScript(CREATE_TABLE);
    const applied = (await appliedMigrations(db)) ?? [];
    verifyApplied(files, applied);
    const done = new Set(applied.map((row) => row.version));
    const result: MigrateResult = { applied: [], alreadyApplied: applied.length };
    for (const file of files) {
      if (done.has(file.version)) continue;
      const started = performance.now();
      await db.transaction(async (tx) => {
        await tx.executeScript(file.sql);
        const durationMs = Math.round(performance.now() - started);
        await tx.execute(
          'INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)',
          [file.version, file.name, file.checksum, durationMs],
        );
      });
      result.applied.push(file.name);
      options.onApplied?.({ name: file.name, durationMs: Math.round(performance.now() - started) });
    }
    return result;
  });
}

/**
 * Names of the migrations of `dir` not yet applied (all of them on an empty database), for
 * `/readyz`. Throws like `migrate` when an applied migration changed or is unknown.
 */
export async function pendingMigrations(db: Database, dir: string): Promise<string[]> {
  const files = readMigrationFiles(dir);
  const applied = (await appliedMigrations(db)) ?? [];
  verifyApplied(files, applied);
  const done = new Set(applied.map((row) => row.version));
  return files.filter((file) => !done.has(file.version)).map((file) => file.name);
}

/**
 * The repository's `migrations/` directory, found by walking up from `fromUrl` (pass
 * `import.meta.url`): it works from source (packages/db/src) and from a bundle (apps/api/dist).
 * `override` (from configuration) wins when given; it must exist.
 */
export function findMigrationsDir(fromUrl: string | URL, override?: string | null): string {
  if (override) {
    const dir = resolve(override);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new MigrationFilesError(`the configured migrations directory ${dir} does not exist`);
    }
    return dir;
  }
  const start = dirname(fileURLToPath(fromUrl));
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'migrations');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) {
      if (readdirSync(candidate).some((entry) => FILE_NAME.test(entry))) return candidate;
    }
    if (dirname(dir) === dir) break;
  }
  throw new MigrationFilesError(
    `no migrations/ directory with NNNN_name.sql files found in ${start} or any directory above it; set the migrations directory explicitly`,
  );
}
