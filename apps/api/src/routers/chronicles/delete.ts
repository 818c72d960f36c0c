import { ZChronicleIdInput, ZDeleteChronicleOutput } from '@volundr/contracts/chronicles';
import { authedProcedure } from '../../trpc/trpc';
import { chronicleServices } from './deps';

/** Deletes a chronicle and its timeline. */
export const remove = authedProcedure
  .input(ZChronicleIdInput)
  .output(ZDeleteChronicleOutput)
  .mutation(({ ctx, input }) => chronicleServices(ctx.services).delete(ctx.principal, input));
