import { randomUUID } from 'node:crypto';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '@volundr/core/authz/ports/authorization';
import { DomainError } from '@volundr/core/errors';
import { createPersonalAccessToken } from '@volundr/core/identity/create-personal-access-token';
import { listPersonalAccessTokens } from '@volundr/core/identity/list-personal-access-tokens';
import { hashPersonalAccessToken } from '@volundr/core/identity/personal-access-token-secret';
import type { HomeVolumes } from '@volundr/core/identity/ports/home-volumes';
import { cryptoRandomTokens } from '@volundr/core/identity/ports/random-tokens';
import { provisionUser } from '@volundr/core/identity/provision-user';
import { revokePersonalAccessToken } from '@volundr/core/identity/revoke-personal-access-token';
import { verifyPersonalAccessToken } from '@volundr/core/identity/verify-personal-access-token';
import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { expect, it } from 'vitest';
import type { Database } from '../client';
import { createPersonalAccessTokensRepository } from './personal-access-tokens';
import { createTenantsRepository } from './tenants';
import { createUsersRepository } from './users';

/** Test double of the HomeVolumes port: records volumes, can be told to fail. */
class RecordingHomeVolumes implements HomeVolumes {
  readonly created = new Set<string>();
  calls = 0;
  failWith: string | null = null;
  async ensureHomeVolume(userId: string) {
    this.calls += 1;
    if (this.failWith) throw new Error(this.failWith);
    this.created.add(`home-${userId}`);
    return `home-${userId}`;
  }
}

const allowAll: Authorization = {
  check: async () => ({ allowed: true }),
  listScope: async () => 'own',
};
const denyAll: Authorization = {
  check: async () => ({ allowed: false, reason: 'test' }),
  listScope: async () => 'none',
};

const principalFor = (userId: string, overrides: Partial<Principal> = {}): Principal => ({
  userId,
  email: `${userId}@example.com`,
  name: `User ${userId}`,
  tenantId: 'default',
  roles: ['volundr:developer'],
  ...overrides,
});

function setup(db: Database) {
  const users = createUsersRepository(db.drizzle);
  const tenants = createTenantsRepository(db.drizzle);
  const tokens = createPersonalAccessTokensRepository(db.drizzle);
  const homeVolumes = new RecordingHomeVolumes();
  let now = new Date('2026-03-01T12:00:00.000Z');
  const clock = { now: () => now };
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  const ids = { next: () => randomUUID() };
  const provision = provisionUser({ users, tenants, homeVolumes, clock });
  const tokenDeps = { tokens, users, tenants, clock, ids, authorization: allowAll, random: cryptoRandomTokens };
  return { users, tenants, tokens, homeVolumes, clock, advance, provision, tokenDeps };
}

const count = async (db: Database, sqlText: string, params: string[]) =>
  (await db.execute<{ n: number }>(sqlText, params))[0]?.n;

describeBothDatabases('identity use cases', (getDb, getTarget) => {
  it('provisions a user on the first request: record, membership, home volume, active', async () => {
    const { provision, homeVolumes, tenants } = setup(getDb());
    const user = await provision(principalFor('alice', { roles: ['volundr:viewer', 'volundr:admin'] }));
    expect(user).toMatchObject({ id: 'alice', status: 'active', homeVolume: 'home-alice', email: 'alice@example.com' });
    expect(await tenants.membershipsOf('alice')).toEqual([
      expect.objectContaining({ tenantId: 'default', role: 'volundr:admin' }),
    ]);
    expect(await tenants.byId('default')).toMatchObject({ path: '/default/' });
    // Later requests find the active user and do nothing else.
    expect(await provision(principalFor('alice'))).toEqual(user);
    expect(homeVolumes.calls).toBe(1);
  });

  it('exactly one user, membership and home volume under 20 concurrent first requests', async () => {
    const db = getDb();
    const { provision, homeVolumes } = setup(db);
    const results = await Promise.all(Array.from({ length: 20 }, () => provision(principalFor('crowd'))));
    expect(results.every((u) => u.status === 'active' && u.homeVolume === 'home-crowd')).toBe(true);
    expect(await count(db, 'SELECT count(*)::int AS n FROM users WHERE id = $1', ['crowd'])).toBe(1);
    expect(await count(db, 'SELECT count(*)::int AS n FROM tenant_memberships WHERE user_id = $1', ['crowd'])).toBe(1);
    expect(homeVolumes.calls).toBe(1);
    expect([...homeVolumes.created]).toEqual(['home-crowd']);
    expect(getTarget().driver).toBe(db.driver);
  });

  it('a failure leaves the user failed with the reason; the next request tries again', async () => {
    const { provision, homeVolumes, users } = setup(getDb());
    homeVolumes.failWith = 'storage class "fast" not found';
    const error = await provision(principalFor('bob')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'USER_PROVISIONING_FAILED', kind: 'unavailable' });
    expect((error as DomainError).message).toMatch(/storage class "fast" not found/);
    expect(await users.byId('bob')).toMatchObject({
      status: 'failed',
      provisionError: 'storage class "fast" not found',
    });

    homeVolumes.failWith = null;
    expect(await provision(principalFor('bob'))).toMatchObject({ status: 'active', provisionError: null });
  });

  it('refuses a suspended user, and a tenant claim that cannot be a path segment', async () => {
    const { provision, users } = setup(getDb());
    await provision(principalFor('carol'));
    await users.setSuspended('carol', true, new Date());
    await expect(provision(principalFor('carol'))).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await expect(provision(principalFor('dave', { tenantId: 'a/b' }))).rejects.toMatchObject({
      code: 'USER_PROVISIONING_FAILED',
    });
    expect(await users.byId('dave')).toMatchObject({ status: 'failed' });
  });

  it('creates a token shown once, stored only as its sha256, usable until revoked', async () => {
    const db = getDb();
    const { provision, tokenDeps, advance, tokens } = setup(db);
    await provision(principalFor('erin', { tenantId: 'team-erin', roles: ['volundr:developer'] }));
    const erin = principalFor('erin', { tenantId: 'team-erin' });

    const created = await createPersonalAccessToken(tokenDeps)(erin, { name: 'ci', expiresInDays: 30 });
    expect(created.token).toMatch(/^vpat_[0-9A-Za-z]{40}$/);
    expect(created.personalAccessToken).toMatchObject({ name: 'ci', ownerId: 'erin', lastUsedAt: null });
    expect(created.token.startsWith(created.personalAccessToken.tokenPrefix)).toBe(true);
    const [stored] = await db.execute<{ token_hash: string }>(
      'SELECT token_hash FROM personal_access_tokens WHERE id = $1',
      [created.personalAccessToken.id],
    );
    expect(stored?.token_hash).toBe(await hashPersonalAccessToken(created.token));
    expect(JSON.stringify(await db.execute('SELECT * FROM personal_access_tokens'))).not.toContain(created.token);

    const verified = await verifyPersonalAccessToken(tokenDeps)(created.token);
    expect(verified).toEqual({
      principal: {
        userId: 'erin',
        email: 'erin@example.com',
        name: 'User erin',
        tenantId: 'team-erin',
        roles: ['volundr:developer'],
      },
      tokenId: created.personalAccessToken.id,
      sessionId: null,
    });
    expect((await tokens.byId(created.personalAccessToken.id))?.lastUsedAt).toBe(tokenDeps.clock.now().toISOString());

    const list = await listPersonalAccessTokens(tokenDeps)(erin);
    expect(list.map((t) => t.name)).toEqual(['ci']);
    expect(JSON.stringify(list)).not.toContain(created.token);

    await expect(createPersonalAccessToken(tokenDeps)(erin, { name: 'ci' })).rejects.toMatchObject({
      code: 'PERSONAL_ACCESS_TOKEN_NAME_TAKEN',
    });

    advance(1000);
    await revokePersonalAccessToken(tokenDeps)(erin, created.personalAccessToken.id);
    await expect(verifyPersonalAccessToken(tokenDeps)(created.token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/"ci" was revoked/),
    });
    expect(await listPersonalAccessTokens(tokenDeps)(erin)).toEqual([]);
  });

  it('scopes a token to a session; refuses expired, unknown and malformed tokens; hides others’ tokens', async () => {
    const { provision, tokenDeps, advance } = setup(getDb());
    await provision(principalFor('frank'));
    await provision(principalFor('grace'));
    const frank = principalFor('frank');
    const { token, personalAccessToken } = await createPersonalAccessToken(tokenDeps)(frank, {
      name: 'short',
      expiresInDays: 1,
    });
    await getDb().execute(
      `INSERT INTO sessions (id, name, owner_id, tenant_id, model, source) VALUES ('s-frank', 'demo', 'frank', 'default', 'm', '{"type":"blank"}')`,
    );
    const scoped = await createPersonalAccessToken(tokenDeps)(frank, { name: 'broker' }, { sessionId: 's-frank' });
    expect((await verifyPersonalAccessToken(tokenDeps)(scoped.token)).sessionId).toBe('s-frank');
    // A session-scoped token dies with its session.
    await getDb().execute(`DELETE FROM sessions WHERE id = 's-frank'`);
    await expect(verifyPersonalAccessToken(tokenDeps)(scoped.token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    await expect(
      revokePersonalAccessToken(tokenDeps)(principalFor('grace'), personalAccessToken.id),
    ).rejects.toMatchObject({ code: 'PERSONAL_ACCESS_TOKEN_NOT_FOUND' });
    await expect(verifyPersonalAccessToken(tokenDeps)('vpat_short')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/not a well-formed/),
    });
    await expect(verifyPersonalAccessToken(tokenDeps)(`vpat_${'A'.repeat(40)}`)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Unknown personal access token.',
    });

    advance(24 * 60 * 60 * 1000);
    await expect(verifyPersonalAccessToken(tokenDeps)(token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/"short" expired at/),
    });
  });

  it('asks the Authorization port and refuses when it says no', async () => {
    const { provision, tokenDeps } = setup(getDb());
    await provision(principalFor('heidi'));
    const deps = { ...tokenDeps, authorization: denyAll };
    await expect(createPersonalAccessToken(deps)(principalFor('heidi'), { name: 'x' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(listPersonalAccessTokens(deps)(principalFor('heidi'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      createPersonalAccessToken(tokenDeps)(principalFor('heidi'), { name: '  padded', expiresInDays: 900 }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
