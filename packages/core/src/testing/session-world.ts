import { defaultContributors } from '../sessions/contributors/default-contributors';
import type { IntegrationConnection } from '../sessions/ports/integrations';
import { silentLogger } from '../shared/ports/logger';
import { fakeGateway } from './fake-gateway';
import { fakeGitRepositories } from './fake-git-repositories';
import { fakeIntegrations } from './fake-integrations';
import { fakeResources } from './fake-resources';
import { fakeSecretInjection } from './fake-secret-injection';
import { fakeSecrets } from './fake-secrets';
import { fakeStorage } from './fake-storage';
import { fixedClock } from './fixed-clock';
import { fixedQuotas } from './fixed-quotas';
import { InMemoryPodManager } from './in-memory-pod-manager';
import { InMemoryPresets } from './in-memory-presets';
import { InMemorySessionEvents } from './in-memory-session-events';
import { InMemorySessions } from './in-memory-sessions';
import { ownerOnlyAuthorization } from './owner-only-authorization';
import { sequentialIds } from './sequential-ids';
import { testCatalog } from './test-catalog';

export interface SessionWorldOptions {
  maxRunningSessions?: number | null;
  podMode?: 'ready' | 'manual';
  integrations?: Record<string, IntegrationConnection[]>;
  defaultIdleTimeoutMinutes?: number | null;
}

/** Every port of the sessions domain as a small fake, wired together for use-case tests. */
export function aSessionWorld(options: SessionWorldOptions = {}) {
  const clock = fixedClock();
  const ids = sequentialIds('s');
  const events = new InMemorySessionEvents();
  const sessions = new InMemorySessions(clock, events);
  const podManager = new InMemoryPodManager(options.podMode ?? 'ready');
  const catalog = testCatalog();
  const presets = new InMemoryPresets();
  const gitRepositories = fakeGitRepositories();
  const integrations = fakeIntegrations(options.integrations);
  const storage = fakeStorage();
  const gateway = fakeGateway();
  const resources = fakeResources({ maxGpu: 1 });
  const secretInjection = fakeSecretInjection();
  const secrets = fakeSecrets();
  const authorization = ownerOnlyAuthorization();
  const quotas = fixedQuotas(options.maxRunningSessions ?? null);
  const contributorPorts = { gitRepositories, storage, gateway, resources, secretInjection, secrets };
  const contributors = defaultContributors(contributorPorts);
  const deletedChronicles: string[] = [];
  const deps = {
    sessions,
    events,
    podManager,
    presets,
    gitRepositories,
    integrations,
    authorization,
    quotas,
    contributors,
    clock,
    ids,
    logger: silentLogger,
    models: catalog.models,
    profiles: catalog.profiles,
    templates: catalog.templates,
    defaultIdleTimeoutMinutes: options.defaultIdleTimeoutMinutes ?? null,
    chronicles: {
      deleteForSession: async (sessionId: string) => {
        deletedChronicles.push(sessionId);
        return 1;
      },
    },
  };
  return {
    deps,
    contributorPorts,
    clock,
    sessions,
    events,
    podManager,
    presets,
    storage,
    gateway,
    secretInjection,
    secrets,
    authorization,
    deletedChronicles,
  };
}
