import type { CliTool } from '@volundr/contracts/models';
import type { Principal } from '@volundr/contracts/principal';
import type { LaunchDefaults } from '@volundr/contracts/profiles';
import type { Action, Authorization, Resource } from '../authz/ports/authorization';
import type { Models } from '../catalog/ports/models';
import type { Profiles } from '../catalog/ports/profiles';
import type { Templates } from '../catalog/ports/templates';
import { DomainError } from '../errors';
import type { PresetRecord, Presets } from './ports/presets';

export const presetResource = (p: Pick<PresetRecord, 'id' | 'ownerId' | 'tenantId'>): Resource => ({
  kind: 'preset',
  id: p.id,
  ownerId: p.ownerId,
  tenantId: p.tenantId,
});

/**
 * Loads a preset the principal may act on. Presets are personal: another user's preset is
 * PRESET_NOT_FOUND whatever the policy, and so is one the policy denies.
 */
export async function loadPresetFor(
  deps: { presets: Presets; authorization: Authorization },
  principal: Principal,
  id: string,
  action: Action,
): Promise<PresetRecord> {
  const preset = await deps.presets.byId(id);
  const notFound = new DomainError('PRESET_NOT_FOUND', `You have no preset ${id}`);
  if (!preset || preset.ownerId !== principal.userId || preset.tenantId !== principal.tenantId) throw notFound;
  const decision = await deps.authorization.check(principal, action, presetResource(preset));
  if (!decision.allowed) {
    if (action === 'read') throw notFound;
    throw new DomainError('FORBIDDEN', `You may not ${action} preset "${preset.name}"`);
  }
  return preset;
}

export interface PresetCatalogs {
  models: Models;
  templates: Templates;
  profiles: Profiles;
}

/** What a preset names must exist in the catalogs and suit the preset's CLI. */
export async function checkPresetCatalog(
  catalogs: PresetCatalogs,
  preset: { cli: CliTool; templateName: string | null; profileName: string | null; defaults: LaunchDefaults },
): Promise<void> {
  const { cli, defaults } = preset;
  if (defaults.model !== undefined) {
    const model = await catalogs.models.byId(defaults.model);
    if (!model) throw new DomainError('MODEL_NOT_FOUND', `defaults.model: no model "${defaults.model}" in the catalog`);
    if (model.cli !== cli)
      throw new DomainError('BAD_REQUEST', `defaults.model: "${model.id}" runs on ${model.cli}, not ${cli}`);
  }
  if (preset.templateName !== null) {
    const template = await catalogs.templates.byName(preset.templateName);
    if (!template) throw new DomainError('TEMPLATE_NOT_FOUND', `templateName: no template "${preset.templateName}"`);
    if (template.cli && template.cli !== cli)
      throw new DomainError(
        'BAD_REQUEST',
        `templateName: template "${template.name}" is for ${template.cli}, not ${cli}`,
      );
  }
  if (preset.profileName !== null) {
    const profile = await catalogs.profiles.byName(preset.profileName);
    if (!profile) throw new DomainError('PROFILE_NOT_FOUND', `profileName: no profile "${preset.profileName}"`);
    if (profile.cli !== cli)
      throw new DomainError('BAD_REQUEST', `profileName: profile "${profile.name}" is for ${profile.cli}, not ${cli}`);
  }
}

/** Names are unique per owner (the repository enforces it too). */
export async function checkPresetName(presets: Presets, principal: Principal, name: string, exceptId?: string) {
  const mine = await presets.list({ ownerId: principal.userId, tenantId: principal.tenantId });
  if (mine.some((p) => p.name === name && p.id !== exceptId))
    throw new DomainError('PRESET_NAME_TAKEN', `name: you already have a preset named "${name}"`);
}
