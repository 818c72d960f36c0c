import { join } from 'node:path';
import * as oidc from 'openid-client';
import { ensureReachable } from '../api/reachability';
import type { ServerTarget } from '../api/server-target';
import { cliEnv } from '../cli-env';
import { readLogin, removeLogin, type StoredLogin, saveLogin } from '../config/credentials';
import { withFileLock } from '../config/file-lock';
import { CliError, exitCodes } from '../output';
import { configurationOf, identityProvider, oauthErrorCode, oauthFailure, toStoredLogin } from './oidc-client';

/** Refresh this long before the access token expires, so it does not expire in flight. */
const EARLY_REFRESH_MS = 60_000;

export interface TokenSource {
  /** Where the token comes from (decides the hints of auth errors). */
  readonly kind: 'flag' | 'env' | 'login';
  /** A token to send now; a stored login is refreshed first when it is about to expire. */
  token(): Promise<string>;
  /** After the server refused `rejected`: a fresh token, or null when there is no other. */
  renew(rejected: string): Promise<string | null>;
  /** How to get working credentials when the server refuses these. */
  readonly hint: string;
}

export function notLoggedIn(server: string): CliError {
  return new CliError(
    `not logged in to ${server}`,
    'log in with: volundr login (scripts: pass --token or set VOLUNDR_TOKEN)',
    exitCodes.unauthenticated,
  );
}

export function loginExpired(server: string, why: string): CliError {
  return new CliError(
    `your login to ${server} has expired (${why})`,
    'log in again with: volundr login',
    exitCodes.unauthenticated,
  );
}

const lockPath = () => join(cliEnv().configDir, 'credentials.lock');

const expiresSoon = (login: StoredLogin) =>
  login.expiresAt !== null && Date.parse(login.expiresAt) - EARLY_REFRESH_MS <= Date.now();

function fixed(token: string, kind: 'flag' | 'env'): TokenSource {
  return {
    kind,
    token: async () => token,
    renew: async () => null,
    hint: kind === 'flag' ? 'check the token given with --token' : 'check the token in VOLUNDR_TOKEN',
  };
}

/**
 * The credentials of a command: `--token`, else `VOLUNDR_TOKEN`, else the login stored for the
 * server (refreshed with its refresh token when it expires; if that fails, the person is asked
 * to log in again).
 */
export function tokenSourceFor(target: ServerTarget, flagToken?: string): TokenSource {
  if (flagToken) return fixed(flagToken, 'flag');
  const envToken = cliEnv().VOLUNDR_TOKEN;
  if (envToken) return fixed(envToken, 'env');

  const server = target.server;
  if (!readLogin(server)) throw notLoggedIn(server);

  /** Refreshes under the lock, unless another process already did (then its token is used). */
  const refresh = (stale: string | null) =>
    withFileLock(lockPath(), async () => {
      const current = readLogin(server);
      if (!current) throw notLoggedIn(server);
      const replaced = stale !== null && current.accessToken !== stale;
      if (replaced || (stale === null && !expiresSoon(current))) return current.accessToken;
      if (!current.refreshToken) throw loginExpired(server, 'no refresh token was issued');
      const config = configurationOf(current);
      await ensureReachable(current.issuer, identityProvider);
      let tokens: oidc.TokenEndpointResponse;
      try {
        tokens = await oidc.refreshTokenGrant(config, current.refreshToken);
      } catch (error) {
        const code = oauthErrorCode(error);
        if (code === 'invalid_grant' || code === 'invalid_client' || code === 'unauthorized_client') {
          removeLogin(server);
          throw loginExpired(server, 'the identity provider refused the refresh token');
        }
        throw oauthFailure(error, 'token refresh', current.issuer);
      }
      const next = toStoredLogin(config, tokens, current);
      saveLogin(server, next);
      return next.accessToken;
    }).catch((error: unknown) => {
      if (error instanceof CliError) throw error;
      throw new CliError(`could not refresh your login: ${(error as Error).message}`);
    });

  return {
    kind: 'login',
    hint: 'log in again with: volundr login',
    async token() {
      const login = readLogin(server);
      if (!login) throw notLoggedIn(server);
      return expiresSoon(login) ? refresh(null) : login.accessToken;
    },
    async renew(rejected) {
      const login = readLogin(server);
      if (!login) return null;
      if (login.accessToken !== rejected) return login.accessToken;
      return refresh(rejected);
    },
  };
}
