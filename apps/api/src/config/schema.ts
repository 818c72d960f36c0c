import { ZModelsConfig } from '@volundr/contracts/models';
import { ZProfilesConfig } from '@volundr/contracts/profiles';
import { ZTemplatesConfig } from '@volundr/contracts/templates';
import { z } from 'zod';
import { type AdapterBlock, ZAdapterBlock } from './adapter-block';
import { ZChroniclesConfig } from './chronicles-config';
import { ZAuditConfig, ZEventsConfig, ZMetricsConfig, ZTelemetryConfig } from './events-config';
import { ZIntegrationsConfig } from './integrations-config';
import { ZReconcilerConfig, ZSessionsConfig } from './sessions-config';

/**
 * The whole configuration file. Every object is strict: an unknown key is an error that names
 * the key, so a typo never silently falls back to a default.
 */
export const ZConfig = z
  .object({
    /** `local`: one machine, embedded database and identity. `production`: PostgreSQL, external IdP. */
    mode: z.enum(['local', 'production']).default('local'),
    /** Where local state lives (embedded database, identity keys, session workspaces). */
    dataDir: z.string().min(1).default('~/.volundr'),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** The URL people and sessions use to reach the platform (defaults to http://host:port). */
        publicUrl: z.url().optional(),
        /** How long a graceful shutdown may take before connections are cut. */
        shutdownTimeoutMs: z.number().int().positive().default(10_000),
      })
      .strict()
      .prefault({}),
    database: z
      .discriminatedUnion('driver', [
        z.object({ driver: z.literal('pglite'), dataDir: z.string().min(1).optional() }).strict(),
        z
          .object({
            driver: z.literal('postgres'),
            url: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL'),
            poolSize: z.number().int().min(1).max(100).default(10),
          })
          .strict(),
      ])
      .default({ driver: 'pglite' }),
    migrations: z
      .object({
        /** Apply pending migrations at start (always true in local mode). */
        applyOnStart: z.boolean().default(true),
        dir: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    /**
     * The OIDC provider people sign in with. In local mode it is the embedded provider at
     * `<publicUrl>/oidc` and nothing needs setting; in production `issuer` is required.
     */
    auth: z
      .object({
        issuer: z.url().optional(),
        audience: z.string().min(1).default('volundr'),
        webClientId: z.string().min(1).default('volundr-web'),
        cliClientId: z.string().min(1).default('volundr-cli'),
        scopes: z.array(z.string().min(1)).default(['openid', 'profile', 'email', 'offline_access']),
        deviceFlow: z.boolean().default(true),
        /** Claim mapping preset of the IdP (see docs/identity.md). */
        claims: z.enum(['generic', 'keycloak', 'entra', 'okta']).default('generic'),
      })
      .strict()
      .prefault({}),
    logging: z
      .object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info') })
      .strict()
      .prefault({}),
    /** Port adapters, each `{ use: "<module>#<Export>", ...options }`; defaults depend on `mode`. */
    adapters: z
      .object({
        identity: ZAdapterBlock.optional(),
        authorization: ZAdapterBlock.optional(),
        /** Runs sessions. Default in local mode: the local runtime (processes under dataDir). */
        podManager: ZAdapterBlock.optional(),
        /** Workspace and home volumes. Default in local mode: directories under dataDir. */
        storage: ZAdapterBlock.optional(),
        /** Home volumes created at a user's first login. Default: directories under dataDir. */
        homeVolumes: ZAdapterBlock.optional(),
        /** How browsers reach a session. Default in local mode: the local gateway's routes. */
        gateway: ZAdapterBlock.optional(),
        /** The git registry (which repositories are allowed). Default: `sessions.git`'s host allow-list. */
        git: ZAdapterBlock.optional(),
        /** CPU/memory/GPU requests. Default: `sessions.resources`. */
        resources: ZAdapterBlock.optional(),
        /** Credential mounts. Default: none configured (sessions naming credentials are refused). */
        secretInjection: ZAdapterBlock.optional(),
        /** Secret env refs. Default: none configured (sessions naming secrets are refused). */
        secrets: ZAdapterBlock.optional(),
        /** Users' integration connections. Default: people's GitHub/GitLab integrations (docs/git-and-credentials.md). */
        integrations: ZAdapterBlock.optional(),
        /** Where credential values live. Default in local mode: an encrypted file in dataDir; production names one (Vault/OpenBao, Kubernetes Secrets). */
        credentialStore: ZAdapterBlock.optional(),
      })
      .strict()
      .prefault({}),
    /** The models catalog; absent: the built-in list (config/default-catalog.ts). */
    models: ZModelsConfig.optional(),
    /** Launch profiles; absent: one default profile per CLI. */
    profiles: ZProfilesConfig.optional(),
    /** Ready-made launches (defaults, repos, setup scripts). */
    templates: ZTemplatesConfig.default([]),
    sessions: ZSessionsConfig.prefault({}),
    /** The provisioning loop of this API process (several processes share the work by leases). */
    reconciler: ZReconcilerConfig.prefault({}),
    /** Chronicle completion and retention (docs/chronicles.md). */
    chronicles: ZChroniclesConfig.prefault({}),
    /** People's GitHub/GitLab integrations: OAuth token refresh (docs/git-and-credentials.md). */
    integrations: ZIntegrationsConfig.prefault({}),
    /** Event sinks besides PostgreSQL and this process's dispatcher (docs/events-and-observability.md). */
    events: ZEventsConfig.prefault({}),
    /** How long the audit log keeps its entries (kept forever by default). */
    audit: ZAuditConfig.prefault({}),
    /** OpenTelemetry traces and metrics over OTLP/HTTP (off by default). */
    telemetry: ZTelemetryConfig.prefault({}),
    /** Prometheus `/metrics` of this process. */
    metrics: ZMetricsConfig.prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.mode === 'production' && !config.auth.issuer && !config.adapters.identity) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth', 'issuer'],
        message: 'production mode needs the OIDC issuer people sign in with (auth.issuer)',
      });
    }
    if (config.mode === 'production' && config.database.driver === 'pglite') {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'driver'],
        message: 'production mode needs PostgreSQL (database.driver: postgres, or DATABASE_URL)',
      });
    }
  });

export type Config = z.infer<typeof ZConfig>;
export type ConfigInput = z.input<typeof ZConfig>;
export type AdapterBlockName = keyof Config['adapters'];
export type { AdapterBlock };
