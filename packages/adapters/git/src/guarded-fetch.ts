import { DomainError } from '@volundr/core/errors';

/**
 * `fetch` that only reaches the given origins (a provider's configured API and web URLs), never
 * follows a redirect (a redirect to another host would be a way around the allow-list), and
 * gives up after `timeoutMs`. Whatever a library asks for goes through this.
 */
export function guardedFetch(origins: readonly string[], timeoutMs: number, label: string): typeof fetch {
  const allowed = new Set(origins.map((o) => new URL(o).origin));
  return async (input, init) => {
    const target = new URL(input instanceof Request ? input.url : String(input));
    if (!allowed.has(target.origin))
      throw new DomainError(
        'DEPENDENCY_UNAVAILABLE',
        `${label}: refusing to contact ${target.origin}; only ${[...allowed].join(', ')} is configured`,
      );
    const signals = [AbortSignal.timeout(timeoutMs), ...(init?.signal ? [init.signal] : [])];
    let response: Response;
    try {
      response = await fetch(input, { ...init, redirect: 'manual', signal: AbortSignal.any(signals) });
    } catch (error) {
      const name = (error as Error).name;
      const why =
        name === 'TimeoutError' || name === 'AbortError'
          ? `no answer within ${timeoutMs} ms`
          : `${(error as Error).message}${(error as { cause?: Error }).cause ? ` (${(error as { cause: Error }).cause.message})` : ''}`;
      throw new DomainError('DEPENDENCY_UNAVAILABLE', `${label} (${target.origin}) could not be reached: ${why}`);
    }
    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      await response.body?.cancel();
      throw new DomainError(
        'DEPENDENCY_UNAVAILABLE',
        `${label} answered ${target.pathname} with a redirect (${response.status}${response.headers.get('location') ? ` to ${new URL(response.headers.get('location')!, target).origin}` : ''}); redirects are not followed — check the configured URL`,
      );
    }
    return response;
  };
}
