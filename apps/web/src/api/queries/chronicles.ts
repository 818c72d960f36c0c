import { infiniteQueryOptions, mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import type { ListChroniclesInput } from '@volundr/contracts/chronicles';
import type { Api } from '../api-client';
import { sessionKeys } from './sessions';

export const chronicleKeys = {
  all: ['chronicles'] as const,
  lists: () => [...chronicleKeys.all, 'list'] as const,
  list: (filters: Omit<ListChroniclesInput, 'cursor' | 'limit'>) => [...chronicleKeys.lists(), filters] as const,
  detail: (id: string) => [...chronicleKeys.all, 'detail', id] as const,
  timeline: (id: string) => [...chronicleKeys.all, 'timeline', id] as const,
  chain: (id: string) => [...chronicleKeys.all, 'chain', id] as const,
};

/** Per-session records (timeline, usage, token burn) that grow while the session runs. */
export const sessionRecordKeys = {
  timeline: (sessionId: string) => [...sessionKeys.all, 'timeline', sessionId] as const,
  tokens: (sessionId: string) => [...sessionKeys.all, 'tokens', sessionId] as const,
};

export const chronicleListQuery = (api: Api, filters: Omit<ListChroniclesInput, 'cursor' | 'limit'>) =>
  infiniteQueryOptions({
    queryKey: chronicleKeys.list(filters),
    queryFn: ({ signal, pageParam }) =>
      api.query('chronicles.list', { ...filters, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const chronicleQuery = (api: Api, id: string) =>
  queryOptions({
    queryKey: chronicleKeys.detail(id),
    queryFn: ({ signal }) => api.query('chronicles.byId', { id }, signal),
  });

export const chronicleTimelineQuery = (api: Api, id: string) =>
  infiniteQueryOptions({
    queryKey: chronicleKeys.timeline(id),
    queryFn: ({ signal, pageParam }) =>
      api.query('chronicles.timeline', { id, limit: 200, ...(pageParam ? { cursor: pageParam } : {}) }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const chronicleChainQuery = (api: Api, id: string) =>
  queryOptions({
    queryKey: chronicleKeys.chain(id),
    queryFn: ({ signal }) => api.query('chronicles.chain', { id }, signal),
  });

export const sessionTimelineQuery = (api: Api, sessionId: string) =>
  infiniteQueryOptions({
    queryKey: sessionRecordKeys.timeline(sessionId),
    queryFn: ({ signal, pageParam }) =>
      api.query('timeline.bySession', { sessionId, limit: 200, ...(pageParam ? { cursor: pageParam } : {}) }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const sessionTokensQuery = (api: Api, sessionId: string) =>
  queryOptions({
    queryKey: sessionRecordKeys.tokens(sessionId),
    queryFn: ({ signal }) => api.query('usage.tokens', { sessionId }, signal),
  });

export const reforgeMutation = (api: Api, queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (input: { id: string; name?: string }) => api.mutate('chronicles.reforge', input),
    onSuccess: (session, input) => {
      queryClient.setQueryData(sessionKeys.detail(session.id), session);
      void queryClient.invalidateQueries({ queryKey: sessionKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: chronicleKeys.chain(input.id) });
    },
  });

export const deleteChronicleMutation = (api: Api, queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (id: string) => api.mutate('chronicles.delete', { id }),
    onSuccess: ({ id }) => {
      queryClient.removeQueries({ queryKey: chronicleKeys.detail(id), type: 'inactive' });
      void queryClient.invalidateQueries({ queryKey: chronicleKeys.lists() });
    },
  });
