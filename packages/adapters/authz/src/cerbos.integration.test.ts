import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { Authorization } from '@volundr/core/authz/ports/authorization';
import { DomainError } from '@volundr/core/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinRolesAuthorization } from './builtin-roles';
import { cerbos, createCerbosAuthorization } from './cerbos';
import { allActions, allResourceKinds } from './role-rules';
import { type RunningPdp, startCerbosPdp } from './test/cerbos-pdp';
import {
  allowedActions,
  expected,
  expectedListScope,
  otherTenant,
  principalNames,
  principals,
  resourceFor,
  tenant,
} from './test/decision-table';

const builtin = createBuiltinRolesAuthorization();
let pdp: RunningPdp;
let authz: Authorization;

beforeAll(async () => {
  pdp = await startCerbosPdp();
  authz = createCerbosAuthorization({ url: pdp.url, timeoutMs: 5_000 });
});
afterAll(async () => {
  await pdp?.stop();
});

describe('Cerbos adapter against the real PDP with the shipped policies', () => {
  it('gives the same decisions as the built-in adapter and the table, on every case', async () => {
    const mismatches: string[] = [];
    let cases = 0;
    for (const kind of allResourceKinds) {
      for (const shape of ['instance', 'collection'] as const) {
        for (const name of principalNames) {
          const want = allActions.filter((a) => (expected[kind][shape][name] ?? []).includes(a));
          const [fromCerbos, fromBuiltin] = await Promise.all([
            allowedActions(authz, principals[name], kind, shape),
            allowedActions(builtin, principals[name], kind, shape),
          ]);
          cases += allActions.length;
          if (fromCerbos.join() !== want.join() || fromBuiltin.join() !== want.join()) {
            mismatches.push(
              `${name} ${kind} ${shape}: table [${want}] cerbos [${fromCerbos}] built-in [${fromBuiltin}]`,
            );
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(cases).toBe(allResourceKinds.length * 2 * principalNames.length * allActions.length);
  });

  it('gives the built-in adapter’s reason for every allowed case (the audit log reads the same)', async () => {
    const different: string[] = [];
    for (const kind of allResourceKinds) {
      for (const shape of ['instance', 'collection'] as const) {
        for (const name of principalNames) {
          const resource = resourceFor(kind, shape);
          for (const action of expected[kind][shape][name] ?? []) {
            const [a, b] = await Promise.all([
              authz.check(principals[name], action, resource),
              builtin.check(principals[name], action, resource),
            ]);
            if (a.reason !== b.reason) different.push(`${name} ${action} ${kind}: "${a.reason}" vs "${b.reason}"`);
          }
        }
      }
    }
    expect(different).toEqual([]);
    expect((await authz.check(principals.admin, 'chat', resourceFor('session', 'instance'))).reason).toBe(
      "tenant admin acting on another user's session (owner alice)",
    );
  });

  it('derives the same listScope as the built-in adapter', async () => {
    for (const kind of allResourceKinds) {
      for (const name of principalNames) {
        const [fromCerbos, fromBuiltin] = await Promise.all([
          authz.listScope(principals[name], kind, tenant),
          builtin.listScope(principals[name], kind, tenant),
        ]);
        const want = expectedListScope[kind][name] ?? 'none';
        expect({ name, kind, fromCerbos, fromBuiltin }).toEqual({ name, kind, fromCerbos: want, fromBuiltin: want });
      }
      expect(await authz.listScope(principals.admin, kind, otherTenant)).toBe('none');
    }
  });

  it('cannot be talked into another tenant or owner through free-form attributes', async () => {
    const spoofed = { ...resourceFor('session', 'instance'), attributes: { ownerId: 'bob', tenantId: otherTenant } };
    expect((await authz.check(principals.developer, 'read', spoofed)).allowed).toBe(false);
    expect((await authz.check(principals.owner, 'stop', spoofed)).allowed).toBe(true);
  });

  it('denies with Cerbos’ own message when the PDP rejects the request', async () => {
    const nameless = { ...principals.owner, userId: '' };
    const decision = await authz.check(nameless, 'read', resourceFor('session', 'instance'));
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toMatch(
      /^Cerbos PDP unavailable, failing closed: Cerbos answered HTTP 400: .*principal\.id/,
    );
  });
});

describe('Cerbos adapter fails closed', () => {
  async function serve(handler: Parameters<typeof createHttpServer>[1]): Promise<{ url: string; server: Server }> {
    const server = createHttpServer(handler);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address() as { port: number };
    return { url: `http://127.0.0.1:${address.port}`, server };
  }

  it('when the PDP is stopped: check denies with the reason, listScope refuses loudly', async () => {
    const local = await startCerbosPdp();
    const adapter = createCerbosAuthorization({ url: local.url, timeoutMs: 2_000 });
    const session = resourceFor('session', 'instance');
    expect((await adapter.check(principals.owner, 'read', session)).allowed).toBe(true);
    await local.stop();

    const decision = await adapter.check(principals.owner, 'read', session);
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toMatch(/^Cerbos PDP unavailable, failing closed: .*ECONNREFUSED/);
    const admin = await adapter.check(principals.admin, 'read', session);
    expect(admin.allowed).toBe(false);
    const scope = adapter.listScope(principals.admin, 'session', tenant);
    await expect(scope).rejects.toBeInstanceOf(DomainError);
    await expect(scope).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });

  it('when the PDP does not answer in time', async () => {
    const silent = createTcpServer(() => {
      /* accept and never answer */
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as { port: number };
    try {
      const adapter = createCerbosAuthorization({ url: `http://127.0.0.1:${port}`, timeoutMs: 300 });
      const started = Date.now();
      const decision = await adapter.check(principals.admin, 'read', resourceFor('session', 'instance'));
      expect(decision).toEqual({
        allowed: false,
        reason: expect.stringMatching(/failing closed: .*no answer within 300 ms/),
      });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      silent.close();
    }
  });

  it('when the answer is not a Cerbos answer', async () => {
    const bodies = ['<html>proxy error</html>', '{"results":[{"oops":true}]}', '{"results":[]}'];
    const { url, server } = await serve((_, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(bodies.shift());
    });
    try {
      const adapter = createCerbosAuthorization({ url, timeoutMs: 2_000 });
      const session = resourceFor('session', 'instance');
      const reasons = [];
      for (let i = 0; i < 3; i++) {
        const decision = await adapter.check(principals.admin, 'read', session);
        expect(decision.allowed).toBe(false);
        reasons.push(decision.reason);
      }
      expect(reasons[0]).toMatch(/not JSON: <html>proxy error/);
      expect(reasons[1]).toMatch(/not a CheckResourcesResponse/);
      expect(reasons[2]).toMatch(/no result for session session-1/);
    } finally {
      server.close();
    }
  });
});

describe('cerbos adapter definition', () => {
  it('validates its options strictly and applies defaults', () => {
    expect(cerbos.port).toBe('authorization');
    expect(cerbos.options.parse({})).toEqual({ url: 'http://localhost:3592', timeoutMs: 5_000 });
    expect(cerbos.options.safeParse({ url: 'not a url' }).success).toBe(false);
    expect(cerbos.options.safeParse({ timeoutMs: 0 }).success).toBe(false);
    const unknown = cerbos.options.safeParse({ uri: 'http://x' });
    expect(unknown.success).toBe(false);
    expect(JSON.stringify(unknown.error?.issues)).toContain('uri');
  });
});
