/** Pages a sign-in must never return to (they would loop or show a stale result). */
const AUTH_PATHS = ['/login', '/auth/callback'];

/**
 * Where to go after signing in: only a path of this app (never another origin, which would
 * make the login an open redirect), and never back into the sign-in pages themselves.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  let url: URL;
  try {
    url = new URL(value, 'http://app.invalid');
  } catch {
    return '/';
  }
  if (url.origin !== 'http://app.invalid') return '/';
  if (AUTH_PATHS.some((p) => url.pathname === p || url.pathname.startsWith(`${p}/`))) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The login URL that brings the person back to `location` afterwards. */
export function loginPath(location: { pathname: string; search: string; hash: string }): string {
  const back = safeReturnTo(`${location.pathname}${location.search}${location.hash}`);
  return back === '/' ? '/login' : `/login?returnTo=${encodeURIComponent(back)}`;
}
