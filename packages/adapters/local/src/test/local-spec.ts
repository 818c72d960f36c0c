/**
 * SessionSpecs as the core's contributors build them for the local runtime (core services,
 * local directory storage, local routes), for tests and the benchmark.
 */
import { join } from 'node:path';
import { type SessionSpec, type SessionSpecInput, ZSessionSpec } from '@volundr/contracts/session-spec';

export interface LocalSpecOptions {
  dataDir: string;
  id: string;
  ownerId?: string;
  tenantId?: string;
  repo?: { url: string; branch?: string; baseBranch?: string; credential?: { name: string; key: string } };
  setupScripts?: string[];
  ide?: boolean;
  env?: Record<string, string>;
}

const service = (name: string, role: 'broker' | 'terminal' | 'ide', port: number, readiness: string) => ({
  name,
  role,
  ports: [{ name: 'http', port }],
  readiness: { path: readiness, port: 'http' },
});

export function aLocalSpec(options: LocalSpecOptions): SessionSpec {
  const ownerId = options.ownerId ?? 'owner-1';
  const containers = [service('skuld', 'broker', 8081, '/readyz'), service('terminal', 'terminal', 7681, '/healthz')];
  if (options.ide !== false) containers.push(service('ide', 'ide', 8443, '/healthz'));
  const input: SessionSpecInput = {
    session: {
      id: options.id,
      name: `s-${options.id}`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-')
        .slice(0, 63),
      ownerId,
      tenantId: options.tenantId ?? 'tenant-1',
      model: 'claude-sonnet-4-5',
      cli: 'claude',
    },
    workspace: { volume: 'workspace', mountPath: '/volundr/workspace' },
    home: { enabled: true, volume: 'home', mountPath: '/volundr/home' },
    ...(options.repo
      ? {
          git: {
            repos: [
              {
                repoUrl: options.repo.url,
                cloneUrl: options.repo.url,
                branch: options.repo.branch ?? 'main',
                ...(options.repo.baseBranch ? { baseBranch: options.repo.baseBranch } : {}),
                path: '.',
                credential: options.repo.credential ?? null,
              },
            ],
          },
        }
      : {}),
    agent: { setupScripts: options.setupScripts ?? [] },
    pod: {
      containers,
      volumes: [
        {
          name: 'workspace',
          source: { kind: 'directory', path: join(options.dataDir, 'sessions', options.id, 'workspace') },
        },
        { name: 'home', source: { kind: 'directory', path: join(options.dataDir, 'homes', ownerId) } },
      ],
      volumeMounts: [
        { name: 'workspace', mountPath: '/volundr/workspace' },
        { name: 'home', mountPath: '/volundr/home' },
      ],
      env: Object.entries(options.env ?? {}).map(([name, value]) => ({ name, value })),
    },
  };
  return ZSessionSpec.parse(input);
}
