import { ZChroniclePage, ZListChroniclesInput } from '@volundr/contracts/chronicles';
import { authedProcedure } from '../../trpc/trpc';
import { chronicleServices } from './deps';

/** The chronicles the caller may see, newest first, filtered by repository, model, tags and status. */
export const list = authedProcedure
  .input(ZListChroniclesInput)
  .output(ZChroniclePage)
  .query(({ ctx, input }) => chronicleServices(ctx.services).list(ctx.principal, input));
