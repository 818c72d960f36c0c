import type { CliTool } from '@volundr/contracts/models';
import type { LaunchDefaults } from '@volundr/contracts/profiles';

export interface PresetRecord {
  id: string;
  ownerId: string;
  tenantId: string;
  name: string;
  description: string;
  cli: CliTool;
  isDefault: boolean;
  templateName: string | null;
  profileName: string | null;
  defaults: LaunchDefaults;
  createdAt: Date;
  updatedAt: Date;
}

export interface PresetQuery {
  ownerId: string;
  tenantId: string;
  cli?: CliTool;
  isDefault?: boolean;
}

/**
 * Per-user presets (`presets` table). `save` inserts or replaces by id; when the saved preset
 * is a default, the owner's other defaults for the same CLI are cleared in the same
 * transaction (one default per CLI per user). A name used by another of the owner's presets
 * → `DomainError('PRESET_NAME_TAKEN')`.
 */
export interface Presets {
  byId(id: string): Promise<PresetRecord | null>;
  list(query: PresetQuery): Promise<PresetRecord[]>;
  defaultFor(ownerId: string, cli: CliTool): Promise<PresetRecord | null>;
  save(preset: PresetRecord): Promise<PresetRecord>;
  delete(id: string): Promise<void>;
}
