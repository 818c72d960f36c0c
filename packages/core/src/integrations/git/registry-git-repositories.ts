import { GIT_KEY } from '../../credentials/credential-values';
import { DomainError } from '../../errors';
import type { GitRepositories } from '../../sessions/ports/git-repositories';
import { type GitCredentialDeps, gitAuthFor, gitCredentialFor } from './git-auth';

/**
 * The sessions' git registry on top of the configured providers: a repository must resolve to
 * an instance (host and organisation allowed) and, at create, be reachable with the owner's
 * access; a branch that does not exist needs a `baseBranch` to start from. The clone names the
 * owner's credential for that provider or host (by reference, key `git`), never a token.
 */
export function registryGitRepositories(deps: GitCredentialDeps & { validateRemotely?: boolean }): GitRepositories {
  return {
    async validate(request, owner) {
      const repo = deps.providers.resolve(request.repo);
      if (deps.validateRemotely === false) return;
      const auth = await gitAuthFor(deps, owner, repo);
      const result = await deps.providers.validate(repo, request.baseBranch ?? request.branch, auth);
      if (result.branchExists === false) {
        const missing = request.baseBranch ?? request.branch;
        throw new DomainError(
          'REPO_UNREACHABLE',
          request.baseBranch
            ? `source.baseBranch: ${repo.path} has no branch "${missing}"`
            : `source.branch: ${repo.path} has no branch "${missing}"; give a baseBranch to create it from`,
          { repo: request.repo },
        );
      }
    },
    async cloneInfo(request, owner) {
      const repo = deps.providers.resolve(request.repo);
      const credential = await gitCredentialFor(deps, owner, repo);
      return {
        repoUrl: request.repo,
        cloneUrl: repo.cloneUrl,
        branch: request.branch,
        ...(request.baseBranch ? { baseBranch: request.baseBranch } : {}),
        path: request.path,
        credential: credential ? { name: credential, key: GIT_KEY } : null,
      };
    },
  };
}
