import type { Authorization } from '@volundr/core/authz/ports/authorization';
import { DomainError } from '@volundr/core/errors';
import { describe, expect, it } from 'vitest';
import { allowAll, createAllowAllAuthorization } from './allow-all';
import { principals, resourceFor, tenant } from './test/decision-table';

describe('allow-all authorization', () => {
  it('refuses to be created outside local mode, saying why', async () => {
    let thrown: unknown;
    try {
      await allowAll.create({ mode: 'production' }, {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code: 'CONFIG_INVALID', details: { adapter: 'allow-all', mode: 'production' } });
    expect((thrown as Error).message).toMatch(/local development only/);
    expect((thrown as Error).message).toMatch(/'production' mode/);
  });

  it('requires the runtime mode in its options and rejects anything else', () => {
    expect(allowAll.options.safeParse({}).success).toBe(false);
    expect(allowAll.options.safeParse({ mode: 'staging' }).success).toBe(false);
    expect(allowAll.options.safeParse({ mode: 'local', extra: 1 }).success).toBe(false);
    expect(allowAll.options.safeParse({ mode: 'local' }).success).toBe(true);
  });

  it('allows everything in local mode, and says so in the reason', async () => {
    const authz = (await allowAll.create({ mode: 'local' }, {})) as Authorization;
    const decision = await authz.check(principals.otherTenantUser, 'delete', resourceFor('session', 'instance'));
    expect(decision).toEqual({ allowed: true, reason: 'allow-all adapter (local development only)' });
    expect(await authz.listScope(principals.noRole, 'audit', tenant)).toBe('all');
    expect(() => createAllowAllAuthorization({ mode: 'production' })).toThrow(DomainError);
  });
});
