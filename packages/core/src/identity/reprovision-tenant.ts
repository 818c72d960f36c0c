import { type TenantReprovisionResult, ZTenantIdInput } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { validateInput } from '../sessions/validate-input';
import { type AdministrationDeps, loadTenantFor } from './administration-scope';
import { type ReprovisionDeps, reprovisionAccount } from './reprovision-account';

/**
 * Re-ensures every member of a tenant the principal administers, one after the other (home
 * volume, `active`; see reprovisionAccount), and says what happened to each. Idempotent.
 */
export const reprovisionTenant =
  (deps: Pick<AdministrationDeps, 'tenants' | 'authorization'> & ReprovisionDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZTenantIdInput>): Promise<TenantReprovisionResult> => {
    const input = validateInput(ZTenantIdInput, rawInput, 'tenant id');
    const { tenant } = await loadTenantFor(deps, principal, input.id, 'admin');
    const result: TenantReprovisionResult = { tenantId: tenant.id, provisioned: [], skipped: [], failed: [] };
    for (const member of await deps.tenants.membersOf(tenant.id)) {
      const user = await deps.users.byId(member.userId);
      if (!user) continue; // removed meanwhile
      const outcome = await reprovisionAccount(deps, user, principal.userId);
      if (outcome.outcome === 'provisioned') result.provisioned.push(user.id);
      else if (outcome.outcome === 'skipped') result.skipped.push({ userId: user.id, status: outcome.status });
      else result.failed.push({ userId: user.id, reason: outcome.reason });
    }
    return result;
  };
