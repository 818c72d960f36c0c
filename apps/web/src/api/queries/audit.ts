import { infiniteQueryOptions } from '@tanstack/react-query';
import type { AuditAction } from '@volundr/contracts/events';
import type { Api } from '../api-client';

export const auditKeys = {
  all: ['audit'] as const,
  list: (action: AuditAction | null) => [...auditKeys.all, 'list', action] as const,
};

export const auditQuery = (api: Api, action: AuditAction | null) =>
  infiniteQueryOptions({
    queryKey: auditKeys.list(action),
    queryFn: ({ signal, pageParam }) =>
      api.query(
        'audit.list',
        { limit: 50, ...(action ? { action } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
