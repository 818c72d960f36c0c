/**
 * Per-user integrations: a person's own connection to a configured GitHub or GitLab instance,
 * by personal token or by OAuth (authorization code). The token is a credential like any other
 * (stored in the secret backend, injected into sessions); the API returns metadata only.
 */
import { z } from 'zod';

export const ZIntegrationKind = z.enum(['github', 'gitlab']);
export type IntegrationKind = z.infer<typeof ZIntegrationKind>;
export const ZIntegrationAuthMethod = z.enum(['token', 'oauth']);
export type IntegrationAuthMethod = z.infer<typeof ZIntegrationAuthMethod>;

/** A configured provider instance's name (`github`, `gitlab-corp`). */
export const ZProviderName = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'a provider name: lower-case letters, digits and "-"');

export const ZIntegrationCatalogEntry = z.strictObject({
  provider: z.string(),
  kind: ZIntegrationKind,
  title: z.string(),
  webUrl: z.string(),
  authMethods: z.array(ZIntegrationAuthMethod),
  /** Scopes an OAuth connection asks for. */
  scopes: z.array(z.string()),
});
export type IntegrationCatalogEntry = z.infer<typeof ZIntegrationCatalogEntry>;

export const ZIntegration = z.strictObject({
  id: z.string(),
  provider: z.string(),
  kind: ZIntegrationKind,
  enabled: z.boolean(),
  authMethod: ZIntegrationAuthMethod,
  /** The account the token belongs to (login / username), as the provider reported it. */
  account: z.string().nullable(),
  /** The credential holding the token (injected into sessions with the session's credentials). */
  credentialName: z.string(),
  scopes: z.array(z.string()),
  /** When the access token expires (OAuth); null: does not expire. */
  expiresAt: z.iso.datetime().nullable(),
  refreshedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Integration = z.infer<typeof ZIntegration>;

/** A token as pasted: one line of printable characters. */
const ZTokenValue = z
  .string()
  .trim()
  .min(8, 'a token is at least 8 characters')
  .max(4096)
  .regex(/^[\x21-\x7e]+$/, 'a token is one line of printable characters without spaces');

export const ZConnectIntegrationInput = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('token'), provider: ZProviderName, token: ZTokenValue }),
  z.strictObject({
    method: z.literal('oauth'),
    provider: ZProviderName,
    /** The `code` and `state` the provider's redirect carried. */
    code: z
      .string()
      .min(1)
      .max(2048)
      .regex(/^[\x21-\x7e]+$/, 'an authorization code'),
    state: z
      .string()
      .min(16)
      .max(256)
      .regex(/^[A-Za-z0-9_-]+$/, 'the state the authorize step returned'),
  }),
]);
export type ConnectIntegrationInput = z.infer<typeof ZConnectIntegrationInput>;

export const ZAuthorizeIntegrationInput = z.strictObject({ provider: ZProviderName });
export const ZIntegrationAuthorization = z.strictObject({
  /** Send the browser here; the provider redirects back to `redirectUri` with `code` and `state`. */
  url: z.string(),
  state: z.string(),
  redirectUri: z.string(),
  expiresAt: z.iso.datetime(),
});
export type IntegrationAuthorization = z.infer<typeof ZIntegrationAuthorization>;

export const ZIntegrationIdInput = z.strictObject({ id: z.string().min(1).max(255) });
export const ZIntegrationTestResult = z.strictObject({
  ok: z.boolean(),
  account: z.string().nullable(),
  message: z.string(),
});
export type IntegrationTestResult = z.infer<typeof ZIntegrationTestResult>;
export const ZDisconnectedIntegration = z.strictObject({ id: z.string(), disconnected: z.literal(true) });
