import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '@volundr/core/authz/ports/authorization';
import { describe, expect, it } from 'vitest';
import { builtinRoles, createBuiltinRolesAuthorization } from './builtin-roles';
import { allActions, allResourceKinds } from './role-rules';
import {
  allowedActions,
  expected,
  expectedListScope,
  otherTenant,
  principalNames,
  principals,
  resourceFor,
  tenant,
} from './test/decision-table';

const authz: Authorization = createBuiltinRolesAuthorization();

describe('built-in roles: the decision table', () => {
  for (const kind of allResourceKinds) {
    for (const shape of ['instance', 'collection'] as const) {
      describe(`${kind} (${shape})`, () => {
        for (const name of principalNames) {
          it(`${name} may do exactly ${(expected[kind][shape][name] ?? []).length} actions`, async () => {
            const want = allActions.filter((a) => (expected[kind][shape][name] ?? []).includes(a));
            expect(await allowedActions(authz, principals[name], kind, shape)).toEqual(want);
          });
        }
      });
    }
  }
});

describe('built-in roles: listScope', () => {
  for (const kind of allResourceKinds) {
    it(`${kind}`, async () => {
      for (const name of principalNames) {
        const scope = await authz.listScope(principals[name], kind, tenant);
        expect({ name, scope }).toEqual({ name, scope: expectedListScope[kind][name] ?? 'none' });
      }
    });
  }

  it('is none for a tenant that is not the principal’s, admins included', async () => {
    for (const kind of allResourceKinds) {
      expect(await authz.listScope(principals.admin, kind, otherTenant)).toBe('none');
      expect(await authz.listScope(principals.otherTenantAdmin, kind, tenant)).toBe('none');
    }
  });
});

describe('built-in roles: reasons for the audit log', () => {
  it('says when an admin acts on another user’s resource, and whose', async () => {
    const decision = await authz.check(principals.admin, 'stop', resourceFor('session', 'instance'));
    expect(decision).toEqual({
      allowed: true,
      reason: "tenant admin acting on another user's session (owner alice)",
    });
  });

  it('says plainly when the admin acts on their own or on the collection', async () => {
    const own = { kind: 'session' as const, id: 's', ownerId: 'dave', tenantId: tenant };
    expect((await authz.check(principals.admin, 'stop', own)).reason).toBe('tenant admin');
    expect((await authz.check(principals.admin, 'list', resourceFor('session', 'collection'))).reason).toBe(
      'tenant admin',
    );
  });

  it('explains each kind of refusal', async () => {
    const session = resourceFor('session', 'instance');
    expect(await authz.check(principals.otherTenantAdmin, 'read', session)).toEqual({
      allowed: false,
      reason: 'resource belongs to another tenant',
    });
    expect(await authz.check(principals.noRole, 'read', session)).toEqual({
      allowed: false,
      reason: 'principal has no Volundr role in this tenant',
    });
    expect(await authz.check(principals.viewer, 'chat', session)).toEqual({
      allowed: false,
      reason: "no rule lets volundr:viewer chat a session (another user's)",
    });
    expect(await authz.check(principals.owner, 'read', session)).toEqual({ allowed: true, reason: 'owner' });
  });
});

describe('built-in roles: edge cases', () => {
  it('keeps a viewer-only owner read-only on what they own', async () => {
    const formerDeveloper = { ...principals.viewer, userId: 'alice' };
    const session = resourceFor('session', 'instance');
    expect((await authz.check(formerDeveloper, 'read', session)).allowed).toBe(true);
    for (const action of ['update', 'delete', 'start', 'stop', 'chat', 'report_usage'] as const) {
      expect((await authz.check(formerDeveloper, action, session)).allowed).toBe(false);
    }
  });

  it('refuses a developer creating something on behalf of another user', async () => {
    const forBob = { kind: 'session' as const, ownerId: 'bob', tenantId: tenant };
    expect((await authz.check(principals.owner, 'create', forBob)).allowed).toBe(false);
    expect((await authz.check(principals.admin, 'create', forBob)).allowed).toBe(true);
  });

  it('lets free-form attributes change nothing', async () => {
    const session = { ...resourceFor('session', 'instance'), attributes: { ownerId: 'bob', tenantId: otherTenant } };
    expect((await authz.check(principals.developer, 'read', session)).allowed).toBe(false);
  });

  it('combines roles: a developer who is also a viewer reads everything but changes only their own', async () => {
    const both: Principal = { ...principals.developer, roles: ['volundr:developer', 'volundr:viewer'] };
    const alices = resourceFor('session', 'instance');
    expect((await authz.check(both, 'read', alices)).allowed).toBe(true);
    expect((await authz.check(both, 'stop', alices)).allowed).toBe(false);
    expect(await authz.listScope(both, 'session', tenant)).toBe('all');
  });
});

describe('builtinRoles adapter definition', () => {
  it('implements the authorization port with strict, empty options', async () => {
    expect(builtinRoles.port).toBe('authorization');
    expect(builtinRoles.options.safeParse({}).success).toBe(true);
    const bad = builtinRoles.options.safeParse({ url: 'http://x' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/url/);
    const created = (await builtinRoles.create({}, {})) as Authorization;
    expect((await created.check(principals.owner, 'read', resourceFor('session', 'instance'))).allowed).toBe(true);
  });
});
