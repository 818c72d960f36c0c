import { createGitProviders } from '@volundr/adapter-git/git-providers';
import { isGitRegistry } from '@volundr/adapter-git/git-registry';
import { type CredentialValues, credentialValues } from '@volundr/core/credentials/credential-values';
import { type CredentialChanges, inProcessCredentialChanges } from '@volundr/core/credentials/ports/credential-changes';
import type { CredentialRecords } from '@volundr/core/credentials/ports/credential-records';
import type { SecretStore } from '@volundr/core/credentials/ports/secret-store';
import { DomainError } from '@volundr/core/errors';
import { type IntegrationTokens, integrationTokens } from '@volundr/core/integrations/integration-tokens';
import type { GitProviders } from '@volundr/core/integrations/ports/git-providers';
import type { IntegrationRecords } from '@volundr/core/integrations/ports/integration-records';
import type { GitRepositories } from '@volundr/core/sessions/ports/git-repositories';
import type { SessionSecretsTarget } from '@volundr/core/sessions/ports/session-secrets';
import type { Clock } from '@volundr/core/shared/ports/clock';
import type { Ids } from '@volundr/core/shared/ports/ids';
import type { Database } from '@volundr/db/client';
import { createCredentialsRepository } from '@volundr/db/repositories/credentials';
import { createIntegrationsRepository } from '@volundr/db/repositories/integrations';
import type { AdapterBlock } from '../config/adapter-block';
import type { Config } from '../config/schema';
import type { ReadinessCheck } from '../http/server';
import type { AppLogger } from '../logger';
import { loadAdapter } from './load-adapter';
import { type PeriodicJob, startPeriodicJob } from './periodic-job';

/** Stored credentials, people's integrations and the git providers, shared by procedures and sessions. */
export interface ComposedGitCredentials {
  credentialRecords: CredentialRecords;
  integrationRecords: IntegrationRecords;
  store: SecretStore;
  changes: CredentialChanges;
  values: CredentialValues;
  tokens: IntegrationTokens;
  /** The configured providers (the git registry of `adapters.git`, or plain git from `sessions.git`). */
  providers: GitProviders;
  /** Where OAuth providers send the browser back. */
  callbackUrl: string;
  /** For composeSessions: adapters `require` these by name. */
  adapterDeps: Record<string, unknown>;
  /** For SessionSecrets: a session's credential reference, read from its owner's credentials. */
  secretValue(ref: { name: string; key: string }, session: SessionSecretsTarget): Promise<string | null>;
  readiness: ReadinessCheck[];
  startJobs(): void;
  stopJobs(): Promise<void>;
}

/** What a server without a secret backend answers (production before one is configured). */
function noCredentialStore(): SecretStore {
  const refuse = async (): Promise<never> => {
    throw new DomainError(
      'DEPENDENCY_UNAVAILABLE',
      'This server has no credential store configured (adapters.credentialStore: Vault/OpenBao or Kubernetes Secrets)',
    );
  };
  return { kind: 'none', put: refuse, delete: refuse, get: async () => null };
}

export async function composeGitCredentials(input: {
  config: Config;
  database: Database;
  clock: Clock;
  ids: Ids;
  logger: AppLogger;
  publicUrl: string;
}): Promise<ComposedGitCredentials> {
  const { config, database, clock, ids, logger } = input;
  const local = config.mode === 'local';
  const credentialRecords = createCredentialsRepository(database);
  const integrationRecords = createIntegrationsRepository(database);
  const changes = inProcessCredentialChanges((error) =>
    logger.warn({ error: (error as Error).message }, 'a credential change listener failed'),
  );
  const storeBlock: AdapterBlock | null =
    config.adapters.credentialStore ??
    (local
      ? {
          use: '@volundr/adapter-git/credential-stores/encrypted-file-store#encryptedFileStore',
          dataDir: config.dataDir,
        }
      : null);
  const store = storeBlock
    ? await loadAdapter<SecretStore>({
        blockName: 'adapters.credentialStore',
        port: 'credentialStore',
        block: storeBlock,
        deps: { clock, logger, database },
      })
    : noCredentialStore();

  // Reads freshen integration tokens first; the token keeper needs the providers, built below.
  let tokens: IntegrationTokens | null = null;
  const values = credentialValues({
    records: credentialRecords,
    store,
    freshen: async (record) => tokens?.freshen(record),
  });
  const deps = {
    clock,
    logger,
    database,
    credentialRecords,
    credentialStore: store,
    credentialValues: values,
    credentialChanges: changes,
    integrationRecords,
  };

  let gitRepositories: GitRepositories | undefined;
  let providers: GitProviders;
  if (config.adapters.git) {
    gitRepositories = await loadAdapter<GitRepositories>({
      blockName: 'adapters.git',
      port: 'gitRepositories',
      block: config.adapters.git,
      deps,
      enforced: { localMode: local },
    });
  }
  if (isGitRegistry(gitRepositories)) providers = gitRepositories.providers;
  else {
    // Without a git registry the procedures read repositories of `sessions.git`'s hosts with git itself.
    const hosts = config.sessions.git.allowedHosts ?? (local ? ['*'] : []);
    providers = createGitProviders({
      providers: hosts.length ? [{ name: 'git', kind: 'git', hosts, allowHttp: local }] : [],
      allowFileUrls: config.sessions.git.allowFileUrls,
      localMode: local,
    });
  }

  tokens = integrationTokens({
    integrations: integrationRecords,
    credentials: credentialRecords,
    store,
    providers,
    clock,
    ids,
    changes,
    logger,
    refreshAheadMs: config.integrations.refreshAheadMs,
  });
  const keeper = tokens;
  let job: PeriodicJob | null = null;

  return {
    credentialRecords,
    integrationRecords,
    store,
    changes,
    values,
    tokens: keeper,
    providers,
    callbackUrl: config.integrations.callbackUrl ?? `${input.publicUrl}/integrations/callback`,
    adapterDeps: { ...deps, ...(gitRepositories ? { gitRepositories } : {}) },
    secretValue: (ref, session) => values.value({ ownerId: session.ownerId, tenantId: session.tenantId }, ref),
    readiness: store.ping
      ? [
          {
            name: 'credential-store',
            check: async () => {
              try {
                await store.ping?.();
                return { ok: true };
              } catch (error) {
                return { ok: false, detail: (error as Error).message };
              }
            },
          },
        ]
      : [],
    startJobs() {
      job ??= startPeriodicJob(
        'integration-token-refresh',
        config.integrations.refreshIntervalMs,
        () => keeper.refreshDue(),
        logger,
      );
    },
    async stopJobs() {
      await job?.stop();
      job = null;
    },
  };
}
