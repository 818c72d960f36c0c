import { type QueryClient, queryOptions } from '@tanstack/react-query';
import type { DiffBase } from '@volundr/contracts/diff';
import { SessionApiError, type SessionClient } from '@volundr/sdk/session-client';

/**
 * A running session's changes, read from its broker (not the API): the changed files against a
 * base and one file's diff. They change whenever the agent (or someone in the terminal) edits
 * the workspace, so the Changes tab invalidates them on the chat's file events.
 */
export const sessionDiffKeys = {
  all: ['session-diff'] as const,
  session: (sessionId: string) => [...sessionDiffKeys.all, sessionId] as const,
  files: (sessionId: string, base: DiffBase) => [...sessionDiffKeys.session(sessionId), 'files', base] as const,
  file: (sessionId: string, base: DiffBase, path: string) =>
    [...sessionDiffKeys.session(sessionId), 'file', base, path] as const,
};

/** Answers that asking again cannot change (until the workspace does, which invalidates them). */
const FINAL = new Set(['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND', 'DIFF_BASE_UNAVAILABLE', 'CONTRACT']);
const retry = (failures: number, error: unknown) =>
  !(error instanceof SessionApiError && FINAL.has(error.code)) && failures < 2;

export const changedFilesQuery = (client: SessionClient, sessionId: string, base: DiffBase) =>
  queryOptions({
    queryKey: sessionDiffKeys.files(sessionId, base),
    queryFn: ({ signal }) => client.changedFiles({ base, signal }),
    retry,
  });

export const fileDiffQuery = (client: SessionClient, sessionId: string, base: DiffBase, path: string) =>
  queryOptions({
    queryKey: sessionDiffKeys.file(sessionId, base, path),
    queryFn: ({ signal }) => client.fileDiff(path, { base, signal }),
    retry,
  });

/** The workspace changed: every base's list and every file's diff of the session are stale. */
export const invalidateSessionDiff = (queryClient: QueryClient, sessionId: string) =>
  queryClient.invalidateQueries({ queryKey: sessionDiffKeys.session(sessionId) });
