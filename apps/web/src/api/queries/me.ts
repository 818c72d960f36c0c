import { queryOptions } from '@tanstack/react-query';
import type { Api } from '../api-client';

export const meKeys = { me: ['me'] as const };

export const meQuery = (api: Api) =>
  queryOptions({
    queryKey: meKeys.me,
    queryFn: ({ signal }) => api.query('me', undefined, signal),
  });
