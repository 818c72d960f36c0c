import { ZProfile, ZProfileByNameInput } from '@volundr/contracts/profiles';
import { storableProcedure } from '../../trpc/storable-input';

/** One profile by name (PROFILE_NOT_FOUND otherwise). */
export const byName = storableProcedure
  .input(ZProfileByNameInput)
  .output(ZProfile)
  .query(({ ctx, input }) => ctx.services.catalog.profileByName(ctx.principal, input));
