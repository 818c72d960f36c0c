import type { ListSessionsInput, Session, SessionState } from '@volundr/contracts/sessions';
import type { ApiClient } from '../api/api-client';
import { ApiCallError } from '../api/api-errors';
import { CliError } from '../output';

/** Pages through `sessions.list` (at most `max` sessions). */
export async function listSessions(
  api: ApiClient,
  filter: Pick<ListSessionsInput, 'states' | 'includeArchived'>,
  max = 1_000,
): Promise<Session[]> {
  const sessions: Session[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.query('sessions.list', { ...filter, limit: 100, ...(cursor ? { cursor } : {}) });
    sessions.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && sessions.length < max);
  return sessions;
}

export const getSession = (api: ApiClient, id: string) => api.query('sessions.byId', { id });

const notFoundCodes = new Set(['SESSION_NOT_FOUND', 'NOT_FOUND', 'VALIDATION_FAILED', 'BAD_REQUEST']);

/**
 * A session named on the command line: by id, else by name (names are unique per owner among
 * sessions that are not archived; an archived one is found when nothing else has the name).
 */
export async function resolveSession(api: ApiClient, ref: string): Promise<Session> {
  try {
    return await getSession(api, ref);
  } catch (error) {
    if (!(error instanceof ApiCallError) || !notFoundCodes.has(error.code)) throw error;
  }
  const named = (await listSessions(api, { includeArchived: true })).filter((s) => s.name === ref);
  const live = named.filter((s) => s.state !== 'archived');
  const candidates = live.length > 0 ? live : named;
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    throw new CliError(`no session "${ref}" on ${api.server}`, 'list your sessions: volundr sessions ls --all');
  }
  throw new CliError(
    `"${ref}" names ${candidates.length} sessions (${candidates.map((s) => `${s.id} of ${s.ownerId}`).join(', ')})`,
    'name it by id instead',
  );
}

export type LifecycleVerb = 'start' | 'stop' | 'archive' | 'restore';

export const changeSession = (api: ApiClient, verb: LifecycleVerb, id: string) =>
  api.mutate(`sessions.${verb}`, { id });

export const deleteSession = (api: ApiClient, id: string, cleanup: ('workspace_storage' | 'chronicles')[]) =>
  api.mutate('sessions.delete', { id, cleanup });

export const isActive = (state: SessionState) =>
  state === 'starting' || state === 'provisioning' || state === 'running';
