import type { Gateway } from '@volundr/core/sessions/ports/gateway';
import type { GitRepositories } from '@volundr/core/sessions/ports/git-repositories';
import type { Integrations } from '@volundr/core/sessions/ports/integrations';
import type { Resources } from '@volundr/core/sessions/ports/resources';
import type { SecretInjection } from '@volundr/core/sessions/ports/secret-injection';
import type { Secrets } from '@volundr/core/sessions/ports/secrets';
import type { Storage } from '@volundr/core/sessions/ports/storage';
import type { Contributor } from '@volundr/core/sessions/session-context';
import type { AdapterBlock } from '../config/adapter-block';
import { ConfigError } from '../config/config-error';
import type { Config } from '../config/schema';
import { loadAdapter } from './load-adapter';

const BUILTIN = '@volundr/api/composition/builtin-adapters';

export interface ContributorPortsComposed {
  storage: Storage;
  gateway: Gateway;
  gitRepositories: GitRepositories;
  resources: Resources;
  secretInjection: SecretInjection;
  secrets: Secrets;
  integrations: Integrations;
  /** Extra contributors from `sessions.contributors`, in order. */
  extraContributors: Contributor[];
}

/**
 * The ports the contributor pipeline wraps, each from its `adapters.*` block or its default:
 * the local runtime's directories and routes in local mode (production names its own), the
 * built-in host allow-list git registry, the `sessions.resources` policy, and no secret backend
 * or integrations until one is configured.
 */
export async function composeContributorPorts(
  config: Config,
  deps: Readonly<Record<string, unknown>>,
): Promise<ContributorPortsComposed> {
  const local = config.mode === 'local';
  const load = <T>(name: keyof Config['adapters'], port: string, fallback: AdapterBlock | null): Promise<T> => {
    const block = (config.adapters[name] as AdapterBlock | undefined) ?? fallback;
    if (!block)
      throw new ConfigError(
        `configuration: adapters.${name}: production mode needs a ${port} adapter; none is configured`,
      );
    return loadAdapter<T>({ blockName: `adapters.${name}`, port, block, deps });
  };
  const { git, resources } = config.sessions;
  const [storage, gateway, gitRepositories, resourcesPort, secretInjection, secrets, integrations] = await Promise.all([
    load<Storage>(
      'storage',
      'storage',
      local
        ? { use: '@volundr/adapter-local/local-directory-storage#localDirectoryStorage', dataDir: config.dataDir }
        : null,
    ),
    load<Gateway>(
      'gateway',
      'gateway',
      local ? { use: '@volundr/adapter-local/local-session-routes#localSessionRoutes' } : null,
    ),
    // A git registry built before (compose-git-credentials, which shares it with the git procedures).
    (deps.gitRepositories as GitRepositories | undefined) ??
      load<GitRepositories>('git', 'gitRepositories', {
        use: `${BUILTIN}/allowed-hosts-git#allowedHostsGit`,
        allowedHosts: git.allowedHosts ?? (local ? ['*'] : []),
        allowFileUrls: local && git.allowFileUrls,
      }),
    load<Resources>('resources', 'resources', { use: `${BUILTIN}/request-resources#requestResources`, ...resources }),
    // With stored credentials (compose-git-credentials): the local runtime gets them as files, env
    // refs name them, and people's integrations come from the database (docs/git-and-credentials.md).
    load<SecretInjection>(
      'secretInjection',
      'secretInjection',
      local && deps.credentialValues
        ? { use: '@volundr/adapter-git/local-secret-injection#localSecretInjection', dataDir: config.dataDir }
        : { use: `${BUILTIN}/no-secret-backend#noSecretInjection` },
    ),
    load<Secrets>(
      'secrets',
      'secrets',
      deps.credentialRecords
        ? { use: '@volundr/adapter-git/credential-secrets#credentialSecrets' }
        : { use: `${BUILTIN}/no-secret-backend#noSecrets` },
    ),
    load<Integrations>(
      'integrations',
      'integrations',
      deps.integrationRecords
        ? { use: '@volundr/adapter-git/owner-integrations#ownerIntegrations' }
        : { use: `${BUILTIN}/no-secret-backend#noIntegrations` },
    ),
  ]);
  const extraContributors: Contributor[] = [];
  for (const [index, block] of config.sessions.contributors.entries()) {
    extraContributors.push(
      await loadAdapter<Contributor>({
        blockName: `sessions.contributors.${index}`,
        port: 'sessionContributor',
        block,
        deps: { ...deps, storage, gateway, gitRepositories, resources: resourcesPort, secretInjection, secrets },
      }),
    );
  }
  return {
    storage,
    gateway,
    gitRepositories,
    resources: resourcesPort,
    secretInjection,
    secrets,
    integrations,
    extraContributors,
  };
}
