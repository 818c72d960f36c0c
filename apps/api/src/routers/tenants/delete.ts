import { ZDeleteTenantOutput, ZTenantIdInput } from '@volundr/contracts/identity';
import { deleteTenant } from '@volundr/core/identity/delete-tenant';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from './deps';

/** Deletes an empty tenant below the caller's own (TENANT_NOT_EMPTY says what is left otherwise). */
export const remove = storableProcedure
  .input(ZTenantIdInput)
  .output(ZDeleteTenantOutput)
  .mutation(({ ctx, input }) => deleteTenant(administrationDeps(ctx.services))(ctx.principal, input));
