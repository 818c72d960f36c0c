import { z } from 'zod';
import { ZCliTool } from './models';
import { ZCatalogName, ZLaunchDefaults } from './profiles';

export const ZPresetName = z
  .string()
  .min(1)
  .max(100)
  .refine((n) => n.trim() === n, 'no leading or trailing spaces');
export const ZPresetId = z.string().min(1).max(255);

/** A user's saved launch defaults. At most one preset per CLI is the user's default. */
export const ZPreset = z.strictObject({
  id: ZPresetId,
  ownerId: z.string(),
  tenantId: z.string(),
  name: ZPresetName,
  description: z.string().max(1000),
  cli: ZCliTool,
  isDefault: z.boolean(),
  /** Template and profile to launch with when the request names none. */
  templateName: ZCatalogName.nullable(),
  profileName: ZCatalogName.nullable(),
  defaults: ZLaunchDefaults,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Preset = z.infer<typeof ZPreset>;

export const ZCreatePresetInput = z.strictObject({
  name: ZPresetName,
  description: z.string().max(1000).default(''),
  cli: ZCliTool,
  isDefault: z.boolean().default(false),
  templateName: ZCatalogName.nullable().default(null),
  profileName: ZCatalogName.nullable().default(null),
  defaults: ZLaunchDefaults.default({}),
});
export type CreatePresetInput = z.infer<typeof ZCreatePresetInput>;

/** Fields left out stay as they are; `defaults` replaces the whole set when given. */
export const ZUpdatePresetInput = z.strictObject({
  id: ZPresetId,
  name: ZPresetName.optional(),
  description: z.string().max(1000).optional(),
  cli: ZCliTool.optional(),
  isDefault: z.boolean().optional(),
  templateName: ZCatalogName.nullable().optional(),
  profileName: ZCatalogName.nullable().optional(),
  defaults: ZLaunchDefaults.optional(),
});
export type UpdatePresetInput = z.infer<typeof ZUpdatePresetInput>;

export const ZPresetIdInput = z.strictObject({ id: ZPresetId });
export type PresetIdInput = z.infer<typeof ZPresetIdInput>;

export const ZListPresetsInput = z.strictObject({
  cli: ZCliTool.optional(),
  isDefault: z.boolean().optional(),
});
export type ListPresetsInput = z.infer<typeof ZListPresetsInput>;

export const ZPresetList = z.array(ZPreset);

export const ZDeletePresetOutput = z.strictObject({ id: ZPresetId, deleted: z.literal(true) });
