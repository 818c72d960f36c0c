import { mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import type { Api } from '../api-client';
import type { InputOf } from '../procedures';

export const presetKeys = {
  all: ['presets'] as const,
  list: (input: InputOf<'presets.list'>) => [...presetKeys.all, 'list', input] as const,
};

export const presetsQuery = (api: Api, input: InputOf<'presets.list'> = {}) =>
  queryOptions({
    queryKey: presetKeys.list(input),
    queryFn: ({ signal }) => api.query('presets.list', input, signal),
  });

const invalidate = (queryClient: QueryClient) => queryClient.invalidateQueries({ queryKey: presetKeys.all });

export const createPresetMutation = (api: Api, queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (input: InputOf<'presets.create'>) => api.mutate('presets.create', input),
    onSuccess: () => invalidate(queryClient),
  });

export const updatePresetMutation = (api: Api, queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (input: InputOf<'presets.update'>) => api.mutate('presets.update', input),
    onSuccess: () => invalidate(queryClient),
  });

export const deletePresetMutation = (api: Api, queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (id: string) => api.mutate('presets.delete', { id }),
    onSuccess: () => invalidate(queryClient),
  });
