import { ZLaunchDefaults } from '@volundr/contracts/profiles';
import { DomainError } from '@volundr/core/errors';
import type { PresetQuery, PresetRecord, Presets } from '@volundr/core/presets/ports/presets';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Database, Drizzle } from '../client';
import { presets } from '../schema/presets';
import { isUniqueViolation } from './pg-errors';

const columns = {
  id: presets.id,
  ownerId: presets.ownerId,
  tenantId: presets.tenantId,
  name: presets.name,
  description: presets.description,
  cli: presets.cliTool,
  isDefault: presets.isDefault,
  templateName: presets.templateName,
  profileName: presets.profileName,
  defaults: presets.defaults,
  createdAt: presets.createdAt,
  updatedAt: presets.updatedAt,
};

type PresetRow = Omit<PresetRecord, 'defaults'> & { defaults: unknown };

function toRecord(row: PresetRow): PresetRecord {
  const defaults = ZLaunchDefaults.safeParse(row.defaults);
  if (!defaults.success) {
    const issue = defaults.error.issues[0];
    throw new DomainError(
      'INTERNAL',
      `presets.defaults of preset ${row.id} is not valid: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return { ...row, defaults: defaults.data };
}

const NAME_KEY = 'presets_owner_id_name_key';
const DEFAULT_KEY = 'presets_owner_default_key';

/**
 * The Presets port on the `presets` table. `save` upserts by id and, for a default preset,
 * clears the owner's other default for the same CLI in the same transaction (the partial
 * unique index `presets_owner_default_key` makes two concurrent defaults fail, not coexist).
 */
export function createPresetsRepository(database: Database): Presets {
  const db: Drizzle = database.drizzle;

  async function saveOnce(preset: PresetRecord): Promise<PresetRecord> {
    return database.transaction(async (tx) => {
      if (preset.isDefault) {
        await tx.drizzle
          .update(presets)
          .set({ isDefault: false, updatedAt: preset.updatedAt })
          .where(
            and(
              eq(presets.ownerId, preset.ownerId),
              eq(presets.cliTool, preset.cli),
              eq(presets.isDefault, true),
              ne(presets.id, preset.id),
            ),
          );
      }
      const values = {
        id: preset.id,
        ownerId: preset.ownerId,
        tenantId: preset.tenantId,
        name: preset.name,
        description: preset.description,
        cliTool: preset.cli,
        isDefault: preset.isDefault,
        templateName: preset.templateName,
        profileName: preset.profileName,
        defaults: preset.defaults,
        createdAt: preset.createdAt,
        updatedAt: preset.updatedAt,
      };
      const { id: _id, ownerId: _owner, tenantId: _tenant, createdAt: _created, ...changes } = values;
      const rows = await tx.drizzle
        .insert(presets)
        .values(values)
        .onConflictDoUpdate({
          target: presets.id,
          set: changes,
          // An id never moves to another owner.
          setWhere: sql`${presets.ownerId} = excluded.owner_id`,
        })
        .returning(columns);
      const [row] = rows;
      if (!row) throw new DomainError('PRESET_NOT_FOUND', `No preset ${preset.id}`);
      return toRecord(row);
    });
  }

  return {
    async byId(id) {
      const [row] = await db.select(columns).from(presets).where(eq(presets.id, id));
      return row ? toRecord(row) : null;
    },

    async list(query: PresetQuery) {
      const rows = await db
        .select(columns)
        .from(presets)
        .where(
          and(
            eq(presets.ownerId, query.ownerId),
            eq(presets.tenantId, query.tenantId),
            query.cli === undefined ? undefined : eq(presets.cliTool, query.cli),
            query.isDefault === undefined ? undefined : eq(presets.isDefault, query.isDefault),
          ),
        )
        .orderBy(asc(presets.name), asc(presets.id));
      return rows.map(toRecord);
    },

    async defaultFor(ownerId, cli) {
      const [row] = await db
        .select(columns)
        .from(presets)
        .where(and(eq(presets.ownerId, ownerId), eq(presets.cliTool, cli), eq(presets.isDefault, true)));
      return row ? toRecord(row) : null;
    },

    async save(preset) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await saveOnce(preset);
        } catch (error) {
          if (isUniqueViolation(error, NAME_KEY))
            throw new DomainError('PRESET_NAME_TAKEN', `name: you already have a preset named "${preset.name}"`, {
              name: preset.name,
            });
          // Another request made a different preset the default at the same moment: clear it again.
          if (isUniqueViolation(error, DEFAULT_KEY) && attempt < 3) continue;
          throw error;
        }
      }
    },

    async delete(id) {
      await db.delete(presets).where(eq(presets.id, id));
    },
  };
}
