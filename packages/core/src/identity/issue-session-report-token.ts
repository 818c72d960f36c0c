import type { Clock } from '../shared/ports/clock';
import type { Ids } from '../shared/ports/ids';
import { displayPrefixOf, hashPersonalAccessToken, newPersonalAccessTokenValue } from './personal-access-token-secret';
import type { PersonalAccessTokens } from './ports/personal-access-tokens';
import type { RandomTokens } from './ports/random-tokens';

export interface IssueSessionReportTokenDeps {
  tokens: PersonalAccessTokens;
  ids: Ids;
  clock: Clock;
  random: RandomTokens;
  /** How long a broker's token lives (a session rarely runs longer; a restart issues a new one). */
  ttlMs?: number;
}

const DEFAULT_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * A personal access token of the session's owner scoped to that one session, for its broker's
 * reports (authorization confines such a principal to reporting on the session). Each start
 * gets a fresh token and revokes the ones of earlier starts, so a stopped broker's token dies.
 * A system operation: the caller is the platform starting the session, not a person.
 */
export const issueSessionReportToken =
  (deps: IssueSessionReportTokenDeps) =>
  async (session: { id: string; ownerId: string }, attempt: { number: number }): Promise<string> => {
    const now = deps.clock.now();
    const live = await deps.tokens.listForOwner(session.ownerId, { includeRevoked: false });
    for (const earlier of live.filter((t) => t.sessionId === session.id)) await deps.tokens.revoke(earlier.id, now);
    const token = newPersonalAccessTokenValue(deps.random);
    await deps.tokens.insert({
      id: deps.ids.next(),
      ownerId: session.ownerId,
      name: `broker of session ${session.id} (start ${attempt.number})`,
      tokenHash: await hashPersonalAccessToken(token),
      tokenPrefix: displayPrefixOf(token),
      sessionId: session.id,
      expiresAt: new Date(now.getTime() + (deps.ttlMs ?? DEFAULT_TTL_MS)),
      at: now,
    });
    return token;
  };
