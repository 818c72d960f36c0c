import { type Preset, ZListPresetsInput } from '@volundr/contracts/presets';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { validateInput } from '../sessions/validate-input';
import type { PresetQuery, Presets } from './ports/presets';
import { toPresetView } from './preset-view';

/** The principal's own presets (presets are personal; the list scope only decides none vs own). */
export const listPresets =
  (deps: { presets: Presets; authorization: Authorization }) =>
  async (principal: Principal, rawInput: z.input<typeof ZListPresetsInput> = {}): Promise<Preset[]> => {
    const input = validateInput(ZListPresetsInput, rawInput, 'preset filter');
    const scope = await deps.authorization.listScope(principal, 'preset', principal.tenantId);
    if (scope === 'none') return [];
    const query: PresetQuery = { ownerId: principal.userId, tenantId: principal.tenantId };
    if (input.cli !== undefined) query.cli = input.cli;
    if (input.isDefault !== undefined) query.isDefault = input.isDefault;
    return (await deps.presets.list(query)).map(toPresetView);
  };
