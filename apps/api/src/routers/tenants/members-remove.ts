import { ZRemoveTenantMemberInput, ZRemoveTenantMemberOutput } from '@volundr/contracts/identity';
import { removeTenantMember } from '@volundr/core/identity/remove-tenant-member';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from './deps';

/** Removes a member from a tenant; never its last administrator (audited). */
export const membersRemove = storableProcedure
  .input(ZRemoveTenantMemberInput)
  .output(ZRemoveTenantMemberOutput)
  .mutation(({ ctx, input }) => removeTenantMember(administrationDeps(ctx.services))(ctx.principal, input));
