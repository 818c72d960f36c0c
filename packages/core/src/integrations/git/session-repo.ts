import type { Principal } from '@volundr/contracts/principal';
import type { Action, Authorization } from '../../authz/ports/authorization';
import { DomainError } from '../../errors';
import type { Sessions } from '../../sessions/ports/sessions';
import { loadSessionFor } from '../../sessions/session-access';
import type { SessionRecord } from '../../sessions/session-record';
import type { GitAuth, ResolvedRepo } from '../ports/git-providers';
import { type GitCredentialDeps, gitAuthFor } from './git-auth';

export type PullRequestDeps = GitCredentialDeps & { sessions: Sessions; authorization: Authorization };

export interface SessionRepo {
  session: SessionRecord;
  repo: ResolvedRepo;
  branch: string;
  baseBranch: string | undefined;
  auth: GitAuth;
}

/**
 * The session's repository for pull-request work, after asking the Authorization port about
 * the session (`read` to look, `update` to open or merge). The owner's own access is used.
 */
export async function sessionRepo(
  deps: PullRequestDeps,
  principal: Principal,
  sessionId: string,
  action: Action,
): Promise<SessionRepo> {
  const session = await loadSessionFor(deps, principal, sessionId, action);
  if (session.source.type !== 'git')
    throw new DomainError('BAD_REQUEST', `Session "${session.name}" has no git repository`, { sessionId });
  const repo = deps.providers.resolve(session.source.repo);
  const auth = await gitAuthFor(deps, { ownerId: session.ownerId, tenantId: session.tenantId }, repo);
  return { session, repo, branch: session.source.branch, baseBranch: session.source.baseBranch, auth };
}
