import type { Preset } from '@volundr/contracts/presets';
import type { PresetRecord } from './ports/presets';

export function toPresetView(p: PresetRecord): Preset {
  return {
    id: p.id,
    ownerId: p.ownerId,
    tenantId: p.tenantId,
    name: p.name,
    description: p.description,
    cli: p.cli,
    isDefault: p.isDefault,
    templateName: p.templateName,
    profileName: p.profileName,
    defaults: p.defaults,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
