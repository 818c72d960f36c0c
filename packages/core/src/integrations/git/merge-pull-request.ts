import { type MergeResult, ZMergePullRequestInput } from '@volundr/contracts/git';
import type { Principal } from '@volundr/contracts/principal';
import { DomainError } from '../../errors';
import { validateInput } from '../../sessions/validate-input';
import { sessionPullRequest } from './get-pull-request';
import type { PullRequestDeps } from './session-repo';

/** Merges the session's open pull request (squash by default). */
export const mergePullRequest =
  (deps: PullRequestDeps) =>
  async (
    principal: Principal,
    rawInput: { sessionId: string; number: number; method?: 'merge' | 'squash' | 'rebase' },
  ): Promise<MergeResult> => {
    const input = validateInput(ZMergePullRequestInput, rawInput, 'merge');
    const { pr, context } = await sessionPullRequest(deps, principal, input, 'update');
    if (pr.state !== 'open')
      throw new DomainError('BAD_REQUEST', `Pull request #${pr.number} is ${pr.state}; only an open one can be merged`);
    return deps.providers.mergePullRequest(context.repo, pr.number, input.method, context.auth);
  };
