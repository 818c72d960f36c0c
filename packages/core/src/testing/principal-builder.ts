import type { Principal, Role } from '@volundr/contracts/principal';

export interface PrincipalBuilder {
  withId(userId: string): PrincipalBuilder;
  inTenant(tenantId: string): PrincipalBuilder;
  withRoles(...roles: Role[]): PrincipalBuilder;
  admin(): PrincipalBuilder;
  build(): Principal;
}

/** A developer in tenant `t-1` unless told otherwise. */
export function aPrincipal(initial: Partial<Principal> = {}): PrincipalBuilder {
  const p: Principal = {
    userId: 'u-alice',
    email: 'alice@example.test',
    name: 'Alice',
    tenantId: 't-1',
    roles: ['volundr:developer'],
    ...initial,
  };
  return {
    withId: (userId) => aPrincipal({ ...p, userId, email: `${userId}@example.test`, name: userId }),
    inTenant: (tenantId) => aPrincipal({ ...p, tenantId }),
    withRoles: (...roles) => aPrincipal({ ...p, roles }),
    admin: () => aPrincipal({ ...p, roles: ['volundr:admin'] }),
    build: () => ({ ...p, roles: [...p.roles] }),
  };
}
