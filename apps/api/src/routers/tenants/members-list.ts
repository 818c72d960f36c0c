import { ZTenantMemberList, ZTenantMembersInput } from '@volundr/contracts/identity';
import { listTenantMembers } from '@volundr/core/identity/list-tenant-members';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from './deps';

/** The members of a tenant the caller administers, with who they are and their status. */
export const membersList = storableProcedure
  .input(ZTenantMembersInput)
  .output(ZTenantMemberList)
  .query(({ ctx, input }) => listTenantMembers(administrationDeps(ctx.services))(ctx.principal, input));
