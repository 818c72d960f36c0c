import { ZPreset, ZPresetIdInput } from '@volundr/contracts/presets';
import { storableProcedure } from '../../trpc/storable-input';

/** One of the principal's presets (another user's is PRESET_NOT_FOUND). */
export const byId = storableProcedure
  .input(ZPresetIdInput)
  .output(ZPreset)
  .query(({ ctx, input }) => ctx.services.presets.byId(ctx.principal, input));
