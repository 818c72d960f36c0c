import { ZUser, ZUserIdInput } from '@volundr/contracts/identity';
import { reprovisionUser } from '@volundr/core/identity/reprovision-user';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from '../tenants/deps';

/** Re-provisions a user (a `failed` one's retry: home volume, then active). Idempotent. */
export const reprovision = storableProcedure
  .input(ZUserIdInput)
  .output(ZUser)
  .mutation(({ ctx, input }) => reprovisionUser(administrationDeps(ctx.services))(ctx.principal, input));
