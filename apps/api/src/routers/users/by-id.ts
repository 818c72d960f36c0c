import { ZAdministeredUser, ZUserIdInput } from '@volundr/contracts/identity';
import { userById } from '@volundr/core/identity/user-by-id';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from '../tenants/deps';

/** A user of the tenants the caller administers, with those memberships. */
export const byId = storableProcedure
  .input(ZUserIdInput)
  .output(ZAdministeredUser)
  .query(({ ctx, input }) => userById(administrationDeps(ctx.services))(ctx.principal, input));
