import { queryOptions } from '@tanstack/react-query';
import type { Api } from '../api-client';

/** The configured catalog (templates, profiles, models): read-only, changes only with config. */
export const catalogKeys = {
  all: ['catalog'] as const,
  templates: () => [...catalogKeys.all, 'templates'] as const,
  profiles: () => [...catalogKeys.all, 'profiles'] as const,
  models: () => [...catalogKeys.all, 'models'] as const,
};

const CATALOG_STALE_MS = 5 * 60_000;

export const templatesQuery = (api: Api) =>
  queryOptions({
    queryKey: catalogKeys.templates(),
    queryFn: ({ signal }) => api.query('templates.list', undefined, signal),
    staleTime: CATALOG_STALE_MS,
  });

export const profilesQuery = (api: Api) =>
  queryOptions({
    queryKey: catalogKeys.profiles(),
    queryFn: ({ signal }) => api.query('profiles.list', undefined, signal),
    staleTime: CATALOG_STALE_MS,
  });

export const modelsQuery = (api: Api) =>
  queryOptions({
    queryKey: catalogKeys.models(),
    queryFn: ({ signal }) => api.query('models.list', undefined, signal),
    staleTime: CATALOG_STALE_MS,
  });
