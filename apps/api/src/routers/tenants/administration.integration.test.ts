import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mintDevToken } from '@volundr/adapter-identity/embedded/dev-token';
import type { Role } from '@volundr/contracts/principal';
import { createAuditLogRepository } from '@volundr/db/repositories/audit-log';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SessionTestApi, startSessionTestApi } from '../../test/session-test-api';
import { appRouter } from '../app-router';

/**
 * Tenant and user administration through HTTP, on the API with the embedded provider and the
 * built-in roles: an administrator manages a sub-tenant and its members (REST), a tenant keeps
 * an administrator, suspension applies to the next request, re-provisioning, the audit trail,
 * and the isolation matrix over every `tenants.*` and `users.*` procedure.
 *
 * Tenant `acme`: ada (admin), dev (developer), vic (viewer), sam and tim (developers).
 * Tenant `globex`: gus (admin).
 */

interface Answer {
  status: number;
  code: string | null;
  data: unknown;
}

const PEOPLE: Record<string, [tenant: string, role: Role]> = {
  ada: ['acme', 'volundr:admin'],
  dev: ['acme', 'volundr:developer'],
  vic: ['acme', 'volundr:viewer'],
  sam: ['acme', 'volundr:developer'],
  tim: ['acme', 'volundr:developer'],
  gus: ['globex', 'volundr:admin'],
};

const procedureType = (path: string) =>
  (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[path]?._def.type;

describe('tenant and user administration over HTTP', () => {
  let t: SessionTestApi;
  const tokens: Record<string, string> = {};

  /** Calls a procedure over /trpc with a bearer token. */
  async function trpc(token: string, path: string, input?: unknown): Promise<Answer> {
    const auth = { authorization: `Bearer ${token}` };
    const response =
      procedureType(path) === 'query'
        ? await fetch(
            `${t.base}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
            { headers: auth },
          )
        : await fetch(`${t.base}/trpc/${path}`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            ...(input === undefined ? {} : { body: JSON.stringify(input) }),
          });
    const body = (await response.json()) as {
      result?: { data: unknown };
      error?: { data?: { apiError?: { code: string } } };
    };
    return { status: response.status, code: body.error?.data?.apiError?.code ?? null, data: body.result?.data };
  }

  /** Calls the REST facade. */
  async function rest(token: string, method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${t.base}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const json = text ? (JSON.parse(text) as { error?: { code: string } }) : null;
    return { status: response.status, code: json?.error?.code ?? null, data: json };
  }

  const as = (user: string) => tokens[user]!;

  beforeAll(async () => {
    t = await startSessionTestApi({ driver: 'pglite' });
    for (const [user, [tenant, role]] of Object.entries(PEOPLE)) {
      tokens[user] = await mintDevToken({ dataDir: t.dataDir, user, issuer: t.api.issuer!, roles: [role], tenant });
      expect((await trpc(tokens[user]!, 'me')).status, `${user} signs in`).toBe(200); // provisioned
    }
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('an administrator creates a sub-tenant, sets its quotas, manages its members and deletes it once empty (REST)', async () => {
    const created = await rest(as('ada'), 'POST', '/tenants', {
      slug: 'team-a',
      name: 'Team A',
      parentId: 'acme',
      maxRunningSessions: 3,
    });
    expect(created.status, JSON.stringify(created.data)).toBe(201);
    const team = created.data as { id: string; path: string };
    expect(team).toMatchObject({ path: '/acme/team-a/', parentId: 'acme', maxRunningSessions: 3, maxStorageGb: 50 });
    expect((await rest(as('ada'), 'POST', '/tenants', { slug: 'team-a', name: 'Again', parentId: 'acme' })).code).toBe(
      'TENANT_PATH_TAKEN',
    );
    const listed = (await rest(as('ada'), 'GET', '/tenants')).data as { path: string }[];
    expect(listed.map((x) => x.path)).toEqual(['/acme/', '/acme/team-a/']);
    const patched = await rest(as('ada'), 'PATCH', `/tenants/${team.id}`, { maxStorageGb: 100, tier: 'team' });
    expect(patched.data).toMatchObject({ maxStorageGb: 100, tier: 'team', maxRunningSessions: 3, name: 'Team A' });
    expect((await rest(as('ada'), 'PATCH', `/tenants/${team.id}`, { maxStorageGb: -1 })).status).toBe(422);

    const members = `/tenants/${team.id}/members`;
    expect((await rest(as('ada'), 'POST', members, { userId: 'sam', role: 'volundr:admin' })).status).toBe(201);
    expect((await rest(as('ada'), 'POST', members, { userId: 'sam', role: 'volundr:viewer' })).code).toBe(
      'MEMBERSHIP_EXISTS',
    );
    expect((await rest(as('ada'), 'POST', members, { userId: 'gus', role: 'volundr:viewer' })).status).toBe(404);
    // sam is the only administrator: the tenant would have members and nobody to administer it.
    expect((await rest(as('ada'), 'PATCH', `${members}/sam`, { role: 'volundr:developer' })).code).toBe(
      'TENANT_LAST_ADMIN',
    );
    await rest(as('ada'), 'POST', members, { userId: 'dev', role: 'volundr:admin' });
    expect((await rest(as('ada'), 'PATCH', `${members}/sam`, { role: 'volundr:developer' })).data).toMatchObject({
      role: 'volundr:developer',
    });
    const list = (await rest(as('ada'), 'GET', members)).data as { userId: string; role: string; status: string }[];
    expect(list.map((m) => [m.userId, m.role, m.status])).toEqual([
      ['sam', 'volundr:developer', 'active'],
      ['dev', 'volundr:admin', 'active'],
    ]);
    expect((await rest(as('ada'), 'GET', `/users?tenantId=${team.id}`)).data).toMatchObject({
      items: [{ user: { id: 'dev' } }, { user: { id: 'sam' } }],
      nextCursor: null,
    });

    const refused = await rest(as('ada'), 'DELETE', `/tenants/${team.id}`);
    expect(refused).toMatchObject({ status: 409, code: 'TENANT_NOT_EMPTY' });
    expect(JSON.stringify(refused.data)).toContain('2 members');
    expect((await rest(as('ada'), 'DELETE', `${members}/dev`)).code).toBe('TENANT_LAST_ADMIN');
    expect((await rest(as('ada'), 'DELETE', `${members}/sam`)).status).toBe(200);
    expect((await rest(as('ada'), 'DELETE', `${members}/dev`)).status).toBe(200); // the last member may go
    expect((await rest(as('ada'), 'DELETE', `/tenants/${team.id}`)).data).toEqual({ id: team.id, deleted: true });
    expect((await rest(as('ada'), 'GET', `/tenants/${team.id}`)).status).toBe(404);

    // Every change to a membership names ada, in the sub-tenant's audit trail.
    const trail = await createAuditLogRepository(t.api.services.database).list({ tenantId: team.id, limit: 50 });
    expect(
      trail.filter((e) => e.action.startsWith('membership.')).map((e) => [e.action, e.actorId, e.resource.id]),
    ).toEqual([
      ['membership.removed', 'ada', 'dev'],
      ['membership.removed', 'ada', 'sam'],
      ['membership.role_set', 'ada', 'sam'],
      ['membership.created', 'ada', 'dev'],
      ['membership.created', 'ada', 'sam'],
    ]);
    // The sub-tenant's creation, changes and deletion name ada, in her own tenant's trail.
    const own = await createAuditLogRepository(t.api.services.database).list({ tenantId: 'acme', limit: 50 });
    expect(
      own
        .filter((e) => e.action.startsWith('tenant.') && e.resource.id === team.id)
        .map((e) => [e.action, e.actorId, e.data]),
    ).toEqual([
      ['tenant.deleted', 'ada', { path: '/acme/team-a/' }],
      ['tenant.updated', 'ada', { path: '/acme/team-a/', changes: { maxStorageGb: 100, tier: 'team' } }],
      ['tenant.created', 'ada', { path: '/acme/team-a/', parentId: 'acme' }],
    ]);
  });

  it('publishes the administration routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.base}/api/v1/openapi.json`)).json()) as { paths: Record<string, object> };
    for (const path of ['/tenants', '/tenants/{id}', '/tenants/{tenantId}/members/{userId}', '/users/{id}/suspend'])
      expect(Object.keys(doc.paths)).toContain(`/api/v1${path}`);
  });

  it('keeps an administrator in every tenant that has members', async () => {
    const acme = '/tenants/acme/members';
    expect(await rest(as('ada'), 'PATCH', `${acme}/ada`, { role: 'volundr:developer' })).toMatchObject({
      status: 409,
      code: 'TENANT_LAST_ADMIN',
    });
    expect((await rest(as('ada'), 'DELETE', `${acme}/ada`)).code).toBe('TENANT_LAST_ADMIN');
    const members = (await rest(as('ada'), 'GET', acme)).data as { userId: string; role: string }[];
    expect(members.find((m) => m.userId === 'ada')?.role).toBe('volundr:admin');
  });

  it('refuses a suspended user from their next request on, then lets them back in', async () => {
    const pat = (await trpc(as('tim'), 'tokens.create', { name: 'ci' })).data as { token: string };
    expect((await trpc(as('tim'), 'me')).status).toBe(200); // seen active just now
    expect((await trpc(pat.token, 'me')).status).toBe(200);

    const suspended = await rest(as('ada'), 'POST', '/users/tim/suspend');
    expect(suspended.data).toMatchObject({ id: 'tim', status: 'suspended' });
    expect(await trpc(as('tim'), 'me')).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await trpc(pat.token, 'me')).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect((await rest(as('ada'), 'POST', '/users/ada/suspend')).code).toBe('BAD_REQUEST');
    expect((await rest(as('ada'), 'GET', '/users?status=suspended')).data).toMatchObject({
      items: [{ user: { id: 'tim', status: 'suspended' }, memberships: [{ tenantId: 'acme' }] }],
    });

    expect((await rest(as('ada'), 'POST', '/users/tim/unsuspend')).data).toMatchObject({ status: 'active' });
    expect((await trpc(as('tim'), 'me')).status).toBe(200);
    expect((await trpc(pat.token, 'me')).status).toBe(200);

    const audit = (await trpc(as('ada'), 'audit.list', { resourceId: 'tim' })).data as {
      items: { action: string; actorId: string }[];
    };
    expect(audit.items.filter((e) => e.action.startsWith('user.')).map((e) => [e.action, e.actorId])).toEqual([
      ['user.reinstated', 'ada'],
      ['user.suspended', 'ada'],
      ['user.provisioned', 'tim'],
    ]);
  });

  it('re-provisions a failed user (home volume, active) and a whole tenant', async () => {
    const home = join(t.dataDir, 'homes', 'sam');
    rmSync(home, { recursive: true, force: true });
    await t.api.services.database.execute(
      `UPDATE users SET status = 'failed', provision_error = 'disk full' WHERE id = 'sam'`,
    );
    const again = await rest(as('ada'), 'POST', '/users/sam/reprovision');
    expect(again.data).toMatchObject({ id: 'sam', status: 'active', homeVolume: 'sam', provisionError: null });
    expect(existsSync(home)).toBe(true);
    expect((await rest(as('ada'), 'POST', '/users/sam/reprovision')).status).toBe(200); // idempotent

    await rest(as('ada'), 'POST', '/users/vic/suspend');
    const tenant = await rest(as('ada'), 'POST', '/tenants/acme/reprovision');
    expect(tenant.data).toEqual({
      tenantId: 'acme',
      provisioned: ['ada', 'dev', 'sam', 'tim'],
      skipped: [{ userId: 'vic', status: 'suspended' }],
      failed: [],
    });
    expect((await rest(as('ada'), 'POST', '/users/vic/reprovision')).code).toBe('USER_INVALID_STATE');
    await rest(as('ada'), 'POST', '/users/vic/unsuspend');
  });

  describe('isolation: every tenants.* and users.* procedure', () => {
    let child: string;
    let before: unknown;

    beforeAll(async () => {
      const created = await trpc(as('ada'), 'tenants.create', { slug: 'guarded', name: 'Guarded', parentId: 'acme' });
      child = (created.data as { id: string }).id;
      await trpc(as('ada'), 'tenants.members.add', { tenantId: child, userId: 'sam', role: 'volundr:admin' });
      before = await snapshot();
    });

    /** What the refused calls must not change: the tree, the memberships, the users' statuses. */
    async function snapshot() {
      return t.api.services.database.execute(
        `SELECT (SELECT json_agg(t ORDER BY t.path) FROM tenants t) AS tenants,
                (SELECT json_agg(m ORDER BY m.user_id, m.tenant_id) FROM tenant_memberships m) AS memberships,
                (SELECT json_agg(json_build_array(u.id, u.status) ORDER BY u.id) FROM users u) AS users`,
      );
    }

    /** An input naming acme's resources for each procedure; the table must cover the router. */
    const INPUTS: Record<string, (w: { child: string }) => unknown> = {
      'tenants.list': () => undefined,
      'tenants.byId': (w) => ({ id: w.child }),
      'tenants.create': () => ({ slug: 'intruder', name: 'Intruder', parentId: 'acme' }),
      'tenants.update': (w) => ({ id: w.child, maxRunningSessions: 999 }),
      'tenants.delete': (w) => ({ id: w.child }),
      'tenants.reprovision': () => ({ id: 'acme' }),
      'tenants.members.list': (w) => ({ tenantId: w.child }),
      'tenants.members.add': (w) => ({ tenantId: w.child, userId: 'dev', role: 'volundr:admin' }),
      'tenants.members.setRole': (w) => ({ tenantId: w.child, userId: 'sam', role: 'volundr:viewer' }),
      'tenants.members.remove': (w) => ({ tenantId: w.child, userId: 'sam' }),
      'users.list': () => ({ tenantId: 'acme' }),
      'users.byId': () => ({ id: 'sam' }),
      'users.suspend': () => ({ id: 'sam' }),
      'users.unsuspend': () => ({ id: 'sam' }),
      'users.reprovision': () => ({ id: 'sam' }),
    };
    const guarded = Object.keys(appRouter._def.procedures).filter(
      (p) => p.startsWith('tenants.') || p.startsWith('users.'),
    );

    it('has an input for every procedure of the two areas', () => {
      expect(guarded.length).toBe(15);
      expect(guarded.filter((p) => !(p in INPUTS))).toEqual([]);
    });

    for (const path of guarded) {
      it(`${path}: a developer and a viewer get 403, another tenant’s administrator 404 (or only their own)`, async () => {
        const input = INPUTS[path]?.({ child });
        if (input === undefined && path !== 'tenants.list') throw new Error(`no input for ${path}: add one to INPUTS`);
        for (const user of ['dev', 'vic']) {
          const answer = await trpc(as(user), path, input);
          expect([answer.status, answer.code], `${path} as ${user}`).toEqual([403, 'FORBIDDEN']);
        }
        const other = await trpc(as('gus'), path, input);
        if (path === 'tenants.list') {
          expect(other.status).toBe(200);
          expect((other.data as { id: string }[]).map((x) => x.id)).toEqual(['globex']);
        } else {
          expect(other.status, `${path} as gus: ${other.code}`).toBe(404);
        }
      });
    }

    it('another tenant’s administrator sees only their own users and cannot reach acme’s', async () => {
      const own = (await trpc(as('gus'), 'users.list', {})).data as { items: { user: { id: string } }[] };
      expect(own.items.map((i) => i.user.id)).toEqual(['gus']);
      expect((await trpc(as('gus'), 'users.list', { tenantId: child })).status).toBe(404);
    });

    it('changed nothing', async () => {
      expect(await snapshot()).toEqual(before);
    });
  });
});
