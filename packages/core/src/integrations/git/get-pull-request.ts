import { type PullRequest, ZPullRequestRef } from '@volundr/contracts/git';
import type { Principal } from '@volundr/contracts/principal';
import type { Action } from '../../authz/ports/authorization';
import { DomainError } from '../../errors';
import { validateInput } from '../../sessions/validate-input';
import { type PullRequestDeps, type SessionRepo, sessionRepo } from './session-repo';

/**
 * A pull request of the session's own branch. Others in the repository are reported as missing:
 * a session gives access to its own work, not to every pull request the token can see.
 */
export async function sessionPullRequest(
  deps: PullRequestDeps,
  principal: Principal,
  ref: { sessionId: string; number: number },
  action: Action,
): Promise<{ pr: PullRequest; context: SessionRepo }> {
  const context = await sessionRepo(deps, principal, ref.sessionId, action);
  const pr = await deps.providers.getPullRequest(context.repo, ref.number, context.auth);
  if (pr.sourceBranch !== context.branch)
    throw new DomainError(
      'PULL_REQUEST_NOT_FOUND',
      `No pull request #${ref.number} from the session's branch "${context.branch}" in ${context.repo.path}`,
    );
  return { pr, context };
}

export const getPullRequest =
  (deps: PullRequestDeps) =>
  async (principal: Principal, rawInput: { sessionId: string; number: number }): Promise<PullRequest> => {
    const input = validateInput(ZPullRequestRef, rawInput, 'pull request');
    return (await sessionPullRequest(deps, principal, input, 'read')).pr;
  };
