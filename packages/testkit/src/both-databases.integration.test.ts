import { expect, it } from 'vitest';
import { describeBothDatabases } from './both-databases';

// Two suites in one file: each variant of each suite must get its own migrated database.
describeBothDatabases('first suite', (getDb, getTarget) => {
  it('gets a migrated database of its own', async () => {
    const target = getTarget();
    expect(getDb().driver).toBe(target.driver);
    if (target.url) expect(new URL(target.url).pathname).toMatch(/^\/volundr_t_[0-9a-f]{12}$/);
    expect(await getDb().execute('SELECT count(*)::int AS n FROM schema_migrations')).not.toEqual([{ n: 0 }]);
    await getDb().execute(`INSERT INTO tenants (id, path, name) VALUES ('t-first', '/first/', 'First')`);
  });
});

describeBothDatabases('second suite', (getDb) => {
  it('does not see what another suite wrote', async () => {
    expect(await getDb().execute(`SELECT id FROM tenants`)).toEqual([]);
  });
});

describeBothDatabases(
  'unmigrated suite',
  (getDb) => {
    it('starts empty when asked not to migrate', async () => {
      expect(await getDb().execute(`SELECT to_regclass('schema_migrations') AS t`)).toEqual([{ t: null }]);
    });
  },
  { migrate: false },
);
