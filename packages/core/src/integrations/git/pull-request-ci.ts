import { type CiStatus, ZPullRequestRef } from '@volundr/contracts/git';
import type { Principal } from '@volundr/contracts/principal';
import { validateInput } from '../../sessions/validate-input';
import { sessionPullRequest } from './get-pull-request';
import type { PullRequestDeps } from './session-repo';

/** The CI checks of the session's pull request (its head commit). */
export const pullRequestCi =
  (deps: PullRequestDeps) =>
  async (principal: Principal, rawInput: { sessionId: string; number: number }): Promise<CiStatus> => {
    const input = validateInput(ZPullRequestRef, rawInput, 'pull request');
    const { pr, context } = await sessionPullRequest(deps, principal, input, 'read');
    return deps.providers.ciStatus(context.repo, pr.number, context.auth);
  };
