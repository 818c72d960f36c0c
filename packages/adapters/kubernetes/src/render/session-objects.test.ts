import { describe, expect, it } from 'vitest';
import { ZRuntimeSettings } from '../runtime-settings';
import { validateObject } from '../test/kube-objects';
import { testRuntime } from '../test/kube-session-world';
import { minimalSpec, richSpec } from '../test/session-spec-fixture';
import { renderSessionObjects } from './session-objects';
import type { SessionRenderInput } from './session-render-input';

const input = (spec: SessionRenderInput['spec']): SessionRenderInput => ({
  spec,
  runtime: ZRuntimeSettings.parse(testRuntime),
  namespace: 'volundr-sessions',
  runtimeLabel: 'direct',
  attempt: { id: `${spec.session.id}-1`, number: 1 },
  credentials: { secretName: 'c', reportToken: true, apiUrl: 'https://volundr.example.test' },
});

describe('renderSessionObjects', () => {
  it('renders objects that pass the kubernetes-models schemas', () => {
    for (const spec of [richSpec(), minimalSpec()]) {
      for (const object of Object.values(renderSessionObjects(input(spec)))) if (object) validateObject(object);
    }
  });

  it('gives the IDE its prefix stripped, the terminal its base path, and GPUs as an extended resource', () => {
    const { pod, httpRoute } = renderSessionObjects(input(richSpec()));
    const [broker, terminal, ide] = pod.spec!.containers;
    expect(broker!.resources?.limits).toEqual({ memory: '4Gi', 'nvidia.com/gpu': '1' });
    expect(terminal!.args).toEqual([
      '--port',
      '7681',
      '--base-path',
      '/s/sess-42/terminal',
      '--writable',
      '/bin/bash',
      '-l',
    ]);
    expect(terminal!.readinessProbe).toEqual({ tcpSocket: { port: 'http' }, periodSeconds: 5 });
    expect(ide!.command).toEqual(['code-server']);
    const rules = (httpRoute!.spec as { rules: { filters?: unknown[]; matches: { path: { value: string } }[] }[] })
      .rules;
    // The broker's HTTP API goes to the broker unrewritten (it serves the /s/<id> prefix itself).
    expect(rules.map((r) => [r.matches[0]?.path.value, r.filters !== undefined])).toEqual([
      ['/s/sess-42/ws/chat', false],
      ['/s/sess-42/api', false],
      ['/s/sess-42/terminal', false],
      ['/s/sess-42/ide', true],
    ]);
    // A container's own env replaces the pod-wide entry of the same name; secrets stay references.
    expect(broker!.env).toContainEqual({
      name: 'ANTHROPIC_API_KEY',
      valueFrom: { secretKeyRef: { name: 'alice-keys', key: 'anthropic' } },
    });
  });

  it("lets only the owner's tokens through the route by default; ownerClaim false lets any valid token through", () => {
    const { gateway } = testRuntime;
    const withJwt = (jwt: Record<string, unknown>) => ({
      ...input(richSpec()),
      runtime: ZRuntimeSettings.parse({ ...testRuntime, gateway: { ...gateway, jwt } }),
    });
    const { ownerClaim: _, ...jwt } = gateway.jwt;
    const owned = renderSessionObjects(withJwt(jwt)).securityPolicy!;
    validateObject(owned);
    expect(owned.spec).toMatchObject({
      authorization: {
        defaultAction: 'Deny',
        rules: [
          {
            action: 'Allow',
            principal: { jwt: { claims: [{ name: 'sub', values: [richSpec().session.ownerId] }] } },
          },
        ],
      },
    });
    const oid = renderSessionObjects(withJwt({ ...jwt, ownerClaim: 'oid' })).securityPolicy!;
    expect(JSON.stringify(oid.spec)).toContain('"name":"oid"');
    const open = renderSessionObjects(withJwt({ ...jwt, ownerClaim: false })).securityPolicy!;
    expect(open.spec).not.toHaveProperty('authorization');
  });

  it('refuses a host directory volume with a reason to act on', () => {
    const spec = minimalSpec();
    spec.pod.volumes = [{ name: 'workspace', source: { kind: 'directory', path: '/data/x' } }];
    expect(() => renderSessionObjects(input(spec))).toThrow(/host directory \(\/data\/x\).*Kubernetes storage adapter/);
  });
});
