import { describe, expect, it } from 'vitest';
import { createKubernetesGateway } from './kubernetes-gateway';
import { homeClaimName, instanceName, sessionKey, userKey } from './session-names';
import { namespaceFor } from './session-namespace';

describe('kubernetesGateway.ensureRoutes', () => {
  it('routes chat, the broker API, terminal and IDE under /s/<id> and gives absolute URLs for the public origin', async () => {
    const gateway = createKubernetesGateway({ publicUrl: 'https://volundr.example.test/' });
    const { routes, endpoints } = await gateway.ensureRoutes({
      sessionId: 'abc',
      name: 'x',
      ownerId: 'u',
      tenantId: 't',
    });
    expect(routes.map((r) => [r.name, r.pathPrefix, r.container])).toEqual([
      ['chat', '/s/abc/ws/chat', 'skuld'],
      ['api', '/s/abc/api', 'skuld'],
      ['terminal', '/s/abc/terminal', 'terminal'],
      ['ide', '/s/abc/ide', 'ide'],
    ]);
    expect(endpoints).toEqual({
      chat: 'wss://volundr.example.test/s/abc/ws/chat',
      terminal: 'https://volundr.example.test/s/abc/terminal/',
      code: 'https://volundr.example.test/s/abc/ide/',
    });
  });

  it('leaves the IDE out when sessions have none and refuses ids that are not path segments', async () => {
    const gateway = createKubernetesGateway({ ide: false });
    const { routes, endpoints } = await gateway.ensureRoutes({
      sessionId: 'abc',
      name: 'x',
      ownerId: 'u',
      tenantId: 't',
    });
    expect(routes.map((r) => r.name)).toEqual(['chat', 'api', 'terminal']);
    expect(endpoints).toEqual({ chat: '/s/abc/ws/chat', terminal: '/s/abc/terminal/', code: null });
    await expect(gateway.ensureRoutes({ sessionId: '../x', name: 'x', ownerId: 'u', tenantId: 't' })).rejects.toThrow(
      'cannot be a URL path segment',
    );
  });
});

describe('session names', () => {
  it('keeps safe ids readable and hashes the rest into valid names', () => {
    expect(sessionKey('abc-1')).toBe('s-abc-1');
    expect(sessionKey('Mixed/Case')).toMatch(/^s-[0-9a-f]{24}$/);
    expect(instanceName('abc-1', 3)).toBe('s-abc-1-3');
    expect(userKey('auth0|bob')).toMatch(/^u-[0-9a-f]{24}$/);
    expect(homeClaimName('alice')).toBe('volundr-home-alice');
    expect(namespaceFor({ namespace: 'ns' }, 'Tenant One')).toBe('ns');
    expect(namespaceFor({ namespace: 'ns', tenantNamespaces: { prefix: 'vt-', create: false } }, 'Tenant One')).toBe(
      'vt-tenant-one',
    );
  });
});
