import { ZTenantIdInput, ZTenantReprovisionResult } from '@volundr/contracts/identity';
import { reprovisionTenant } from '@volundr/core/identity/reprovision-tenant';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from './deps';

/** Re-ensures every member of a tenant (home volume, active), member by member. */
export const reprovision = storableProcedure
  .input(ZTenantIdInput)
  .output(ZTenantReprovisionResult)
  .mutation(({ ctx, input }) => reprovisionTenant(administrationDeps(ctx.services))(ctx.principal, input));
