import {
  type InfiniteData,
  infiniteQueryOptions,
  mutationOptions,
  type QueryClient,
  queryOptions,
} from '@tanstack/react-query';
import type { SessionEvent } from '@volundr/contracts/session-events';
import type { ListSessionsInput, Session, SessionPage } from '@volundr/contracts/sessions';
import { applySessionEvent, mergeSessionLists, newerSession } from '../../features/sessions/apply-session-event';
import type { Api } from '../api-client';
import type { InputOf } from '../procedures';

/** Every key of session data lives here, so every change knows what it makes stale. */
export const sessionKeys = {
  all: ['sessions'] as const,
  lists: () => [...sessionKeys.all, 'list'] as const,
  list: (input: Omit<ListSessionsInput, 'cursor' | 'limit'>) => [...sessionKeys.lists(), input] as const,
  detail: (id: string) => [...sessionKeys.all, 'detail', id] as const,
};

type Pages = InfiniteData<SessionPage, string | undefined>;

/** Sessions page by page (newest first), as many pages as the person loads. */
export const sessionListQuery = (api: Api, input: Omit<ListSessionsInput, 'cursor' | 'limit'>) =>
  infiniteQueryOptions({
    queryKey: sessionKeys.list(input),
    queryFn: ({ signal, pageParam }) =>
      api.query('sessions.list', { ...input, limit: 100, ...(pageParam ? { cursor: pageParam } : {}) }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // A refetch that left before a live event arrived must not undo it.
    structuralSharing: (cached: unknown, fetched: unknown) => {
      const old = cached as Pages | undefined;
      const next = fetched as Pages;
      const known = old?.pages.flatMap((p) => p.items);
      return { ...next, pages: next.pages.map((p) => ({ ...p, items: mergeSessionLists(known, p.items) })) };
    },
  });

export const sessionQuery = (api: Api, id: string) =>
  queryOptions({
    queryKey: sessionKeys.detail(id),
    queryFn: ({ signal }) => api.query('sessions.byId', { id }, signal),
    structuralSharing: (cached: unknown, fetched: unknown) =>
      newerSession(cached as Session | undefined, fetched as Session),
  });

function mapLists(queryClient: QueryClient, change: (items: Session[]) => Session[]): void {
  queryClient.setQueriesData<Pages>({ queryKey: sessionKeys.lists() }, (data) =>
    data ? { ...data, pages: data.pages.map((page) => ({ ...page, items: change(page.items) })) } : data,
  );
}

/** Puts a session the API returned into every cached view of it (unless the cache is newer). */
export function storeSession(queryClient: QueryClient, session: Session): void {
  queryClient.setQueryData<Session>(sessionKeys.detail(session.id), (cached) => newerSession(cached, session));
  mapLists(queryClient, (items) => items.map((s) => (s.id === session.id ? newerSession(s, session) : s)));
}

let refetchTimer: ReturnType<typeof setTimeout> | null = null;

/**
 * One live event from `sessions.onState` applied to the cache: cards move at once; events
 * the cache cannot show by itself (a new session, changed fields) refetch, at most a few
 * times a second however many arrive.
 */
export function applySessionEventToCache(queryClient: QueryClient, event: SessionEvent): void {
  let refetch = false;
  mapLists(queryClient, (items) => {
    const applied = applySessionEvent(items, event);
    refetch ||= applied.refetch;
    return applied.sessions;
  });
  const detail = queryClient.getQueryData<Session>(sessionKeys.detail(event.sessionId));
  if (detail) {
    const applied = applySessionEvent([detail], event);
    const next = applied.sessions[0];
    if (next) queryClient.setQueryData(sessionKeys.detail(event.sessionId), next);
    else queryClient.removeQueries({ queryKey: sessionKeys.detail(event.sessionId) });
    if (applied.refetch) void queryClient.invalidateQueries({ queryKey: sessionKeys.detail(event.sessionId) });
  }
  if (refetch && !refetchTimer) {
    refetchTimer = setTimeout(() => {
      refetchTimer = null;
      void queryClient.invalidateQueries({ queryKey: sessionKeys.lists() });
    }, 250);
  }
}

export type LifecycleAction = 'start' | 'stop' | 'archive' | 'restore';

export const lifecycleMutation = (api: Api, queryClient: QueryClient, action: LifecycleAction) =>
  mutationOptions({
    mutationKey: ['sessions', action],
    mutationFn: (id: string) => api.mutate(`sessions.${action}`, { id }),
    onSuccess: (session) => {
      storeSession(queryClient, session);
      // Archive/restore move sessions in or out of lists that hide archived ones.
      if (action === 'archive' || action === 'restore')
        void queryClient.invalidateQueries({ queryKey: sessionKeys.lists() });
    },
  });

export const deleteSessionMutation = (api: Api, queryClient: QueryClient) =>
  mutationOptions({
    mutationKey: ['sessions', 'delete'],
    mutationFn: (input: InputOf<'sessions.delete'>) => api.mutate('sessions.delete', input),
    onSuccess: ({ id }) => {
      mapLists(queryClient, (items) => items.filter((s) => s.id !== id));
      // A page still showing it leaves first (removing it under the page would refetch a 404).
      queryClient.removeQueries({ queryKey: sessionKeys.detail(id), type: 'inactive' });
    },
  });

export const createSessionMutation = (api: Api, queryClient: QueryClient) =>
  mutationOptions({
    mutationKey: ['sessions', 'create'],
    mutationFn: (input: InputOf<'sessions.create'>) => api.mutate('sessions.create', input),
    onSuccess: (session) => {
      queryClient.setQueryData(sessionKeys.detail(session.id), session);
      void queryClient.invalidateQueries({ queryKey: sessionKeys.lists() });
    },
  });
