/**
 * The git registry: configured GitHub, GitLab and plain git instances, routed by the
 * repository's host (and organisation). It is the allow-list: a repository resolves to an
 * instance or is REPO_NOT_ALLOWED, and the server only ever contacts the instance's configured
 * URLs (https unless `allowHttp`), never a URL taken from the request.
 */
import type { GitProviderInfo } from '@volundr/contracts/git';
import { DomainError } from '@volundr/core/errors';
import type { GitAuth, GitProviders, OAuthClient, ResolvedRepo } from '@volundr/core/integrations/ports/git-providers';
import { createGitHubProvider, type GitHubProvider } from './github-provider';
import { createGitLabProvider } from './gitlab-provider';
import { createOAuthClient } from './oauth-client';
import { lsRemote } from './plain-git-provider';
import {
  type GitProvidersOptions,
  type ProviderInstance,
  type TokenSource,
  ZGitProvidersOptions,
} from './provider-config';
import { hostMatches, type ParsedRepo, parseRepo, repoNotAllowed } from './repo-url';

export interface GitProvidersDeps {
  /** Where `token: { env }` and OAuth client secrets are read (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reads an instance token kept as a stored credential (`token: { credential }`). */
  instanceCredential?: (source: { ownerId: string; tenantId: string; name: string }) => Promise<string | null>;
}

const FILE_PROVIDER = 'local-files';

const hostOf = (url: string) => new URL(url).host.toLowerCase();

function orgAllowed(instance: ProviderInstance, path: string): boolean {
  if (instance.orgs.length === 0) return true;
  const lower = path.toLowerCase();
  return instance.orgs.some((org) => {
    const o = org.toLowerCase();
    return instance.kind === 'github' ? lower.split('/')[0] === o : lower.startsWith(`${o}/`);
  });
}

export function createGitProviders(input: GitProvidersOptions, deps: GitProvidersDeps = {}): GitProviders {
  const options = ZGitProvidersOptions.parse(input);
  const env = deps.env ?? process.env;
  for (const p of options.providers) {
    if (p.kind !== 'git' && p.webUrl.startsWith('http://') && !p.allowHttp)
      throw new DomainError(
        'CONFIG_INVALID',
        `git provider "${p.name}": webUrl is http://; set allowHttp: true to allow it`,
      );
  }

  const tokenFrom = (source: TokenSource | undefined) => async (): Promise<string | null> => {
    if (!source) return null;
    if ('env' in source) return env[source.env] || null;
    return (await deps.instanceCredential?.(source.credential)) ?? null;
  };
  const apis = new Map<string, GitHubProvider>();
  const oauth = new Map<string, OAuthClient>();
  for (const p of options.providers) {
    const shared = { timeoutMs: options.timeoutMs, instanceToken: tokenFrom(p.token) };
    if (p.kind === 'github') apis.set(p.name, createGitHubProvider(p, shared));
    if (p.kind === 'gitlab') apis.set(p.name, createGitLabProvider(p, shared));
    if (p.kind !== 'git' && p.oauth)
      oauth.set(
        p.name,
        createOAuthClient({
          kind: p.kind,
          name: p.name,
          webUrl: p.webUrl,
          app: p.oauth,
          clientSecret: env[p.oauth.clientSecretEnv],
          timeoutMs: options.timeoutMs,
        }),
      );
  }
  const byName = new Map(options.providers.map((p) => [p.name, p]));
  const fileUrls = options.localMode && options.allowFileUrls;

  function instanceHosts(p: ProviderInstance): string[] {
    return p.kind === 'git' ? p.hosts : [hostOf(p.webUrl)];
  }

  function resolveParsed(parsed: ParsedRepo): ResolvedRepo {
    const repo = parsed.input;
    if (parsed.scheme === 'file') {
      if (!fileUrls)
        throw repoNotAllowed(
          repo,
          options.localMode
            ? 'file:// repositories are turned off on this server (allowFileUrls)'
            : 'file:// repositories are allowed in local mode only',
        );
      return {
        repo,
        provider: FILE_PROVIDER,
        kind: 'git',
        host: '',
        path: parsed.segments.join('/'),
        cloneUrl: parsed.url,
        webUrl: parsed.url,
      };
    }
    const onHost = options.providers.filter((p) => instanceHosts(p).some((h) => hostMatches(parsed.host, h)));
    if (onHost.length === 0) {
      const configured = options.providers.flatMap(instanceHosts);
      throw repoNotAllowed(
        repo,
        configured.length
          ? `${parsed.host} is not a configured git host (configured: ${[...new Set(configured)].join(', ')})`
          : 'no git providers are configured on this server',
      );
    }
    const path = parsed.segments.join('/');
    const instance = onHost.find((p) => orgAllowed(p, path));
    if (!instance) {
      const orgs = [...new Set(onHost.flatMap((p) => p.orgs))];
      throw repoNotAllowed(
        repo,
        `${parsed.segments[0]} is not an allowed organisation on ${parsed.host} (allowed: ${orgs.join(', ')})`,
      );
    }
    if (parsed.scheme === 'http' && !instance.allowHttp)
      throw repoNotAllowed(
        repo,
        `http:// is not allowed for ${parsed.host}; use https (or configure allowHttp for this host)`,
      );
    if (instance.kind === 'github' && parsed.segments.length !== 2)
      throw repoNotAllowed(repo, 'a GitHub repository is owner/name');
    if (instance.kind === 'gitlab' && parsed.segments.length < 2)
      throw repoNotAllowed(repo, 'a GitLab project is group/name (or group/subgroup/name)');
    if (instance.kind === 'git') {
      return {
        repo,
        provider: instance.name,
        kind: 'git',
        host: parsed.host,
        path,
        cloneUrl: parsed.url,
        webUrl: parsed.url,
      };
    }
    // SSH forms of a GitHub/GitLab repository clone over https, where tokens work.
    return {
      repo,
      provider: instance.name,
      kind: instance.kind,
      host: hostOf(instance.webUrl),
      path,
      cloneUrl: `${instance.webUrl}/${path}.git`,
      webUrl: `${instance.webUrl}/${path}`,
    };
  }

  function api(repo: ResolvedRepo): GitHubProvider {
    const found = apis.get(repo.provider);
    if (!found)
      throw new DomainError(
        'BAD_REQUEST',
        `${repo.repo} is on a plain git host (${repo.provider}): pull requests and CI need a GitHub or GitLab provider`,
      );
    return found;
  }

  async function plain(repo: ResolvedRepo, auth: GitAuth) {
    const scheme = repo.cloneUrl.startsWith('file:')
      ? 'file'
      : repo.cloneUrl.startsWith('http:')
        ? 'http'
        : repo.cloneUrl.startsWith('https:')
          ? 'https'
          : null;
    if (!scheme) return null;
    return lsRemote({
      url: repo.cloneUrl,
      scheme,
      auth,
      timeoutMs: options.timeoutMs,
      label: repo.provider,
      repo: repo.repo,
    });
  }

  return {
    list(): GitProviderInfo[] {
      return options.providers.map((p) => ({
        name: p.name,
        kind: p.kind,
        host: p.kind === 'git' ? p.hosts.join(', ') : hostOf(p.webUrl),
        webUrl: p.kind === 'git' ? '' : p.webUrl,
        orgs: [...p.orgs],
      }));
    },
    resolve: (repo) => resolveParsed(parseRepo(repo)),
    async validate(repo, branch, auth) {
      if (repo.kind !== 'git') return api(repo).validate(repo, branch, auth);
      const remote = await plain(repo, auth);
      return {
        repo: repo.repo,
        provider: repo.provider,
        kind: 'git',
        path: repo.path,
        cloneUrl: repo.cloneUrl,
        defaultBranch: remote?.defaultBranch ?? null,
        branchExists: branch && remote ? remote.branches.some((b) => b.name === branch) : null,
      };
    },
    async branches(repo, auth) {
      if (repo.kind !== 'git') {
        const { defaultBranch, branches } = await api(repo).branches(repo, auth);
        return { repo: repo.repo, provider: repo.provider, defaultBranch, branches };
      }
      const remote = await plain(repo, auth);
      if (!remote)
        throw new DomainError(
          'BAD_REQUEST',
          `The server does not read ssh repositories (${repo.repo}); use its https URL`,
        );
      return {
        repo: repo.repo,
        provider: repo.provider,
        defaultBranch: remote.defaultBranch,
        branches: remote.branches,
      };
    },
    createPullRequest: (repo, pr, auth) => api(repo).createPullRequest(repo, pr, auth),
    listPullRequests: (repo, filter, auth) => api(repo).listPullRequests(repo, filter, auth),
    getPullRequest: (repo, number, auth) => api(repo).getPullRequest(repo, number, auth),
    mergePullRequest: (repo, number, method, auth) => api(repo).mergePullRequest(repo, number, method, auth),
    ciStatus: (repo, number, auth) => api(repo).ciStatus(repo, number, auth),
    async account(provider, token) {
      const found = apis.get(provider);
      if (!found) throw new DomainError('BAD_REQUEST', `provider: "${provider}" is not a GitHub or GitLab instance`);
      return found.account(token);
    },
    oauth: (provider) => oauth.get(provider) ?? null,
    gitUsername: (provider) => (byName.get(provider)?.kind === 'gitlab' ? 'oauth2' : 'x-access-token'),
  };
}
