import { type Catalog, catalogFromConfig } from '@volundr/core/catalog/config-catalog';
import { isDomainError } from '@volundr/core/errors';
import { ConfigError } from '../config/config-error';
import { DEFAULT_MODELS, DEFAULT_PROFILES } from '../config/default-catalog';
import type { Config } from '../config/schema';

/**
 * Models, profiles and templates from the configuration (the built-in models and profiles when
 * the file lists none), checked as a whole: a profile or template naming a missing model or
 * profile stops the start with the key path.
 */
export function composeCatalog(config: Config): Catalog {
  try {
    return catalogFromConfig({
      models: config.models ?? DEFAULT_MODELS,
      profiles: config.profiles ?? DEFAULT_PROFILES,
      templates: config.templates,
    });
  } catch (error) {
    if (isDomainError(error)) throw new ConfigError(`configuration: ${error.message}`);
    throw error;
  }
}
