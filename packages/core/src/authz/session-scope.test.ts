import type { Principal } from '@volundr/contracts/principal';
import { describe, expect, it } from 'vitest';
import type { Authorization } from './ports/authorization';
import { withSessionScope } from './session-scope';

const allowEverything: Authorization = {
  check: async () => ({ allowed: true }),
  listScope: async () => 'all',
};
const owner: Principal = { userId: 'u1', email: null, name: null, tenantId: 't', roles: ['volundr:admin'] };
const scoped: Principal = { ...owner, sessionScope: 's1' };
const session = (id: string) => ({ kind: 'session' as const, id, ownerId: 'u1', tenantId: 't' });

describe('withSessionScope', () => {
  const authz = withSessionScope(allowEverything);

  it('leaves unscoped principals to the inner adapter', async () => {
    expect(await authz.check(owner, 'delete', session('s2'))).toEqual({ allowed: true });
    expect(await authz.listScope(owner, 'session', 't')).toBe('all');
  });

  it('lets a scoped credential report on and read its own session only', async () => {
    for (const action of ['report_usage', 'report_activity', 'report_timeline', 'report_chronicle', 'read'] as const) {
      expect((await authz.check(scoped, action, session('s1'))).allowed).toBe(true);
    }
    expect(await authz.check(scoped, 'report_usage', session('s2'))).toEqual({
      allowed: false,
      reason: 'credential is limited to session s1',
    });
  });

  it('refuses everything else to a scoped credential, even an admin one', async () => {
    for (const action of ['stop', 'delete', 'chat', 'start', 'update'] as const) {
      expect((await authz.check(scoped, action, session('s1'))).allowed).toBe(false);
    }
    expect((await authz.check(scoped, 'read', { kind: 'chronicle', id: 'c', tenantId: 't' })).allowed).toBe(false);
    expect(await authz.listScope(scoped, 'session', 't')).toBe('none');
  });
});
