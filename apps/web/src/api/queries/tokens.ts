import { mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import type { Api } from '../api-client';
import type { InputOf } from '../procedures';

export const tokenKeys = {
  all: ['tokens'] as const,
  list: (includeRevoked: boolean) => [...tokenKeys.all, 'list', includeRevoked] as const,
};

export const tokensQuery = (api: Api, includeRevoked: boolean) =>
  queryOptions({
    queryKey: tokenKeys.list(includeRevoked),
    queryFn: ({ signal }) => api.query('tokens.list', { includeRevoked }, signal),
  });

export const createTokenMutation = (api: Api, queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (input: InputOf<'tokens.create'>) => api.mutate('tokens.create', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
  });

export const revokeTokenMutation = (api: Api, queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (id: string) => api.mutate('tokens.revoke', { id }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
  });
