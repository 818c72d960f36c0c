import { ZCreatePresetInput, ZPreset } from '@volundr/contracts/presets';
import { authedProcedure } from '../../trpc/trpc';

/** Saves a new preset; a new default replaces the previous default for its CLI. */
export const create = authedProcedure
  .input(ZCreatePresetInput)
  .output(ZPreset)
  .mutation(({ ctx, input }) => ctx.services.presets.create(ctx.principal, input));
