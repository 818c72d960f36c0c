import { queryOptions } from '@tanstack/react-query';
import type { Api } from '../api-client';

export const systemKeys = { info: ['system', 'info'] as const };

export const systemInfoQuery = (api: Api) =>
  queryOptions({
    queryKey: systemKeys.info,
    queryFn: ({ signal }) => api.query('system.info', undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
