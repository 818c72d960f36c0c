import { ZProfileList } from '@volundr/contracts/profiles';
import { z } from 'zod';
import { storableProcedure } from '../../trpc/storable-input';

/** Every launch profile of the configuration (read-only; any signed-in user). */
export const list = storableProcedure
  .input(z.void())
  .output(ZProfileList)
  .query(({ ctx }) => ctx.services.catalog.listProfiles(ctx.principal));
