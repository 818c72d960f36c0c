import type { CliTool } from '@volundr/contracts/models';
import { DomainError } from '../errors';
import type { PresetQuery, PresetRecord, Presets } from '../presets/ports/presets';

/** Test double of the presets repository: one default per owner and CLI, unique names per owner. */
export class InMemoryPresets implements Presets {
  readonly rows = new Map<string, PresetRecord>();

  async byId(id: string) {
    const row = this.rows.get(id);
    return row ? structuredClone(row) : null;
  }

  async list(q: PresetQuery) {
    return [...this.rows.values()]
      .filter(
        (p) =>
          p.ownerId === q.ownerId &&
          p.tenantId === q.tenantId &&
          (q.cli === undefined || p.cli === q.cli) &&
          (q.isDefault === undefined || p.isDefault === q.isDefault),
      )
      .map((p) => structuredClone(p));
  }

  async defaultFor(ownerId: string, cli: CliTool) {
    const row = [...this.rows.values()].find((p) => p.ownerId === ownerId && p.cli === cli && p.isDefault);
    return row ? structuredClone(row) : null;
  }

  async save(preset: PresetRecord) {
    const clash = [...this.rows.values()].find(
      (p) => p.ownerId === preset.ownerId && p.name === preset.name && p.id !== preset.id,
    );
    if (clash) throw new DomainError('PRESET_NAME_TAKEN', `name: a preset named "${preset.name}" exists`);
    if (preset.isDefault) {
      for (const p of this.rows.values())
        if (p.ownerId === preset.ownerId && p.cli === preset.cli && p.id !== preset.id) p.isDefault = false;
    }
    this.rows.set(preset.id, structuredClone(preset));
    return structuredClone(preset);
  }

  async delete(id: string) {
    this.rows.delete(id);
  }
}
