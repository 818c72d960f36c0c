/**
 * The absolute WebSocket URL of a session endpoint: the session's own endpoint when the API
 * gave one (a path on this origin, or a full URL), else the gateway's default path.
 */
export function sessionSocketUrl(endpoint: string | null | undefined, fallbackPath: string, pageUrl: string): string {
  const url = new URL(endpoint || fallbackPath, pageUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.toString();
}

/** An http(s) URL for an iframe (terminal, IDE) with a trailing slash (their pages use relative URLs). */
export function sessionPageUrl(endpoint: string | null | undefined, fallbackPath: string, pageUrl: string): URL {
  const url = new URL(endpoint || fallbackPath, pageUrl);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  else if (url.protocol === 'wss:') url.protocol = 'https:';
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}
