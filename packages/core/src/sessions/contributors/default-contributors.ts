import { DomainError } from '../../errors';
import type { Gateway } from '../ports/gateway';
import type { GitRepositories } from '../ports/git-repositories';
import type { Resources } from '../ports/resources';
import type { SecretInjection } from '../ports/secret-injection';
import type { Secrets } from '../ports/secrets';
import type { Storage } from '../ports/storage';
import type { Contributor } from '../session-context';
import { type CoreContributorOptions, coreContributor } from './core-contributor';
import { gatewayContributor } from './gateway-contributor';
import { gitContributor } from './git-contributor';
import { integrationContributor } from './integration-contributor';
import { type IsolationContributorOptions, isolationContributor } from './isolation-contributor';
import { resourceContributor } from './resource-contributor';
import { secretInjectionContributor } from './secret-injection-contributor';
import { secretsContributor } from './secrets-contributor';
import { type StorageContributorOptions, storageContributor } from './storage-contributor';
import { templateContributor } from './template-contributor';

export const CONTRIBUTOR_ORDER = [
  'Core',
  'Template',
  'Git',
  'Integration',
  'Storage',
  'Gateway',
  'Resource',
  'Isolation',
  'SecretInjection',
  'Secrets',
] as const;

export interface ContributorPorts {
  gitRepositories: GitRepositories;
  storage: Storage;
  gateway: Gateway;
  resources: Resources;
  secretInjection: SecretInjection;
  secrets: Secrets;
}

export interface ContributorOptions {
  core?: CoreContributorOptions;
  storage?: StorageContributorOptions;
  isolation?: IsolationContributorOptions;
  /** Contributors loaded from configuration, run after the built-in ten in the given order. */
  extra?: readonly Contributor[];
}

/** The ten built-in contributors in pipeline order, then any extra ones. */
export function defaultContributors(ports: ContributorPorts, options: ContributorOptions = {}): Contributor[] {
  const list = [
    coreContributor(options.core),
    templateContributor(),
    gitContributor(ports.gitRepositories),
    integrationContributor(),
    storageContributor(ports.storage, options.storage),
    gatewayContributor(ports.gateway),
    resourceContributor(ports.resources),
    isolationContributor(options.isolation),
    secretInjectionContributor(ports.secretInjection),
    secretsContributor(ports.secrets),
    ...(options.extra ?? []),
  ];
  const names = new Set<string>();
  for (const c of list) {
    if (names.has(c.name))
      throw new DomainError('CONFIG_INVALID', `Two session contributors are named "${c.name}"; names must be unique`);
    names.add(c.name);
  }
  return list;
}
