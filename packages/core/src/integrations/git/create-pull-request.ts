import { type CreatePullRequestInput, type PullRequest, ZCreatePullRequestInput } from '@volundr/contracts/git';
import type { Principal } from '@volundr/contracts/principal';
import { DomainError } from '../../errors';
import { validateInput } from '../../sessions/validate-input';
import { type PullRequestDeps, sessionRepo } from './session-repo';

/** Opens a pull/merge request from the session's branch (into its base, or the default branch). */
export const createPullRequest =
  (deps: PullRequestDeps) =>
  async (principal: Principal, rawInput: CreatePullRequestInput): Promise<PullRequest> => {
    const input = validateInput(ZCreatePullRequestInput, rawInput, 'pull request');
    const { session, repo, branch, baseBranch, auth } = await sessionRepo(deps, principal, input.sessionId, 'update');
    const target =
      input.targetBranch ?? baseBranch ?? (await deps.providers.validate(repo, undefined, auth)).defaultBranch;
    if (!target)
      throw new DomainError('BAD_REQUEST', `targetBranch: ${repo.path} has no default branch; name the target branch`);
    if (target === branch)
      throw new DomainError(
        'BAD_REQUEST',
        `targetBranch: the session works on "${branch}" itself; choose another target`,
      );
    return deps.providers.createPullRequest(
      repo,
      {
        sourceBranch: branch,
        targetBranch: target,
        title: input.title ?? `${session.name}`,
        description: input.description ?? `Opened from the Volundr session "${session.name}".`,
        draft: input.draft,
      },
      auth,
    );
  };
