import { type SessionSpec, type SessionSpecInput, ZSessionSpec } from '@volundr/contracts/session-spec';

const service = (name: string, role: 'broker' | 'terminal' | 'ide', port: number) => ({
  name,
  role,
  ports: [{ name: 'http', port }],
  readiness: { path: '/healthz', port: 'http' },
  env: [] as { name: string; value: string }[],
});

/** A spec as the ten contributors produce it for a git session with everything switched on. */
export function richSpec(overrides: Partial<SessionSpecInput> = {}): SessionSpec {
  const id = 'sess-42';
  const broker = service('skuld', 'broker', 8081);
  broker.env = [
    { name: 'VOLUNDR_SESSION_ID', value: id },
    { name: 'VOLUNDR_API_URL', value: 'https://volundr.example.test/api' },
  ];
  return ZSessionSpec.parse({
    session: { id, name: 'work', ownerId: 'u-alice', tenantId: 't-1', model: 'claude-sonnet', cli: 'claude' },
    workspace: { volume: 'workspace', mountPath: '/volundr/workspace' },
    home: { enabled: true, volume: 'home', mountPath: '/volundr/home' },
    git: {
      repos: [
        {
          repoUrl: 'https://git.example.test/acme/app',
          cloneUrl: 'https://git.example.test/acme/app.git',
          branch: 'feature/x',
          baseBranch: 'main',
          path: '.',
          credential: { name: 'git-u-alice', key: 'token' },
        },
        {
          repoUrl: 'https://git.example.test/acme/lib',
          cloneUrl: 'https://git.example.test/acme/lib.git',
          branch: 'main',
          path: 'vendor/lib',
          credential: null,
        },
      ],
    },
    agent: {
      systemPrompt: 'You work on the app.',
      setupScripts: ['npm ci', 'echo "done" > .setup-done'],
      terminalRestricted: false,
    },
    gateway: {
      routes: [
        { name: 'chat', pathPrefix: `/s/${id}/ws/chat`, container: 'skuld', port: 'http', websocket: true },
        { name: 'api', pathPrefix: `/s/${id}/api`, container: 'skuld', port: 'http', websocket: false },
        { name: 'terminal', pathPrefix: `/s/${id}/terminal`, container: 'terminal', port: 'http', websocket: true },
        { name: 'ide', pathPrefix: `/s/${id}/ide`, container: 'ide', port: 'http', websocket: true },
      ],
      endpoints: {
        chat: `wss://volundr.example.test/s/${id}/ws/chat`,
        terminal: `https://volundr.example.test/s/${id}/terminal/`,
        code: `https://volundr.example.test/s/${id}/ide/`,
      },
    },
    resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '4Gi', gpu: 1 } },
    isolation: { networkPolicy: 'session', runAsNonRoot: true },
    secrets: { provider: 'vault-agent', credentials: ['anthropic-api-key'] },
    pod: {
      containers: [broker, service('terminal', 'terminal', 7681), service('ide', 'ide', 8443)],
      volumes: [
        { name: 'workspace', source: { kind: 'persistentVolumeClaim', claimName: `s-${id}-workspace` } },
        { name: 'home', source: { kind: 'persistentVolumeClaim', claimName: 'volundr-home-u-alice' } },
        { name: 'tools', source: { kind: 'emptyDir', sizeLimit: '1Gi' } },
        {
          name: 'secrets',
          source: {
            kind: 'csi',
            driver: 'secrets-store.csi.k8s.io',
            readOnly: true,
            attributes: { secretProviderClass: 'x' },
          },
        },
      ],
      volumeMounts: [
        { name: 'workspace', mountPath: '/volundr/workspace' },
        { name: 'home', mountPath: '/volundr/home' },
        { name: 'secrets', mountPath: '/run/secrets/volundr', readOnly: true },
      ],
      env: [
        { name: 'LAYER', value: 'profile' },
        { name: 'ANTHROPIC_API_KEY', secretRef: { name: 'alice-keys', key: 'anthropic' } },
      ],
      labels: { 'app.kubernetes.io/managed-by': 'volundr', 'volundr.io/session-id': id },
      annotations: { 'vault.hashicorp.com/agent-inject': 'true' },
      nodeSelector: { 'volundr.io/gpu': 'true' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      runtimeClassName: 'nvidia',
    },
    ...overrides,
  });
}

/** The smallest spec: no git, no home, no gateway, no network policy. */
export function minimalSpec(): SessionSpec {
  return ZSessionSpec.parse({
    session: {
      id: 'Sess_Min',
      name: 'min',
      ownerId: 'auth0|bob',
      tenantId: 'Tenant One',
      model: 'gpt-codex',
      cli: 'codex',
    },
    workspace: { volume: 'workspace', mountPath: '/volundr/workspace' },
    home: { enabled: false },
    agent: { terminalRestricted: true },
    isolation: { networkPolicy: 'none', runAsNonRoot: true },
    pod: {
      containers: [service('skuld', 'broker', 8081), service('terminal', 'terminal', 7681)],
      volumes: [{ name: 'workspace', source: { kind: 'emptyDir' } }],
    },
  });
}
