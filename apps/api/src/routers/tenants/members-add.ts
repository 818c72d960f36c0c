import { ZAddTenantMemberInput, ZMembership } from '@volundr/contracts/identity';
import { addTenantMember } from '@volundr/core/identity/add-tenant-member';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from './deps';

/** Makes a user the caller's tenants know a member of a tenant, with a role (audited). */
export const membersAdd = storableProcedure
  .input(ZAddTenantMemberInput)
  .output(ZMembership)
  .mutation(({ ctx, input }) => addTenantMember(administrationDeps(ctx.services))(ctx.principal, input));
