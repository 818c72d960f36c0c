import { type Preset, ZPresetIdInput } from '@volundr/contracts/presets';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { validateInput } from '../sessions/validate-input';
import type { Presets } from './ports/presets';
import { loadPresetFor } from './preset-access';
import { toPresetView } from './preset-view';

export const presetById =
  (deps: { presets: Presets; authorization: Authorization }) =>
  async (principal: Principal, rawInput: z.input<typeof ZPresetIdInput>): Promise<Preset> => {
    const input = validateInput(ZPresetIdInput, rawInput, 'preset id');
    return toPresetView(await loadPresetFor(deps, principal, input.id, 'read'));
  };
