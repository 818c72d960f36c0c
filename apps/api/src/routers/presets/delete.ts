import { ZDeletePresetOutput, ZPresetIdInput } from '@volundr/contracts/presets';
import { storableProcedure } from '../../trpc/storable-input';

/** Deletes one of the principal's presets (sessions launched from it keep their launch). */
export const remove = storableProcedure
  .input(ZPresetIdInput)
  .output(ZDeletePresetOutput)
  .mutation(({ ctx, input }) => ctx.services.presets.remove(ctx.principal, input));
