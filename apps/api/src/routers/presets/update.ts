import { ZPreset, ZUpdatePresetInput } from '@volundr/contracts/presets';
import { storableProcedure } from '../../trpc/storable-input';

/** Changes a preset; fields left out stay, `defaults` replaces the whole set. */
export const update = storableProcedure
  .input(ZUpdatePresetInput)
  .output(ZPreset)
  .mutation(({ ctx, input }) => ctx.services.presets.update(ctx.principal, input));
