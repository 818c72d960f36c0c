import type { AuthConfig } from '@volundr/contracts/auth';
import * as oidc from 'openid-client';
import { ensureReachable, networkReason, unreachable } from '../api/reachability';
import type { StoredLogin } from '../config/credentials';
import { CliError, exitCodes } from '../output';

export const identityProvider = {
  what: 'the identity provider',
  hint: 'the server names it in its auth configuration; it must be reachable from this machine',
};

const insecure = (issuer: string) => new URL(issuer).protocol === 'http:';

/** Discovers the issuer named by the server's `auth.config` (any OIDC provider). */
export async function discoverIssuer(auth: AuthConfig): Promise<oidc.Configuration> {
  await ensureReachable(auth.issuer, identityProvider);
  try {
    return await oidc.discovery(new URL(auth.issuer), auth.clients.cli, undefined, oidc.None(), {
      timeout: 10,
      ...(insecure(auth.issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
  } catch (error) {
    throw oauthFailure(error, 'discovery', auth.issuer);
  }
}

/** A client configuration from what a stored login remembers (no discovery round trip). */
export function configurationOf(login: StoredLogin): oidc.Configuration {
  const config = new oidc.Configuration(
    {
      issuer: login.issuer,
      token_endpoint: login.tokenEndpoint,
      ...(login.revocationEndpoint ? { revocation_endpoint: login.revocationEndpoint } : {}),
    },
    login.clientId,
    undefined,
    oidc.None(),
  );
  if (insecure(login.issuer)) oidc.allowInsecureRequests(config);
  config.timeout = 10;
  return config;
}

/** What to keep from a token response (a refresh may omit the refresh token: keep the old one). */
export function toStoredLogin(
  config: oidc.Configuration,
  tokens: oidc.TokenEndpointResponse,
  previous?: StoredLogin | null,
): StoredLogin {
  const metadata = config.serverMetadata();
  const now = Date.now();
  return {
    issuer: metadata.issuer,
    clientId: config.clientMetadata().client_id,
    tokenEndpoint: metadata.token_endpoint ?? previous?.tokenEndpoint ?? '',
    revocationEndpoint: metadata.revocation_endpoint ?? previous?.revocationEndpoint ?? null,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? previous?.refreshToken ?? null,
    expiresAt: typeof tokens.expires_in === 'number' ? new Date(now + tokens.expires_in * 1000).toISOString() : null,
    scope: tokens.scope ?? previous?.scope ?? null,
    obtainedAt: new Date(now).toISOString(),
  };
}

/** An OAuth error response (`error` + `error_description`), if that is what failed. */
export function oauthErrorCode(error: unknown): string | null {
  return error instanceof oidc.ResponseBodyError ? error.error : null;
}

/** One line for a failed exchange with the identity provider. */
export function oauthFailure(error: unknown, doing: string, issuer: string): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof oidc.ResponseBodyError) {
    const detail = error.error_description ? `${error.error}: ${error.error_description}` : error.error;
    return new CliError(
      `the identity provider ${issuer} refused the ${doing} (${detail})`,
      undefined,
      exitCodes.unauthenticated,
    );
  }
  const reason = networkReason(error);
  if (reason) return unreachable(issuer, reason, identityProvider);
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(`${doing} with the identity provider ${issuer} failed: ${message}`);
}
