import { DomainError } from '../errors';
import type { GitRepositories } from '../sessions/ports/git-repositories';

/** Test double of the git registry: repositories under the allowed prefixes are fine. */
export function fakeGitRepositories(
  options: { allowed?: string[]; unreachable?: string[] } = {},
): GitRepositories & { validated: string[] } {
  const allowed = options.allowed ?? ['https://git.example.test/'];
  const validated: string[] = [];
  const check = (repo: string) => {
    if (!allowed.some((prefix) => repo.startsWith(prefix)))
      throw new DomainError('REPO_NOT_ALLOWED', `source.repo: ${repo} is not in an allowed git provider`);
    if (options.unreachable?.includes(repo))
      throw new DomainError('REPO_UNREACHABLE', `source.repo: ${repo} could not be reached`);
  };
  return {
    validated,
    async validate({ repo }) {
      check(repo);
      validated.push(repo);
    },
    async cloneInfo({ repo, branch, baseBranch, path }, { ownerId }) {
      check(repo);
      return {
        repoUrl: repo,
        cloneUrl: repo.endsWith('.git') ? repo : `${repo}.git`,
        branch,
        ...(baseBranch ? { baseBranch } : {}),
        path,
        credential: { name: `git-${ownerId}`, key: 'token' },
      };
    },
  };
}
