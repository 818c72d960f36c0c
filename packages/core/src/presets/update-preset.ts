import { type Preset, ZUpdatePresetInput } from '@volundr/contracts/presets';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { validateInput } from '../sessions/validate-input';
import type { PresetDeps } from './create-preset';
import { checkPresetCatalog, checkPresetName, loadPresetFor } from './preset-access';
import { toPresetView } from './preset-view';

export const updatePreset =
  (deps: Omit<PresetDeps, 'ids'>) =>
  async (principal: Principal, rawInput: z.input<typeof ZUpdatePresetInput>): Promise<Preset> => {
    const input = validateInput(ZUpdatePresetInput, rawInput, 'preset update');
    const preset = await loadPresetFor(deps, principal, input.id, 'update');
    const next = {
      ...preset,
      name: input.name ?? preset.name,
      description: input.description ?? preset.description,
      cli: input.cli ?? preset.cli,
      isDefault: input.isDefault ?? preset.isDefault,
      templateName: input.templateName === undefined ? preset.templateName : input.templateName,
      profileName: input.profileName === undefined ? preset.profileName : input.profileName,
      defaults: input.defaults ?? preset.defaults,
      updatedAt: deps.clock.now(),
    };
    await checkPresetCatalog(deps, next);
    if (next.name !== preset.name) await checkPresetName(deps.presets, principal, next.name, preset.id);
    return toPresetView(await deps.presets.save(next));
  };
