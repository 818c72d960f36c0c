import { z } from 'zod';

/**
 * What a client needs to sign in against whichever OIDC provider this installation uses
 * (public: served without credentials at `auth.config` and `GET /api/v1/auth/config`).
 */
export const ZAuthConfig = z.object({
  issuer: z.url(),
  /** Audience the API expects in access tokens. */
  audience: z.string(),
  clients: z.object({
    /** Public client for the web app (authorization code + PKCE). */
    web: z.string(),
    /** Public client for the CLI (device flow, or authorization code with a loopback redirect). */
    cli: z.string(),
  }),
  scopes: z.array(z.string()),
  deviceFlow: z.boolean(),
  /** True when the issuer is the embedded provider of local mode. */
  embedded: z.boolean(),
});
export type AuthConfig = z.infer<typeof ZAuthConfig>;
