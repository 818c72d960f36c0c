import { ZListPresetsInput, ZPresetList } from '@volundr/contracts/presets';
import { storableProcedure } from '../../trpc/storable-input';

/** The principal's presets, by name (filter by CLI or default). */
export const list = storableProcedure
  .input(ZListPresetsInput)
  .output(ZPresetList)
  .query(({ ctx, input }) => ctx.services.presets.list(ctx.principal, input));
