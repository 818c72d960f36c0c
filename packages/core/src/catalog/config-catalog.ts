import { type Model, ZModelsConfig } from '@volundr/contracts/models';
import { type Profile, ZProfilesConfig } from '@volundr/contracts/profiles';
import { type Template, ZTemplatesConfig } from '@volundr/contracts/templates';
import type { z } from 'zod';
import { DomainError } from '../errors';
import type { Models } from './ports/models';
import type { Profiles } from './ports/profiles';
import type { Templates } from './ports/templates';

export interface CatalogConfig {
  models: unknown;
  profiles: unknown;
  templates: unknown;
}

export interface Catalog {
  models: Models;
  profiles: Profiles;
  templates: Templates;
}

function parse<T>(schema: z.ZodType<T, unknown>, value: unknown, key: string): T {
  const result = schema.safeParse(value ?? []);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((i) => `${[key, ...i.path.map(String)].join('.')}: ${i.message}`)
    .join('; ');
  throw new DomainError('CONFIG_INVALID', `Invalid catalog configuration: ${problems}`);
}

/**
 * The models, profiles and templates of the configuration file (already read as data), checked
 * as a whole: every model a profile or template names exists and runs on its CLI, and every
 * profile a template names exists. Errors name the key path.
 */
export function catalogFromConfig(config: CatalogConfig): Catalog {
  const models = parse<Model[]>(ZModelsConfig, config.models, 'models');
  const profiles = parse<Profile[]>(ZProfilesConfig, config.profiles, 'profiles');
  const templates = parse<Template[]>(ZTemplatesConfig, config.templates, 'templates');
  const modelById = new Map(models.map((m) => [m.id, m]));
  const profileByName = new Map(profiles.map((p) => [p.name, p]));
  const problems: string[] = [];
  const checkModel = (path: string, id: string | undefined, cli: string | undefined) => {
    if (id === undefined) return;
    const model = modelById.get(id);
    if (!model) problems.push(`${path}.model: no model "${id}" in models`);
    else if (cli && model.cli !== cli) problems.push(`${path}.model: "${id}" runs on ${model.cli}, not ${cli}`);
  };
  for (const [i, p] of profiles.entries()) checkModel(`profiles.${i}`, p.model, p.cli);
  templates.forEach((t, i) => {
    const profile = t.profileName ? profileByName.get(t.profileName) : undefined;
    if (t.profileName && !profile) problems.push(`templates.${i}.profileName: no profile "${t.profileName}"`);
    if (profile && t.cli && profile.cli !== t.cli)
      problems.push(`templates.${i}.profileName: profile "${profile.name}" is for ${profile.cli}, not ${t.cli}`);
    checkModel(`templates.${i}`, t.model, t.cli ?? profile?.cli);
  });
  if (problems.length) throw new DomainError('CONFIG_INVALID', `Invalid catalog configuration: ${problems.join('; ')}`);

  const templateByName = new Map(templates.map((t) => [t.name, t]));
  return {
    models: {
      list: async () => models,
      byId: async (id) => modelById.get(id) ?? null,
    },
    profiles: {
      list: async () => profiles,
      byName: async (name) => profileByName.get(name) ?? null,
      defaultFor: async (cli) => profiles.find((p) => p.isDefault && p.cli === cli) ?? null,
    },
    templates: {
      list: async () => templates,
      byName: async (name) => templateByName.get(name) ?? null,
    },
  };
}
