import { ZTenant, ZUpdateTenantInput } from '@volundr/contracts/identity';
import { updateTenant } from '@volundr/core/identity/update-tenant';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from './deps';

/** Changes a tenant's name, tier or quotas. */
export const update = storableProcedure
  .input(ZUpdateTenantInput)
  .output(ZTenant)
  .mutation(({ ctx, input }) => updateTenant(administrationDeps(ctx.services))(ctx.principal, input));
