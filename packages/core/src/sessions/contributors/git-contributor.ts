import type { GitRepositories, RepoRequest } from '../ports/git-repositories';
import { type Contributor, emptyContribution } from '../session-context';

/** Clone information for the session's git source (workspace root) and the template's repos. */
export function gitContributor(git: GitRepositories): Contributor {
  return {
    name: 'Git',
    async contribute({ session, launch }) {
      const owner = { ownerId: session.ownerId, tenantId: session.tenantId };
      const requests: (RepoRequest & { path: string })[] = [];
      if (session.source.type === 'git') {
        const { repo, branch, baseBranch } = session.source;
        requests.push({ repo, branch, ...(baseBranch ? { baseBranch } : {}), path: '.' });
      }
      for (const r of launch.repos) requests.push({ repo: r.url, branch: r.branch ?? 'main', path: r.path });
      if (requests.length === 0) return emptyContribution();
      const repos = [];
      for (const request of requests) repos.push(await git.cloneInfo(request, owner));
      return { values: { git: { repos } }, podSpec: {} };
    },
  };
}
