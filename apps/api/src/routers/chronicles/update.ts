import { ZChronicle, ZUpdateChronicleInput } from '@volundr/contracts/chronicles';
import { authedProcedure } from '../../trpc/trpc';
import { chronicleServices } from './deps';

/** Corrects a chronicle's summary or unfinished work, or sets its tags. */
export const update = authedProcedure
  .input(ZUpdateChronicleInput)
  .output(ZChronicle)
  .mutation(({ ctx, input }) => chronicleServices(ctx.services).update(ctx.principal, input));
