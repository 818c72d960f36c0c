import { ZListUsersInput, ZUserPage } from '@volundr/contracts/identity';
import { listUsers } from '@volundr/core/identity/list-users';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from '../tenants/deps';

/** The members of a tenant the caller administers (theirs by default), with status and memberships. */
export const list = storableProcedure
  .input(ZListUsersInput)
  .output(ZUserPage)
  .query(({ ctx, input }) => listUsers(administrationDeps(ctx.services))(ctx.principal, input));
