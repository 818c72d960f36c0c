import { type Tenant, ZCreateTenantInput } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { DomainError } from '../errors';
import { validateInput } from '../sessions/validate-input';
import type { Ids } from '../shared/ports/ids';
import { type AdministrationDeps, authorize, reachOf, tenantNotFound } from './administration-scope';

/**
 * Creates a tenant below one the principal administers: its path is the parent's path plus
 * the slug (`/acme/` + `team-a` → `/acme/team-a/`), unique (`TENANT_PATH_TAKEN`). Root tenants
 * are not created here: they come from the identity provider's tenant claim on first sign-in.
 */
export const createTenant =
  (deps: Pick<AdministrationDeps, 'tenants' | 'authorization' | 'clock'> & { ids: Ids }) =>
  async (principal: Principal, rawInput: z.input<typeof ZCreateTenantInput>): Promise<Tenant> => {
    const input = validateInput(ZCreateTenantInput, rawInput, 'tenant');
    if (input.parentId === null) {
      throw new DomainError(
        'FORBIDDEN',
        'Tenant administrators create tenants below a tenant they administer (give parentId); root tenants come from the identity provider.',
      );
    }
    const reach = await reachOf(deps.tenants, principal);
    const parent = input.parentId === reach?.home.id ? reach.home : await deps.tenants.byId(input.parentId);
    if (!reach || !parent || !reach.covers(parent)) throw tenantNotFound(input.parentId);
    await authorize(
      deps.authorization,
      principal,
      'create',
      { kind: 'tenant', tenantId: principal.tenantId, attributes: { parentId: parent.id, path: parent.path } },
      `tenants below ${parent.path}`,
    );
    const at = deps.clock.now();
    return deps.tenants.create(
      {
        id: deps.ids.next(),
        slug: input.slug,
        name: input.name,
        parentId: parent.id,
        tier: input.tier,
        maxRunningSessions: input.maxRunningSessions,
        maxStorageGb: input.maxStorageGb,
        at,
      },
      { actorId: principal.userId, at },
    );
  };
