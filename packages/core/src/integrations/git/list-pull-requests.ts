import { type PullRequest, ZListPullRequestsInput } from '@volundr/contracts/git';
import type { Principal } from '@volundr/contracts/principal';
import { validateInput } from '../../sessions/validate-input';
import { type PullRequestDeps, sessionRepo } from './session-repo';

/** The pull/merge requests from the session's branch. */
export const listPullRequests =
  (deps: PullRequestDeps) =>
  async (
    principal: Principal,
    rawInput: { sessionId: string; state?: 'open' | 'closed' | 'all' },
  ): Promise<PullRequest[]> => {
    const input = validateInput(ZListPullRequestsInput, rawInput, 'pull request listing');
    const { repo, branch, auth } = await sessionRepo(deps, principal, input.sessionId, 'read');
    return deps.providers.listPullRequests(repo, { sourceBranch: branch, state: input.state }, auth);
  };
