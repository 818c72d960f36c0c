import { issueSessionReportToken } from '@volundr/core/identity/issue-session-report-token';
import type { PersonalAccessTokens } from '@volundr/core/identity/ports/personal-access-tokens';
import { cryptoRandomTokens } from '@volundr/core/identity/ports/random-tokens';
import type { SessionSecrets } from '@volundr/core/sessions/ports/session-secrets';
import type { Clock } from '@volundr/core/shared/ports/clock';
import type { Ids } from '@volundr/core/shared/ports/ids';

/**
 * Each start of a session gets a fresh report token scoped to that session (earlier ones are
 * revoked), and the stable public URL to report to — the front door in local mode, so brokers
 * keep reporting across API restarts.
 */
export function composeSessionSecrets(deps: {
  tokens: PersonalAccessTokens;
  clock: Clock;
  ids: Ids;
  publicUrl: string;
}): SessionSecrets {
  const issue = issueSessionReportToken({
    tokens: deps.tokens,
    clock: deps.clock,
    ids: deps.ids,
    random: cryptoRandomTokens,
  });
  return {
    async brokerReporting(session, attempt) {
      return { apiUrl: deps.publicUrl, token: await issue(session, attempt) };
    },
  };
}
