import { type Preset, ZCreatePresetInput } from '@volundr/contracts/presets';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import type { Models } from '../catalog/ports/models';
import type { Profiles } from '../catalog/ports/profiles';
import type { Templates } from '../catalog/ports/templates';
import { DomainError } from '../errors';
import { validateInput } from '../sessions/validate-input';
import type { Clock } from '../shared/ports/clock';
import type { Ids } from '../shared/ports/ids';
import type { Presets } from './ports/presets';
import { checkPresetCatalog, checkPresetName } from './preset-access';
import { toPresetView } from './preset-view';

export interface PresetDeps {
  presets: Presets;
  authorization: Authorization;
  models: Models;
  templates: Templates;
  profiles: Profiles;
  clock: Clock;
  ids: Ids;
}

/** Saves a new preset for the principal; a new default replaces the previous one for its CLI. */
export const createPreset =
  (deps: PresetDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZCreatePresetInput>): Promise<Preset> => {
    const input = validateInput(ZCreatePresetInput, rawInput, 'preset');
    const decision = await deps.authorization.check(principal, 'create', {
      kind: 'preset',
      ownerId: principal.userId,
      tenantId: principal.tenantId,
    });
    if (!decision.allowed) throw new DomainError('FORBIDDEN', 'You may not create presets');
    await checkPresetCatalog(deps, input);
    await checkPresetName(deps.presets, principal, input.name);
    const now = deps.clock.now();
    const saved = await deps.presets.save({
      id: deps.ids.next(),
      ownerId: principal.userId,
      tenantId: principal.tenantId,
      name: input.name,
      description: input.description,
      cli: input.cli,
      isDefault: input.isDefault,
      templateName: input.templateName,
      profileName: input.profileName,
      defaults: input.defaults,
      createdAt: now,
      updatedAt: now,
    });
    return toPresetView(saved);
  };
