import { ZCreatePresetInput, ZPreset } from '@volundr/contracts/presets';
import { storableProcedure } from '../../trpc/storable-input';

/** Saves a new preset; a new default replaces the previous default for its CLI. */
export const create = storableProcedure
  .input(ZCreatePresetInput)
  .output(ZPreset)
  .mutation(({ ctx, input }) => ctx.services.presets.create(ctx.principal, input));
