import { ZMembership, ZSetTenantMemberRoleInput } from '@volundr/contracts/identity';
import { setTenantMemberRole } from '@volundr/core/identity/set-tenant-member-role';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from './deps';

/** Changes a member's role; never demotes a tenant's last administrator (audited). */
export const membersSetRole = storableProcedure
  .input(ZSetTenantMemberRoleInput)
  .output(ZMembership)
  .mutation(({ ctx, input }) => setTenantMemberRole(administrationDeps(ctx.services))(ctx.principal, input));
