import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import { DomainError } from '@volundr/core/errors';
import type { GitRepositories, RepoRequest } from '@volundr/core/sessions/ports/git-repositories';
import { z } from 'zod';

export const ZAllowedHostsGitOptions = z.strictObject({
  /** Host names (`github.com`), `*.domain` for its subdomains, or `*` for any host. */
  allowedHosts: z.array(z.string().min(1).max(253)).max(200),
  /** Accept `file://` repositories (the local runtime clones them from this machine). */
  allowFileUrls: z.boolean().default(false),
});
export type AllowedHostsGitOptions = z.input<typeof ZAllowedHostsGitOptions>;

interface ParsedRepo {
  /** What the runtime clones, without credentials. */
  cloneUrl: string;
  /** Lower-case host (with port when given); null for file URLs. */
  host: string | null;
}

const notAllowed = (repo: string, why: string) =>
  new DomainError('REPO_NOT_ALLOWED', `source.repo: ${repo} is not allowed: ${why}`, { repo });

/** Reads the forms people type: https/http/ssh URLs, `git@host:org/repo`, `host/org/repo`, `file:///path`. */
function parseRepo(repo: string): ParsedRepo {
  const scp = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):(?!\/\/)(.+)$/.exec(repo);
  if (scp) return { cloneUrl: repo, host: scp[2]!.toLowerCase() };
  const bare = /^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d{1,5})?)\/([^\s]+)$/.exec(repo);
  const candidate = bare ? `https://${repo}` : repo;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw notAllowed(repo, 'not a repository URL (use https://host/org/repo, git@host:org/repo or host/org/repo)');
  }
  if (url.protocol === 'file:') return { cloneUrl: url.href, host: null };
  if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol))
    throw notAllowed(repo, `the ${url.protocol} scheme is not supported`);
  if (url.password || (url.username && url.protocol !== 'ssh:'))
    throw notAllowed(repo, 'URLs must not carry credentials (use a stored git credential)');
  if (url.pathname === '/' || url.pathname === '') throw notAllowed(repo, 'it names a host, not a repository');
  return { cloneUrl: url.href, host: url.host.toLowerCase() };
}

function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const bareHost = host.replace(/:\d+$/, '');
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    if (pattern === '*') return true;
    if (pattern.startsWith('*.')) return bareHost.endsWith(pattern.slice(1)) && bareHost !== pattern.slice(2);
    return pattern === host || pattern === bareHost;
  });
}

/**
 * The built-in git registry: a repository is allowed when its host is on the list. It fetches
 * nothing (reachability is the runtime's clone to report) and hands out clone URLs without
 * credentials. The Git providers (GitHub, GitLab) replace it through `adapters.git`.
 */
export function createAllowedHostsGit(input: AllowedHostsGitOptions): GitRepositories {
  const options = ZAllowedHostsGitOptions.parse(input);
  const check = (repo: string): ParsedRepo => {
    const parsed = parseRepo(repo);
    if (parsed.host === null) {
      if (!options.allowFileUrls) throw notAllowed(repo, 'file:// repositories are allowed in local mode only');
      return parsed;
    }
    if (!hostAllowed(parsed.host, options.allowedHosts))
      throw notAllowed(
        repo,
        options.allowedHosts.length
          ? `${parsed.host} is not one of the allowed git hosts (${options.allowedHosts.join(', ')})`
          : 'no git hosts are allowed on this server (sessions.git.allowedHosts)',
      );
    return parsed;
  };
  return {
    async validate(request: RepoRequest) {
      check(request.repo);
    },
    async cloneInfo(request) {
      const { cloneUrl } = check(request.repo);
      return {
        repoUrl: request.repo,
        cloneUrl,
        branch: request.branch,
        ...(request.baseBranch ? { baseBranch: request.baseBranch } : {}),
        path: request.path,
        credential: null,
      };
    },
  };
}

/** `{ use: "@volundr/api/composition/builtin-adapters/allowed-hosts-git#allowedHostsGit", allowedHosts }` */
export const allowedHostsGit = defineAdapter({
  port: 'gitRepositories',
  options: ZAllowedHostsGitOptions,
  create: (options): GitRepositories => createAllowedHostsGit(options),
});
