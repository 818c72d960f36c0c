import type { GitClone } from '@volundr/contracts/session-spec';

export interface RepoRequest {
  repo: string;
  branch: string;
  baseBranch?: string;
}

/** The git registry: which repositories are allowed and how to clone them. */
export interface GitRepositories {
  /**
   * Checks that the repository is allowed for the owner and reachable. Throws
   * `DomainError('REPO_NOT_ALLOWED' | 'REPO_UNREACHABLE')` naming the repository.
   */
  validate(request: RepoRequest, owner: { ownerId: string; tenantId: string }): Promise<void>;
  /**
   * Clone information for a workspace path. The clone URL never carries a token: access goes
   * through `credential` (a secret the credential helper reads at clone time).
   */
  cloneInfo(request: RepoRequest & { path: string }, owner: { ownerId: string; tenantId: string }): Promise<GitClone>;
}
