import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findMigrationsDir, MigrationFilesError, readMigrationFiles, sha256 } from './migrate';

const dirs: string[] = [];
function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'volundr-migrations-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('readMigrationFiles', () => {
  it('reads numbered files in order with the sha256 of their bytes, ignoring other files', () => {
    const dir = dirWith({ '0002_b.sql': 'SELECT 2;', '0001_a.sql': 'SELECT 1;', 'README.md': '# notes' });
    const files = readMigrationFiles(dir);
    expect(files.map((f) => [f.version, f.name, f.checksum])).toEqual([
      [1, '0001_a', sha256('SELECT 1;')],
      [2, '0002_b', sha256('SELECT 2;')],
    ]);
    expect(files[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the missing number when there is a gap', () => {
    const dir = dirWith({ '0001_a.sql': '', '0003_c.sql': '' });
    expect(() => readMigrationFiles(dir)).toThrow(MigrationFilesError);
    expect(() => readMigrationFiles(dir)).toThrow(/migration number 0002 is missing .* \(found 0003_c\.sql next\)/);
  });

  it('names both files when two share a number', () => {
    const dir = dirWith({ '0001_a.sql': '', '0002_b.sql': '', '0002_c.sql': '' });
    expect(() => readMigrationFiles(dir)).toThrow(/two migrations have number 0002: 0002_b\.sql and 0002_c\.sql/);
  });

  it('refuses a .sql file that is not named NNNN_name.sql', () => {
    const dir = dirWith({ '0001_a.sql': '', '2_Add-Things.sql': '' });
    expect(() => readMigrationFiles(dir)).toThrow(/2_Add-Things\.sql is not named NNNN_name\.sql/);
  });

  it('fails clearly when the directory does not exist', () => {
    expect(() => readMigrationFiles('/nonexistent/migrations')).toThrow(
      /migrations directory \/nonexistent\/migrations does not exist/,
    );
  });
});

describe('findMigrationsDir', () => {
  it('walks up from a module URL to the first migrations/ directory holding migrations', () => {
    const root = dirWith({
      'migrations/0001_init.sql': '',
      'apps/api/dist/api.mjs': '',
      'apps/api/migrations/x.txt': '',
    });
    expect(findMigrationsDir(pathToFileURL(join(root, 'apps/api/dist/api.mjs')))).toBe(join(root, 'migrations'));
  });

  it('finds the repository’s migrations from this package', () => {
    const dir = findMigrationsDir(import.meta.url);
    expect(readMigrationFiles(dir)[0]?.name).toBe('0001_init');
  });

  it('uses the override when given, and refuses one that does not exist', () => {
    const dir = dirWith({ '0001_a.sql': '' });
    expect(findMigrationsDir(import.meta.url, dir)).toBe(dir);
    expect(() => findMigrationsDir(import.meta.url, join(dir, 'nope'))).toThrow(
      /configured migrations directory .*nope does not exist/,
    );
  });

  it('says what to do when there is none above', () => {
    const root = dirWith({ 'a/b/module.mjs': '' });
    expect(() => findMigrationsDir(pathToFileURL(join(root, 'a/b/module.mjs')))).toThrow(
      /no migrations\/ directory .* set the migrations directory explicitly/,
    );
  });
});
