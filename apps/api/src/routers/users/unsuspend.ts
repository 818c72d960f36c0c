import { ZUser, ZUserIdInput } from '@volundr/contracts/identity';
import { setUserSuspended } from '@volundr/core/identity/set-user-suspended';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from '../tenants/deps';

/** Lifts a suspension (the account is `active` again). Audited. */
export const unsuspend = storableProcedure
  .input(ZUserIdInput)
  .output(ZUser)
  .mutation(({ ctx, input }) => setUserSuspended(administrationDeps(ctx.services))(ctx.principal, input, false));
