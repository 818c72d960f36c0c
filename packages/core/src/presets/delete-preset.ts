import { ZPresetIdInput } from '@volundr/contracts/presets';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { validateInput } from '../sessions/validate-input';
import type { Presets } from './ports/presets';
import { loadPresetFor } from './preset-access';

/** Deletes a preset; sessions created from it keep their stored launch and are unaffected. */
export const deletePreset =
  (deps: { presets: Presets; authorization: Authorization }) =>
  async (principal: Principal, rawInput: z.input<typeof ZPresetIdInput>): Promise<{ id: string; deleted: true }> => {
    const input = validateInput(ZPresetIdInput, rawInput, 'preset id');
    const preset = await loadPresetFor(deps, principal, input.id, 'delete');
    await deps.presets.delete(preset.id);
    return { id: preset.id, deleted: true };
  };
