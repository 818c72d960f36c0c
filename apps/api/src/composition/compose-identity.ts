import { join } from 'node:path';
import { createCompositeIdentity } from '@volundr/adapter-identity/composite-identity';
import {
  createEmbeddedProvider,
  EMBEDDED_SCOPES,
  type EmbeddedProvider,
} from '@volundr/adapter-identity/embedded/embedded-provider';
import { createOidcIdentity } from '@volundr/adapter-identity/oidc-identity';
import {
  createPersonalAccessTokenIdentity,
  type VerifiedToken,
} from '@volundr/adapter-identity/personal-access-token-identity';
import type { AuthConfig } from '@volundr/contracts/auth';
import type { Identity } from '@volundr/core/identity/ports/identity';
import type { Config } from '../config/schema';
import type { AppLogger } from '../logger';
import { loadAdapter } from './load-adapter';

export interface ComposedIdentity {
  identity: Identity;
  authConfig: AuthConfig;
  /** The embedded provider in local mode (mounted at /oidc), else null. */
  embedded: EmbeddedProvider | null;
}

/**
 * Who signs people in. Local mode: the embedded OIDC provider at `<publicUrl>/oidc`, its tokens
 * validated by the same OIDC adapter as any IdP's (keys fetched from this process at `internalUrl`).
 * Production: the configured `adapters.identity` block, or the OIDC adapter for `auth.issuer`.
 */
export async function composeIdentity(
  config: Config,
  urls: { publicUrl: string; internalUrl: string },
  logger: AppLogger,
  deps: Record<string, unknown>,
  verifyToken: (token: string) => Promise<VerifiedToken>,
): Promise<ComposedIdentity> {
  const composed = await composeTokenIdentity(config, urls, logger, deps);
  // Personal access tokens (`vpat_…`) first; anything else goes to the IdP's adapter.
  return {
    ...composed,
    identity: createCompositeIdentity([createPersonalAccessTokenIdentity(verifyToken), composed.identity]),
  };
}

async function composeTokenIdentity(
  config: Config,
  urls: { publicUrl: string; internalUrl: string },
  logger: AppLogger,
  deps: Record<string, unknown>,
): Promise<ComposedIdentity> {
  const { auth } = config;
  if (config.mode === 'local' && !auth.issuer && !config.adapters.identity) {
    const issuer = `${urls.publicUrl}/oidc`;
    const embedded = await createEmbeddedProvider(
      {
        issuer,
        dataDir: config.dataDir,
        clients: {
          web: { redirectUris: [`${urls.publicUrl}/auth/callback`], postLogoutRedirectUris: [`${urls.publicUrl}/`] },
        },
      },
      { logger },
    );
    const identity = createOidcIdentity({ issuer, audience: 'volundr', jwksUri: `${urls.internalUrl}/oidc/jwks` });
    return {
      identity,
      embedded,
      authConfig: {
        issuer,
        audience: 'volundr',
        clients: { web: 'volundr-web', cli: 'volundr-cli' },
        scopes: [...EMBEDDED_SCOPES],
        deviceFlow: true,
        embedded: true,
      },
    };
  }
  const identity = config.adapters.identity
    ? await loadAdapter<Identity>({
        blockName: 'adapters.identity',
        port: 'identity',
        block: config.adapters.identity,
        deps,
      })
    : createOidcIdentity({ issuer: auth.issuer!, audience: auth.audience, claims: { preset: auth.claims } });
  const issuer = auth.issuer ?? String((config.adapters.identity as { issuer?: unknown } | undefined)?.issuer ?? '');
  return {
    identity,
    embedded: null,
    authConfig: {
      issuer: issuer || `${urls.publicUrl}/oidc`,
      audience: auth.audience,
      clients: { web: auth.webClientId, cli: auth.cliClientId },
      scopes: auth.scopes,
      deviceFlow: auth.deviceFlow,
      embedded: false,
    },
  };
}

export const identityDataDir = (config: Config) => join(config.dataDir, 'identity');
