import { ZCreateTenantInput, ZTenant } from '@volundr/contracts/identity';
import { createTenant } from '@volundr/core/identity/create-tenant';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from './deps';

/** Creates a tenant below one the caller administers (path = parent's path + slug). */
export const create = storableProcedure
  .input(ZCreateTenantInput)
  .output(ZTenant)
  .mutation(({ ctx, input }) => createTenant(administrationDeps(ctx.services))(ctx.principal, input));
