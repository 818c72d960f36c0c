import { queryOptions } from '@tanstack/react-query';
import type { Api } from '../api-client';
import { toUiError } from '../api-error';

export const gitKeys = {
  all: ['git'] as const,
  branches: (repo: string) => [...gitKeys.all, 'branches', repo] as const,
};

/**
 * Every branch of a repository, through the API's Git port (`git.branches`), for the launch
 * wizard's branch picker. A refusal (repository not allowed or unreachable, no such procedure)
 * is an answer, not a hiccup: it is not retried, and the picker falls back to free text.
 */
export const branchesQuery = (api: Api, repo: string) =>
  queryOptions({
    queryKey: gitKeys.branches(repo),
    queryFn: ({ signal }) => api.query('git.branches', { repo }, signal),
    staleTime: 60_000,
    retry: (failures, error) => {
      const ui = toUiError(error);
      return !ui.procedureMissing && (ui.code === 'NETWORK' || ui.code === 'DEPENDENCY_UNAVAILABLE') && failures < 1;
    },
  });
