import { ZPreset, ZUpdatePresetInput } from '@volundr/contracts/presets';
import { authedProcedure } from '../../trpc/trpc';

/** Changes a preset; fields left out stay, `defaults` replaces the whole set. */
export const update = authedProcedure
  .input(ZUpdatePresetInput)
  .output(ZPreset)
  .mutation(({ ctx, input }) => ctx.services.presets.update(ctx.principal, input));
