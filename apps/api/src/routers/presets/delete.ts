import { ZDeletePresetOutput, ZPresetIdInput } from '@volundr/contracts/presets';
import { authedProcedure } from '../../trpc/trpc';

/** Deletes one of the principal's presets (sessions launched from it keep their launch). */
export const remove = authedProcedure
  .input(ZPresetIdInput)
  .output(ZDeletePresetOutput)
  .mutation(({ ctx, input }) => ctx.services.presets.remove(ctx.principal, input));
