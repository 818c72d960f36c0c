import { ZProfileList } from '@volundr/contracts/profiles';
import { z } from 'zod';
import { authedProcedure } from '../../trpc/trpc';

/** Every launch profile of the configuration (read-only; any signed-in user). */
export const list = authedProcedure
  .input(z.void())
  .output(ZProfileList)
  .query(({ ctx }) => ctx.services.catalog.listProfiles(ctx.principal));
