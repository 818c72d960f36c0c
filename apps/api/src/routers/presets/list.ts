import { ZListPresetsInput, ZPresetList } from '@volundr/contracts/presets';
import { authedProcedure } from '../../trpc/trpc';

/** The principal's presets, by name (filter by CLI or default). */
export const list = authedProcedure
  .input(ZListPresetsInput)
  .output(ZPresetList)
  .query(({ ctx, input }) => ctx.services.presets.list(ctx.principal, input));
