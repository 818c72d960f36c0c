import { ZProfile, ZProfileByNameInput } from '@volundr/contracts/profiles';
import { authedProcedure } from '../../trpc/trpc';

/** One profile by name (PROFILE_NOT_FOUND otherwise). */
export const byName = authedProcedure
  .input(ZProfileByNameInput)
  .output(ZProfile)
  .query(({ ctx, input }) => ctx.services.catalog.profileByName(ctx.principal, input));
