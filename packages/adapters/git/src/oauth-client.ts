/**
 * An OAuth application on GitHub (`/login/oauth/authorize`, `/login/oauth/access_token`) or
 * GitLab (`/oauth/authorize`, `/oauth/token`): authorization code exchange and refresh, with
 * the client secret read from the environment. Token endpoint answers are validated; an
 * `error` (GitHub answers 200 with one) is a GIT_PROVIDER_REFUSED naming the provider.
 */
import { DomainError } from '@volundr/core/errors';
import type { OAuthClient, TokenSet } from '@volundr/core/integrations/ports/git-providers';
import { z } from 'zod';
import { guardedFetch } from './guarded-fetch';
import type { OAuthApp } from './provider-config';

const ZTokenAnswer = z.object({
  access_token: z.string().min(1).max(8192).optional(),
  refresh_token: z.string().min(1).max(8192).optional(),
  expires_in: z.coerce
    .number()
    .int()
    .positive()
    .max(10 * 365 * 24 * 3600)
    .optional(),
  scope: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

export interface OAuthClientOptions {
  kind: 'github' | 'gitlab';
  name: string;
  webUrl: string;
  app: OAuthApp;
  clientSecret: string | undefined;
  timeoutMs: number;
  now?: () => Date;
}

export const defaultScopes = {
  github: ['repo', 'read:user'],
  gitlab: ['api', 'read_user', 'write_repository'],
} as const;

export function createOAuthClient(options: OAuthClientOptions): OAuthClient {
  const label = `${options.kind === 'github' ? 'GitHub' : 'GitLab'} (${options.name}) OAuth`;
  const fetch = guardedFetch([options.webUrl], options.timeoutMs, label);
  const scopes = options.app.scopes ?? [...defaultScopes[options.kind]];
  const paths =
    options.kind === 'github'
      ? { authorize: '/login/oauth/authorize', token: '/login/oauth/access_token' }
      : { authorize: '/oauth/authorize', token: '/oauth/token' };
  const now = options.now ?? (() => new Date());

  async function token(params: Record<string, string>): Promise<TokenSet> {
    if (!options.clientSecret)
      throw new DomainError(
        'DEPENDENCY_UNAVAILABLE',
        `${label}: the client secret is not set (environment variable ${options.app.clientSecretEnv})`,
      );
    const body = new URLSearchParams({
      client_id: options.app.clientId,
      client_secret: options.clientSecret,
      ...params,
    });
    const response = await fetch(`${options.webUrl}${paths.token}`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const text = await response.text();
    let parsed: z.infer<typeof ZTokenAnswer>;
    try {
      parsed = ZTokenAnswer.parse(JSON.parse(text));
    } catch {
      throw new DomainError(
        'DEPENDENCY_UNAVAILABLE',
        `${label}: the token endpoint answered ${response.status} with something that is not a token`,
      );
    }
    if (parsed.error || !response.ok || !parsed.access_token)
      throw new DomainError(
        'GIT_PROVIDER_REFUSED',
        `${label} refused the ${params.grant_type === 'refresh_token' ? 'refresh' : 'authorization code'} (${parsed.error ?? response.status}${parsed.error_description ? `: ${parsed.error_description}` : ''}); connect the integration again`,
        { provider: options.name },
      );
    return {
      accessToken: parsed.access_token,
      refreshToken: parsed.refresh_token ?? null,
      expiresAt: parsed.expires_in ? new Date(now().getTime() + parsed.expires_in * 1000) : null,
      scopes: (parsed.scope ?? '')
        .split(/[ ,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    };
  }

  return {
    scopes,
    redirectUri: options.app.redirectUri ?? null,
    authorizeUrl({ state, redirectUri }) {
      const url = new URL(`${options.webUrl}${paths.authorize}`);
      url.searchParams.set('client_id', options.app.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('state', state);
      url.searchParams.set('scope', scopes.join(' '));
      if (options.kind === 'gitlab') url.searchParams.set('response_type', 'code');
      return url.toString();
    },
    exchange: (code, redirectUri) => token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
    refresh: (refreshToken) => token({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  };
}
