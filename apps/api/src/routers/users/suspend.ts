import { ZUser, ZUserIdInput } from '@volundr/contracts/identity';
import { setUserSuspended } from '@volundr/core/identity/set-user-suspended';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from '../tenants/deps';

/**
 * Suspends an account: refused from its next request on (this process forgets that it saw the
 * user active; other replicas within ACTIVE_USER_TTL_MS). Audited.
 */
export const suspend = storableProcedure
  .input(ZUserIdInput)
  .output(ZUser)
  .mutation(async ({ ctx, input }) => {
    const user = await setUserSuspended(administrationDeps(ctx.services))(ctx.principal, input, true);
    ctx.services.accounts.forgetActiveUser(user.id);
    return user;
  });
