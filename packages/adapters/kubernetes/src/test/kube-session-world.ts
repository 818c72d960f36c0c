/**
 * The sessions domain wired to the real Kubernetes adapters against the emulator: in-memory
 * session repositories and fakes for git and integrations (the ports this package does not
 * implement), the ten contributors on the Kubernetes Storage, Gateway, Resources, Secrets and
 * SecretInjection adapters, and the core reconciler driving a real pod manager.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { SessionEvent } from '@volundr/contracts/session-events';
import type { SessionState } from '@volundr/contracts/sessions';
import { defaultContributors } from '@volundr/core/sessions/contributors/default-contributors';
import { createSession } from '@volundr/core/sessions/create-session';
import { deleteSession } from '@volundr/core/sessions/delete-session';
import type { PodManager } from '@volundr/core/sessions/ports/pod-manager';
import { createReconciler } from '@volundr/core/sessions/reconciler';
import { startSession } from '@volundr/core/sessions/start-session';
import { stopSession } from '@volundr/core/sessions/stop-session';
import { silentLogger } from '@volundr/core/shared/ports/logger';
import { fakeGitRepositories } from '@volundr/core/testing/fake-git-repositories';
import { fakeIntegrations } from '@volundr/core/testing/fake-integrations';
import { fixedClock } from '@volundr/core/testing/fixed-clock';
import { fixedQuotas } from '@volundr/core/testing/fixed-quotas';
import { InMemoryPresets } from '@volundr/core/testing/in-memory-presets';
import { InMemorySessionEvents } from '@volundr/core/testing/in-memory-session-events';
import { InMemorySessions } from '@volundr/core/testing/in-memory-sessions';
import { ownerOnlyAuthorization } from '@volundr/core/testing/owner-only-authorization';
import { aPrincipal } from '@volundr/core/testing/principal-builder';
import { sequentialIds } from '@volundr/core/testing/sequential-ids';
import { testCatalog } from '@volundr/core/testing/test-catalog';
import { createKubernetesGateway } from '../kubernetes-gateway';
import { createKubernetesSecrets } from '../kubernetes-secrets';
import { createKubernetesStorage } from '../kubernetes-storage';
import { createProfileResources } from '../profile-resources';
import { createVaultAgentInjection } from '../vault-agent-injection';

export const SESSIONS_NAMESPACE = 'volundr-sessions';
export const PUBLIC_URL = 'https://volundr.example.test';

/** Runtime settings both pod managers are given in tests. */
export const testRuntime = {
  image: 'registry.example.test/volundr/session:0.1.0',
  broker: { oidc: { issuer: 'https://idp.example.test/realms/volundr', audience: 'volundr' } },
  gateway: {
    parentRefs: [{ name: 'volundr', namespace: 'envoy-gateway-system', sectionName: 'https' }],
    jwt: {
      issuer: 'https://idp.example.test/realms/volundr',
      audiences: ['volundr'],
      jwksUri: 'https://idp.example.test/realms/volundr/protocol/openid-connect/certs',
      ownerClaim: 'sub',
    },
  },
  networkPolicy: {
    egress: [
      { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.169.254/32'], ports: [{ port: 443 }] },
      { namespaceSelector: { 'kubernetes.io/metadata.name': 'volundr' }, podSelector: { app: 'volundr-api' } },
    ],
  },
};

export function kubeSessionWorld(kubeConfig: KubeConfig, podManager: PodManager, idPrefix: string) {
  const clock = fixedClock();
  const events = new InMemorySessionEvents();
  const sessions = new InMemorySessions(clock, events);
  const catalog = testCatalog();
  const namespaces = { namespace: SESSIONS_NAMESPACE };
  const storage = createKubernetesStorage(namespaces, { kubeConfig });
  const gateway = createKubernetesGateway({ ...namespaces, publicUrl: PUBLIC_URL }, { kubeConfig });
  const secrets = createKubernetesSecrets(namespaces, { kubeConfig });
  const resources = createProfileResources({
    max: { gpu: 2 },
    profiles: [
      {
        name: 'gpu',
        match: { gpu: true },
        nodeSelector: { 'volundr.io/gpu': 'true' },
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        runtimeClassName: 'nvidia',
      },
    ],
  });
  const secretInjection = createVaultAgentInjection({ role: 'volundr-session' });
  const gitRepositories = fakeGitRepositories();
  const contributors = defaultContributors(
    { gitRepositories, storage, gateway, resources, secretInjection, secrets },
    { core: { apiUrl: 'https://volundr.example.test/api' } },
  );
  const deps = {
    sessions,
    events,
    podManager,
    presets: new InMemoryPresets(),
    gitRepositories,
    integrations: fakeIntegrations(),
    authorization: ownerOnlyAuthorization(),
    quotas: fixedQuotas(null),
    contributors,
    clock,
    ids: sequentialIds(idPrefix),
    logger: silentLogger,
    models: catalog.models,
    profiles: catalog.profiles,
    templates: catalog.templates,
    defaultIdleTimeoutMinutes: null,
    // New work wakes the reconciler at once, as the API wires it.
    notifyWork: () => reconciler.kick(),
  };
  // A long poll interval: state changes must come from the pod manager's watch, not from polling.
  const reconciler = createReconciler(deps, { owner: 'api-test', pollIntervalMs: 600_000 });
  const alice = aPrincipal().build();

  /** Resolves with the state_changed event that reaches `state`; rejects after the deadline with what was seen. */
  async function untilState(
    sessionId: string,
    state: SessionState,
    after?: string,
    timeoutMs = 10_000,
  ): Promise<SessionEvent> {
    const abort = new AbortController();
    const seen: string[] = [];
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      for await (const event of events.subscribe({ tenantId: alice.tenantId, sessionId }, after, abort.signal)) {
        if (event.type === 'state_changed') {
          seen.push(`${event.data.from}→${event.data.to}${event.data.reason ? ` (${event.data.reason})` : ''}`);
          if (event.data.to === state) return event;
        }
      }
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
    throw new Error(
      `session ${sessionId} did not reach ${state} within ${timeoutMs} ms; saw ${seen.join(', ') || 'nothing'}`,
    );
  }

  return {
    deps,
    sessions,
    events,
    storage,
    reconciler,
    alice,
    untilState,
    /** The id of the latest event: `untilState(id, state, mark)` looks only at what comes after. */
    mark: () => String(events.all.length),
    create: (input: Parameters<ReturnType<typeof createSession>>[1]) => createSession(deps)(alice, input),
    start: (id: string) => startSession(deps)(alice, { id }),
    stop: (id: string) => stopSession(deps)(alice, { id }),
    remove: (id: string, cleanup: ('workspace_storage' | 'chronicles')[] = []) =>
      deleteSession(deps)(alice, { id, cleanup }),
  };
}
