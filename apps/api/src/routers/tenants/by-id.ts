import { ZTenant, ZTenantIdInput } from '@volundr/contracts/identity';
import { tenantById } from '@volundr/core/identity/tenant-by-id';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from './deps';

/** One tenant the caller administers. */
export const byId = storableProcedure
  .input(ZTenantIdInput)
  .output(ZTenant)
  .query(({ ctx, input }) => tenantById(administrationDeps(ctx.services))(ctx.principal, input));
