import { DomainError } from '@volundr/core/errors';

export interface HttpFailure {
  status: number;
  headers: Record<string, string | undefined>;
  message: string;
}

/** What the request was about, so a 404 names the right thing. */
export type Subject =
  | { kind: 'repo'; path: string }
  | { kind: 'pull'; path: string; number: number }
  | { kind: 'account' }
  | { kind: 'other'; what: string };

function resetTime(headers: HttpFailure['headers']): string | null {
  const reset = headers['x-ratelimit-reset'] ?? headers['ratelimit-reset'];
  if (reset && /^\d+$/.test(reset)) {
    const n = Number(reset);
    // GitHub and GitLab send epoch seconds; a small number is seconds from now.
    const at = n > 1_000_000_000 ? new Date(n * 1000) : new Date(Date.now() + n * 1000);
    return at.toISOString();
  }
  const retry = headers['retry-after'];
  return retry && /^\d+$/.test(retry) ? new Date(Date.now() + Number(retry) * 1000).toISOString() : null;
}

/** Maps a provider's HTTP answer to the error a person can act on. */
export function providerError(provider: string, subject: Subject, failure: HttpFailure): DomainError {
  const { status, headers } = failure;
  const said = failure.message ? ` (${status}: ${failure.message.slice(0, 300)})` : ` (${status})`;
  const remaining = headers['x-ratelimit-remaining'] ?? headers['ratelimit-remaining'];
  if (status === 429 || (status === 403 && remaining === '0')) {
    const reset = resetTime(headers);
    return new DomainError(
      'GIT_PROVIDER_RATE_LIMITED',
      `${provider}: the rate limit is exhausted${reset ? `; it resets at ${reset}` : ''}. Try again later or connect your own integration`,
      { provider },
    );
  }
  if (status === 401)
    return new DomainError(
      'GIT_PROVIDER_REFUSED',
      `${provider} refused the token${said}: it is invalid or expired. Reconnect the integration or replace the credential`,
      { provider },
    );
  if (status === 403)
    return new DomainError(
      'GIT_PROVIDER_REFUSED',
      `${provider} does not let this token do that${said}. Check the token's scopes and your access to the repository`,
      { provider },
    );
  if (status === 404) {
    if (subject.kind === 'repo')
      return new DomainError(
        'REPO_UNREACHABLE',
        `source.repo: ${subject.path} does not exist on ${provider}, or the token used cannot see it`,
        { provider },
      );
    if (subject.kind === 'pull')
      return new DomainError(
        'PULL_REQUEST_NOT_FOUND',
        `No pull request #${subject.number} in ${subject.path} on ${provider}`,
        {
          provider,
        },
      );
    return new DomainError('NOT_FOUND', `${provider}: not found${said}`, { provider });
  }
  if (status === 409 || status === 422 || status === 400 || status === 405)
    return new DomainError('BAD_REQUEST', `${provider} refused the request${said}`, { provider });
  return new DomainError('DEPENDENCY_UNAVAILABLE', `${provider} failed${said}; try again later`, { provider });
}
