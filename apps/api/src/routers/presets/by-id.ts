import { ZPreset, ZPresetIdInput } from '@volundr/contracts/presets';
import { authedProcedure } from '../../trpc/trpc';

/** One of the principal's presets (another user's is PRESET_NOT_FOUND). */
export const byId = authedProcedure
  .input(ZPresetIdInput)
  .output(ZPreset)
  .query(({ ctx, input }) => ctx.services.presets.byId(ctx.principal, input));
