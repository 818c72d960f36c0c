import { describe, expect, it } from 'vitest';
import { ZSessionEvent } from './session-events';
import { ZCloneUrl, ZSessionSpec } from './session-spec';
import { ZCreateSessionInput, ZListSessionsInput, ZSessionName, ZUpdateSessionInput } from './sessions';

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('ZSessionName (RFC 1123 label)', () => {
  it.each(['a', 'api-2', '0day', 'a'.repeat(63)])('accepts %s', (name) => {
    expect(ZSessionName.safeParse(name).success).toBe(true);
  });
  it.each(['', 'A', 'has_underscore', '-lead', 'trail-', 'dot.ted', 'a'.repeat(64), 'spa ce'])('refuses %j', (name) => {
    expect(ZSessionName.safeParse(name).success).toBe(false);
  });
});

describe('ZCreateSessionInput', () => {
  const base = { name: 'work', model: 'claude-sonnet', source: { type: 'blank' } };

  it('starts by default and accepts a git source', () => {
    expect(ZCreateSessionInput.parse(base).start).toBe(true);
    const git = ZCreateSessionInput.parse({
      ...base,
      source: { type: 'git', repo: 'git@host:org/repo.git', branch: 'feat/x' },
    });
    expect(git.source).toEqual({ type: 'git', repo: 'git@host:org/repo.git', branch: 'feat/x' });
  });

  it.each([
    [{ ...base, source: { type: 'git', repo: 'https://h/r' } }, 'source.branch'],
    [{ ...base, source: { type: 'git', repo: 'https://h/r', branch: 'x', token: 't' } }, 'source'],
    [{ ...base, initialPrompt: 'x'.repeat(100_001) }, 'initialPrompt'],
    [{ ...base, idleTimeoutMinutes: 0 }, 'idleTimeoutMinutes'],
    [{ ...base, credentialNames: Array(51).fill('c') }, 'credentialNames'],
    [{ ...base, resources: { cpu: '500m', gpu: -1 } }, 'resources.gpu'],
    [{ ...base, model: 'has space' }, 'model'],
  ])('refuses %# naming the field', (input, path) => {
    expect(paths(ZCreateSessionInput.safeParse(input))).toContain(path);
  });
});

describe('other inputs', () => {
  it('caps list pages at 100 and asks updates for something to change', () => {
    expect(ZListSessionsInput.parse({})).toEqual({ includeArchived: false, limit: 50 });
    expect(ZListSessionsInput.safeParse({ limit: 101 }).success).toBe(false);
    expect(ZUpdateSessionInput.safeParse({ id: 's' }).success).toBe(false);
  });
});

describe('ZCloneUrl', () => {
  it.each(['https://git.example.test/org/repo.git', 'ssh://git@host/org/repo.git', 'git@host:org/repo.git'])(
    'accepts %s',
    (url) => expect(ZCloneUrl.safeParse(url).success).toBe(true),
  );
  it.each([
    'https://ghp_abc@github.com/org/repo.git',
    'https://x-access-token:abc@github.com/o/r',
    'ssh://git:pw@host/r',
  ])('refuses credentials in %s', (url) => expect(ZCloneUrl.safeParse(url).success).toBe(false));
});

describe('ZSessionSpec', () => {
  const spec = {
    session: { id: 's', name: 'n', ownerId: 'u', tenantId: 't', model: 'm', cli: 'claude' },
    workspace: { volume: 'workspace', mountPath: '/w' },
    home: { enabled: false },
    agent: {},
    pod: {
      containers: [
        {
          name: 'skuld',
          role: 'broker',
          ports: [{ name: 'http', port: 8081 }],
          readiness: { path: '/healthz', port: 'http' },
        },
      ],
      volumes: [{ name: 'workspace', source: { kind: 'emptyDir' } }],
      volumeMounts: [{ name: 'workspace', mountPath: '/w' }],
    },
  };

  it('accepts a minimal spec and fills defaults', () => {
    const parsed = ZSessionSpec.parse(spec);
    expect(parsed.pod.env).toEqual([]);
    expect(parsed.agent).toEqual({ mcpServers: [], setupScripts: [], terminalRestricted: false });
  });

  it.each([
    [{ ...spec, pod: { ...spec.pod, volumeMounts: [{ name: 'ghost', mountPath: '/g' }] } }, 'pod.volumeMounts.0.name'],
    [{ ...spec, workspace: { volume: 'missing', mountPath: '/w' } }, 'workspace.volume'],
    [{ ...spec, home: { enabled: true } }, 'home'],
    [
      { ...spec, pod: { ...spec.pod, env: [{ name: 'A', value: '1', secretRef: { name: 's', key: 'k' } }] } },
      'pod.env.0',
    ],
    [
      { ...spec, pod: { ...spec.pod, containers: [...spec.pod.containers, spec.pod.containers[0]] } },
      'pod.containers.1',
    ],
    [
      {
        ...spec,
        gateway: {
          routes: [{ name: 'chat', pathPrefix: '/s', container: 'skuld', port: 'ws' }],
          endpoints: { chat: null, code: null, terminal: null },
        },
      },
      'gateway.routes.0.port',
    ],
    [{ ...spec, surprise: 1 }, ''],
  ])('refuses an inconsistent spec %# with the path', (value, path) => {
    expect(paths(ZSessionSpec.safeParse(value))).toContain(path);
  });
});

describe('ZSessionEvent', () => {
  it('parses an envelope with a typed body and refuses an unknown type', () => {
    const envelope = { id: '7', sessionId: 's', tenantId: 't', ownerId: 'u', createdAt: '2026-01-01T00:00:00.000Z' };
    expect(
      ZSessionEvent.safeParse({ ...envelope, type: 'container_ready', data: { container: 'ide', ready: 1, total: 3 } })
        .success,
    ).toBe(true);
    expect(ZSessionEvent.safeParse({ ...envelope, type: 'teleported', data: {} }).success).toBe(false);
    expect(ZSessionEvent.safeParse({ ...envelope, id: 'x', type: 'session_deleted', data: {} }).success).toBe(false);
  });
});
