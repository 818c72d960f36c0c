import { type TenantMember, type User, ZTenantMembersInput } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { validateInput } from '../sessions/validate-input';
import { type AdministrationDeps, authorize, reachOf, tenantNotFound } from './administration-scope';

const PAGE = 500;

/** The members of a tenant the principal administers, oldest membership first, with who they are. */
export const listTenantMembers =
  (deps: Pick<AdministrationDeps, 'tenants' | 'users' | 'authorization'>) =>
  async (principal: Principal, rawInput: z.input<typeof ZTenantMembersInput>): Promise<TenantMember[]> => {
    const input = validateInput(ZTenantMembersInput, rawInput, 'tenant members query');
    const reach = await reachOf(deps.tenants, principal);
    const tenant = input.tenantId === reach?.home.id ? reach.home : await deps.tenants.byId(input.tenantId);
    if (!reach || !tenant || !reach.covers(tenant)) throw tenantNotFound(input.tenantId);
    await authorize(
      deps.authorization,
      principal,
      'list',
      { kind: 'user', tenantId: principal.tenantId, attributes: { memberOf: tenant.id } },
      `the members of tenant ${tenant.path}`,
    );
    const memberships = await deps.tenants.membersOf(tenant.id);
    const users = new Map<string, User>();
    for (let afterId: string | undefined; ; ) {
      const page = await deps.users.listInTenant({ tenantId: tenant.id, limit: PAGE, ...(afterId ? { afterId } : {}) });
      for (const user of page) users.set(user.id, user);
      if (page.length < PAGE) break;
      afterId = page.at(-1)?.id;
    }
    return memberships.flatMap((m) => {
      const user = users.get(m.userId);
      if (!user) return []; // removed between the two reads
      return [{ ...m, email: user.email, displayName: user.displayName, status: user.status }];
    });
  };
