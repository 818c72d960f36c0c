import { type AdministeredUser, type UserPage, ZListUsersInput } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { validateInput } from '../sessions/validate-input';
import {
  type AdministrationDeps,
  authorize,
  membershipsInReach,
  reachOf,
  tenantNotFound,
} from './administration-scope';

/**
 * The members of a tenant the principal administers (their own by default), by user id, with
 * status and their memberships in the principal's reach (never those of other tenants).
 */
export const listUsers =
  (deps: Pick<AdministrationDeps, 'tenants' | 'users' | 'authorization'>) =>
  async (principal: Principal, rawInput: z.input<typeof ZListUsersInput>): Promise<UserPage> => {
    const input = validateInput(ZListUsersInput, rawInput ?? {}, 'users query');
    const tenantId = input.tenantId ?? principal.tenantId;
    await authorize(deps.authorization, principal, 'list', { kind: 'user', tenantId: principal.tenantId }, 'users');
    const reach = await reachOf(deps.tenants, principal);
    const tenant = tenantId === reach?.home.id ? reach.home : await deps.tenants.byId(tenantId);
    if (!reach || !tenant || !reach.covers(tenant)) throw tenantNotFound(tenantId);
    const users = await deps.users.listInTenant({
      tenantId: tenant.id,
      limit: input.limit + 1,
      ...(input.status ? { status: input.status } : {}),
      ...(input.cursor ? { afterId: input.cursor } : {}),
    });
    const page = users.slice(0, input.limit);
    const memberships = await membershipsInReach(
      deps.tenants,
      reach,
      await deps.tenants.membershipsOfUsers(page.map((u) => u.id)),
    );
    const items: AdministeredUser[] = page.map((user) => ({
      user,
      memberships: memberships.filter((m) => m.userId === user.id),
    }));
    return { items, nextCursor: users.length > input.limit ? (page.at(-1)?.id ?? null) : null };
  };
