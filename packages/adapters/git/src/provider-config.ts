import { ZProviderName } from '@volundr/contracts/integrations';
import { ZEnvName } from '@volundr/contracts/profiles';
import { z } from 'zod';

/** An organisation (GitHub) or group path (GitLab `group/sub`) allowed on an instance. */
const ZOrg = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/,
    'an organisation or group path (letters, digits, "_", ".", "-", "/")',
  );

/** Where an instance's own token comes from: an environment variable, or a stored credential. */
export const ZTokenSource = z.union([
  z.strictObject({ env: ZEnvName }),
  z.strictObject({
    credential: z.strictObject({
      ownerId: z.string().min(1).max(255),
      tenantId: z.string().min(1).max(255),
      name: z.string().min(1).max(63),
    }),
  }),
]);
export type TokenSource = z.infer<typeof ZTokenSource>;

export const ZOAuthApp = z.strictObject({
  clientId: z.string().min(1).max(255),
  /** The environment variable holding the client secret (never the secret itself in the file). */
  clientSecretEnv: ZEnvName,
  scopes: z.array(z.string().min(1).max(100)).max(50).optional(),
  /** Where the provider sends the browser back (default: the web app's `/integrations/callback`). */
  redirectUri: z.url().optional(),
});
export type OAuthApp = z.infer<typeof ZOAuthApp>;

const ZBaseUrl = z
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

const common = {
  name: ZProviderName,
  /** Organisations (GitHub) or groups (GitLab, and their subgroups) allowed; empty: any on the host. */
  orgs: z.array(ZOrg).max(500).default([]),
  /** Accept `http://` for this host (a test or an internal server); https only otherwise. */
  allowHttp: z.boolean().default(false),
  /** The instance's own token for API calls of people who have not connected their own (never given to sessions). */
  token: ZTokenSource.optional(),
};

export const ZGitHubInstance = z.strictObject({
  ...common,
  kind: z.literal('github'),
  /** The web (and clone) address: https://github.com or a GitHub Enterprise server. */
  webUrl: ZBaseUrl.default('https://github.com'),
  /** REST API base: api.github.com for github.com, `<webUrl>/api/v3` for GitHub Enterprise. */
  apiUrl: ZBaseUrl.optional(),
  oauth: ZOAuthApp.optional(),
});
export const ZGitLabInstance = z.strictObject({
  ...common,
  kind: z.literal('gitlab'),
  /** https://gitlab.com or a self-hosted GitLab; the API is at `<webUrl>/api/v4`. */
  webUrl: ZBaseUrl.default('https://gitlab.com'),
  oauth: ZOAuthApp.optional(),
});
export const ZPlainGitInstance = z.strictObject({
  ...common,
  kind: z.literal('git'),
  /** Hosts (`git.corp.example`, `git.local:8443`, `*.corp.example`; `*` in local mode only). */
  hosts: z
    .array(
      z
        .string()
        .min(1)
        .max(253)
        .regex(/^(\*|(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?)$/, 'a host name, "*.domain", or "*"'),
    )
    .min(1)
    .max(200),
});

export const ZProviderInstance = z.discriminatedUnion('kind', [ZGitHubInstance, ZGitLabInstance, ZPlainGitInstance]);
export type ProviderInstance = z.infer<typeof ZProviderInstance>;
export type GitHubInstance = z.infer<typeof ZGitHubInstance>;
export type GitLabInstance = z.infer<typeof ZGitLabInstance>;
export type PlainGitInstance = z.infer<typeof ZPlainGitInstance>;

export const ZGitProvidersOptions = z
  .strictObject({
    providers: z.array(ZProviderInstance).max(50).default([]),
    /** `file://` repositories (effective only when the server runs in local mode). */
    allowFileUrls: z.boolean().default(false),
    /** Set by the composition root from the server's mode, never from the file. */
    localMode: z.boolean().default(false),
    /** Per request to a provider (API call, ls-remote). */
    timeoutMs: z.int().min(500).max(300_000).default(20_000),
    /** Check at session create that the repository (and branch) exist. */
    validateRemotely: z.boolean().default(true),
  })
  .superRefine((options, ctx) => {
    const names = new Set<string>();
    options.providers.forEach((p, i) => {
      if (names.has(p.name))
        ctx.addIssue({ code: 'custom', path: ['providers', i, 'name'], message: `duplicate provider "${p.name}"` });
      names.add(p.name);
      if (p.kind === 'git' && p.hosts.includes('*') && !options.localMode)
        ctx.addIssue({
          code: 'custom',
          path: ['providers', i, 'hosts'],
          message: '"*" (any host) is allowed in local mode only; list the hosts',
        });
    });
  });
export type GitProvidersOptions = z.input<typeof ZGitProvidersOptions>;
