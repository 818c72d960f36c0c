import type {
  BranchList,
  CiStatus,
  GitProviderInfo,
  GitProviderKind,
  MergeMethod,
  MergeResult,
  PullRequest,
  RepoValidation,
} from '@volundr/contracts/git';

/** A repository after parsing and the allow-list: which instance serves it, and where. */
export interface ResolvedRepo {
  /** As the person named it. */
  repo: string;
  provider: string;
  kind: GitProviderKind;
  /** Lower-case host (with `:port` when not the default). */
  host: string;
  /** `org/repo` (GitLab: `group/sub/repo`); empty for `file://` repositories. */
  path: string;
  /** What git clones: never with credentials. */
  cloneUrl: string;
  webUrl: string;
}

/** Whose token a call uses: the person's own (an integration or git credential), else the instance's. */
export interface GitAuth {
  token: string | null;
  /** The git username for `token` over HTTPS (plain git hosts). */
  username?: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scopes: string[];
}

/** One provider instance's OAuth application (authorization code flow). */
export interface OAuthClient {
  scopes: string[];
  /** The configured redirect URI, if any (else the API's default callback page). */
  redirectUri: string | null;
  authorizeUrl(params: { state: string; redirectUri: string }): string;
  exchange(code: string, redirectUri: string): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
}

export interface NewPullRequest {
  sourceBranch: string;
  targetBranch: string;
  title: string;
  description: string;
  draft: boolean;
}

/**
 * The git registry: the configured GitHub, GitLab and plain git instances, routed by
 * repository URL. Only configured hosts are ever contacted. Errors are DomainErrors:
 * `REPO_NOT_ALLOWED`, `REPO_UNREACHABLE`, `GIT_PROVIDER_REFUSED`, `GIT_PROVIDER_RATE_LIMITED`,
 * `PULL_REQUEST_NOT_FOUND`, `DEPENDENCY_UNAVAILABLE`.
 */
export interface GitProviders {
  list(): GitProviderInfo[];
  /** Parses and checks a repository against the allow-list; no network. */
  resolve(repo: string): ResolvedRepo;
  validate(repo: ResolvedRepo, branch: string | undefined, auth: GitAuth): Promise<RepoValidation>;
  branches(repo: ResolvedRepo, auth: GitAuth): Promise<BranchList>;
  createPullRequest(repo: ResolvedRepo, pr: NewPullRequest, auth: GitAuth): Promise<PullRequest>;
  listPullRequests(
    repo: ResolvedRepo,
    filter: { sourceBranch?: string; state: 'open' | 'closed' | 'all' },
    auth: GitAuth,
  ): Promise<PullRequest[]>;
  getPullRequest(repo: ResolvedRepo, number: number, auth: GitAuth): Promise<PullRequest>;
  mergePullRequest(repo: ResolvedRepo, number: number, method: MergeMethod, auth: GitAuth): Promise<MergeResult>;
  ciStatus(repo: ResolvedRepo, number: number, auth: GitAuth): Promise<CiStatus>;
  /** Who a token belongs to (and its scopes); `GIT_PROVIDER_REFUSED` when the provider refuses it. */
  account(provider: string, token: string): Promise<{ account: string; scopes: string[] }>;
  /** The instance's OAuth application; null when none is configured. */
  oauth(provider: string): OAuthClient | null;
  /** The username git uses with a token of this provider over HTTPS. */
  gitUsername(provider: string): string;
}
