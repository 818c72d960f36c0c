import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, testPostgresSettings } from './postgres';

const databaseExists = async (name: string) => {
  const sql = postgres(testPostgresSettings().serverUrl, { max: 1, onnotice: () => {} });
  try {
    return (await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`).length === 1;
  } finally {
    await sql.end();
  }
};

describe('createTestDatabase', () => {
  it('creates a database of its own and drops it (idempotently), even with a connection open', async () => {
    const database = await createTestDatabase();
    const name = new URL(database.url).pathname.slice(1);
    expect(name).toMatch(/^volundr_t_[0-9a-f]{12}$/);
    expect(await databaseExists(name)).toBe(true);

    const open = postgres(database.url, { max: 1, onnotice: () => {} });
    expect(await open`SELECT current_database() AS db`).toEqual([{ db: name }]);
    await database.drop();
    await database.drop();
    await open.end({ timeout: 1 }).catch(() => {});
    expect(await databaseExists(name)).toBe(false);
  });

  it('says PostgreSQL is not reachable, where, why and how to start it', async () => {
    await expect(createTestDatabase('postgres://postgres@127.0.0.1:1/postgres')).rejects.toThrow(
      /^PostgreSQL is not reachable at postgres:\/\/postgres@127\.0\.0\.1:1\/postgres: .*ECONNREFUSED.*\. Start it \(pg_ctlcluster 15 main start\)/,
    );
  });
});
