import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Logger, silentLogger } from '@volundr/core/shared/ports/logger';
import type { JWK } from 'jose';
import Provider, { type ClientMetadata, type Configuration, errors, type KoaContextWithOIDC } from 'oidc-provider';
import { z } from 'zod';
import { EMBEDDED_AUDIENCE, EMBEDDED_RESOURCE, volundrAccessTokenClaims } from './access-token-claims';
import { ensureAdminUser, findDevUser } from './dev-users';
import { FileStore } from './file-adapter';
import { ensureIdentityDir, providerFile, readJsonFile, secretsFile, writeJsonPrivate } from './identity-files';
import { createInteractionRoutes } from './interaction-routes';
import { deviceConfirmPage, deviceInputPage, logoutPage, messagePage, PAGE_HEADERS } from './pages';
import { loadOrCreateSigningKeys, toPublicJwks } from './signing-keys';

export const WEB_CLIENT_ID = 'volundr-web';
export const CLI_CLIENT_ID = 'volundr-cli';
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** Scopes the clients should ask for; refresh tokens are issued to our clients even without `offline_access`. */
export const EMBEDDED_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

const DAY = 24 * 60 * 60;

export const ZEmbeddedProviderOptions = z.strictObject({
  /** Public URL of the mount point, e.g. `http://127.0.0.1:8080/oidc` (no trailing slash). */
  issuer: z.url().refine((value) => {
    const url = new URL(value);
    return url.pathname.length > 1 && !url.pathname.endsWith('/') && !url.search && !url.hash;
  }, 'issuer must be an http(s) URL with a path (the mount point, e.g. /oidc), no trailing slash, query or fragment'),
  dataDir: z.string().min(1),
  clients: z
    .strictObject({
      web: z
        .strictObject({
          redirectUris: z.array(z.url()).min(1),
          postLogoutRedirectUris: z.array(z.url()).default([]),
        })
        .optional(),
      cli: z
        .strictObject({
          /** Loopback redirect; any port is accepted at runtime (RFC 8252 §7.3). */
          redirectUris: z.array(z.url()).min(1).default(['http://127.0.0.1/callback']),
        })
        .default({ redirectUris: ['http://127.0.0.1/callback'] }),
    })
    .default({ cli: { redirectUris: ['http://127.0.0.1/callback'] } }),
  ttl: z
    .strictObject({
      accessTokenSeconds: z
        .number()
        .int()
        .min(60)
        .max(DAY)
        .default(15 * 60),
      idTokenSeconds: z
        .number()
        .int()
        .min(60)
        .max(DAY)
        .default(60 * 60),
      /** Sliding: each refresh (which rotates the token) starts a new period. */
      refreshTokenSeconds: z
        .number()
        .int()
        .min(60)
        .max(365 * DAY)
        .default(30 * DAY),
      sessionSeconds: z
        .number()
        .int()
        .min(60)
        .max(365 * DAY)
        .default(30 * DAY),
      deviceCodeSeconds: z
        .number()
        .int()
        .min(60)
        .max(3600)
        .default(10 * 60),
    })
    .default({
      accessTokenSeconds: 15 * 60,
      idTokenSeconds: 60 * 60,
      refreshTokenSeconds: 30 * DAY,
      sessionSeconds: 30 * DAY,
      deviceCodeSeconds: 10 * 60,
    }),
  /** Trust `X-Forwarded-*` (only when a proxy you control sits in front). */
  trustProxy: z.boolean().default(false),
});
export type EmbeddedProviderOptions = z.input<typeof ZEmbeddedProviderOptions>;

export interface EmbeddedProviderDeps {
  logger?: Logger;
}

export interface EmbeddedProvider {
  issuer: string;
  /** The path prefix the provider answers under (`/oidc`). */
  mountPath: string;
  /** Node http handler for every request whose path starts with `mountPath`. */
  handler(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Public signing keys (as served at `<issuer>/jwks`). */
  jwks(): { keys: JWK[] };
  /** The generated `admin` password on the very first start (print it once); `null` afterwards. */
  adminPassword: string | null;
  /** Waits for storage writes in flight. The caller owns the HTTP server. */
  close(): Promise<void>;
}

const ZSecrets = z.object({ cookieKeys: z.array(z.string().min(32)).min(1), csrfKey: z.string().min(32) });

async function loadOrCreateSecrets(dataDir: string) {
  const existing = await readJsonFile(secretsFile(dataDir), ZSecrets);
  if (existing) return existing;
  const secrets = {
    cookieKeys: [randomBytes(32).toString('base64url')],
    csrfKey: randomBytes(32).toString('base64url'),
  };
  await writeJsonPrivate(secretsFile(dataDir), secrets);
  return secrets;
}

function clientMetadata(options: z.output<typeof ZEmbeddedProviderOptions>): ClientMetadata[] {
  const clients: ClientMetadata[] = [
    {
      client_id: CLI_CLIENT_ID,
      client_name: 'Volundr CLI',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT],
      response_types: ['code'],
      redirect_uris: options.clients.cli.redirectUris,
    },
  ];
  if (options.clients.web) {
    clients.push({
      client_id: WEB_CLIENT_ID,
      client_name: 'Volundr',
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: options.clients.web.redirectUris,
      post_logout_redirect_uris: options.clients.web.postLogoutRedirectUris,
    });
  }
  return clients;
}

const html = (ctx: KoaContextWithOIDC, body: string) => {
  ctx.set(PAGE_HEADERS);
  ctx.body = body;
};

/**
 * The OpenID provider for local mode, mounted at `/oidc` on the API's origin. Dev users,
 * signing keys, cookie secrets and refresh tokens live under `<dataDir>/identity`, so people
 * stay signed in across restarts. Its access tokens are JWTs for audience `volundr` carrying
 * `sub email name roles tenant`, validated by the OIDC adapter like any other IdP's.
 */
export async function createEmbeddedProvider(
  input: EmbeddedProviderOptions,
  deps: EmbeddedProviderDeps = {},
): Promise<EmbeddedProvider> {
  const options = ZEmbeddedProviderOptions.parse(input);
  const logger = (deps.logger ?? silentLogger).child({ component: 'embedded-oidc' });
  const { dataDir, ttl } = options;
  await ensureIdentityDir(dataDir);
  const keys = await loadOrCreateSigningKeys(dataDir);
  const secrets = await loadOrCreateSecrets(dataDir);
  const adminPassword = await ensureAdminUser(dataDir);
  const store = await FileStore.open(dataDir);
  await writeJsonPrivate(providerFile(dataDir), { issuer: options.issuer });
  const issuerUrl = new URL(options.issuer);
  const mountPath = issuerUrl.pathname;

  const configuration: Configuration = {
    adapter: store.adapterFactory,
    clients: clientMetadata(options),
    jwks: { keys: keys as unknown as JWK[] } as Configuration['jwks'],
    cookies: {
      keys: secrets.cookieKeys,
      names: {
        session: 'volundr_oidc_session',
        interaction: 'volundr_oidc_interaction',
        resume: 'volundr_oidc_resume',
      },
    },
    scopes: [...EMBEDDED_SCOPES],
    claims: { openid: ['sub'], email: ['email'], profile: ['name', 'preferred_username'] },
    // Put the profile/email claims in the ID token too, so the web app needs no userinfo call.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const user = await findDevUser(dataDir, sub);
      if (!user) return undefined;
      return {
        accountId: user.username,
        claims: async () => ({
          sub: user.username,
          email: user.email ?? undefined,
          name: user.name ?? undefined,
          preferred_username: user.username,
        }),
      };
    },
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken' || !('accountId' in token) || typeof token.accountId !== 'string') return;
      // Read at every issue and refresh, so a role change applies at the next refresh.
      const user = await findDevUser(dataDir, token.accountId);
      return user ? volundrAccessTokenClaims(user) : undefined;
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => EMBEDDED_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== EMBEDDED_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: '',
            audience: EMBEDDED_AUDIENCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ttl.accessTokenSeconds,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
      deviceFlow: {
        enabled: true,
        charset: 'base-20',
        mask: '****-****',
        userCodeInputSource: async (ctx, form, _out, err) => {
          const error = err
            ? 'userCode' in err || err.name === 'NoCodeError'
              ? 'That code is not valid. Check it and try again.'
              : err.name === 'AbortedError'
                ? 'The sign-in was cancelled.'
                : 'Something went wrong with that code. Try again.'
            : undefined;
          html(ctx, deviceInputPage(form, error));
        },
        userCodeConfirmSource: async (ctx, form, client, _deviceInfo, userCode) => {
          html(ctx, deviceConfirmPage(form, client.clientName ?? client.clientId, userCode));
        },
        successSource: async (ctx) => {
          html(
            ctx,
            messagePage('Device connected', 'You are signed in. You can close this window and go back to the CLI.'),
          );
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => html(ctx, logoutPage(form)),
        postLogoutSuccessSource: async (ctx) => html(ctx, messagePage('Signed out', 'You are signed out of Volundr.')),
      },
    },
    // Our clients always get refresh tokens (oidc-provider would otherwise drop `offline_access`
    // unless the app sends prompt=consent), rotated on use, outliving the browser session.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    expiresWithSession: async () => false,
    pkce: { required: () => true },
    ttl: {
      AccessToken: ttl.accessTokenSeconds,
      AuthorizationCode: 60,
      DeviceCode: ttl.deviceCodeSeconds,
      IdToken: ttl.idTokenSeconds,
      Interaction: 60 * 60,
      RefreshToken: ttl.refreshTokenSeconds,
      Session: ttl.sessionSeconds,
      Grant: ttl.refreshTokenSeconds,
    },
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    clientBasedCORS: (_ctx, origin, client) =>
      origin !== 'null' && client.redirectUris?.some((uri) => URL.parse(uri)?.origin === origin) === true,
    renderError: async (ctx, out) => {
      const description = out.error_description ?? out.error;
      html(ctx, messagePage('Sign-in failed', `${out.error}: ${description}`, true));
    },
  };

  const provider = new Provider(options.issuer, configuration);
  provider.proxy = options.trustProxy;
  provider.on('server_error', (_ctx, error) => logger.error({ err: error }, 'embedded OIDC provider error'));
  provider.on('grant.error', (_ctx, error) =>
    logger.info({ error: (error as { error?: string }).error, reason: error.message }, 'token request refused'),
  );
  const callback = provider.callback();
  const interactions = createInteractionRoutes({
    provider,
    mountPath,
    issuerOrigin: issuerUrl.origin,
    dataDir,
    csrfKey: Buffer.from(secrets.csrfKey, 'base64url'),
    logger,
  });
  const publicJwks = toPublicJwks(keys);

  return {
    issuer: options.issuer,
    mountPath,
    adminPassword,
    jwks: () => structuredClone(publicJwks),
    async handler(req, res) {
      const url = req.url ?? '/';
      const rest = url.slice(mountPath.length);
      if (!url.startsWith(mountPath) || (rest !== '' && !rest.startsWith('/') && !rest.startsWith('?'))) {
        res.writeHead(404, PAGE_HEADERS).end(messagePage('Not found', `Not under ${mountPath}`, true));
        return;
      }
      const path = rest.split('?')[0] ?? '';
      if (path.startsWith('/interaction/')) return interactions(req, res, path);
      // oidc-provider routes on the path below its mount point and rebuilds absolute URLs from
      // `originalUrl`, the way Express mounting presents a request.
      Object.assign(req, { originalUrl: url });
      req.url = rest.startsWith('/') ? rest : `/${rest}`;
      await callback(req, res);
    },
    close: () => store.flush(),
  };
}
