import { ZPrincipal } from '@volundr/contracts/principal';
import type { Authorization } from '@volundr/core/authz/ports/authorization';
import { DomainError } from '@volundr/core/errors';
import { type OpaContractServer, startOpaContractServer } from '@volundr/testkit/opa-contract-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOpaAuthorization, opa } from './opa';
import { allActions, allResourceKinds, evaluateRules } from './role-rules';
import {
  allowedActions,
  expected,
  expectedListScope,
  principalNames,
  principals,
  resourceFor,
  tenant,
} from './test/decision-table';

/** The input contract of deploy/opa/volundr.rego, checked strictly so a drift in what we send fails. */
const ZPolicyInput = z
  .object({
    principal: ZPrincipal.strict(),
    action: z.enum(allActions),
    resource: z
      .object({
        kind: z.enum(allResourceKinds),
        id: z.string().optional(),
        ownerId: z.string().optional(),
        tenantId: z.string(),
        attributes: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
  })
  .strict();

let server: OpaContractServer;
let authz: Authorization;

beforeAll(async () => {
  server = await startOpaContractServer({
    // Decides as the shipped Rego does (the same table); what is under test is the adapter's
    // side of the data API: the input it sends and how it reads the package document back.
    'volundr.authz': (input) => {
      const { principal, action, resource } = ZPolicyInput.parse(input);
      const decision = evaluateRules(principal, action, resource);
      return {
        allow: decision.allowed,
        reason: decision.reason,
        same_tenant: principal.tenantId === resource.tenantId,
      };
    },
    'broken.authz': () => ({ allow: 'yes' }),
    'failing.authz': () => {
      throw new Error('eval_conflict_error: functions must not produce multiple outputs for same inputs');
    },
  });
  authz = createOpaAuthorization({ url: server.url });
});
afterAll(async () => {
  await server.close();
});

describe('OPA adapter against the data API contract', () => {
  it('sends {input: {principal, action, resource}} to POST /v1/data/<policyPath>', async () => {
    const resource = { ...resourceFor('session', 'instance'), attributes: { repo: 'acme/app' } };
    const decision = await authz.check(principals.admin, 'stop', resource);
    expect(decision).toEqual({ allowed: true, reason: "tenant admin acting on another user's session (owner alice)" });
    expect(server.requests.at(-1)).toEqual({
      method: 'POST',
      path: 'volundr/authz',
      input: { principal: principals.admin, action: 'stop', resource },
    });
  });

  it('gives the table’s decisions on every case', async () => {
    const mismatches: string[] = [];
    for (const kind of allResourceKinds) {
      for (const shape of ['instance', 'collection'] as const) {
        for (const name of principalNames) {
          const want = allActions.filter((a) => (expected[kind][shape][name] ?? []).includes(a));
          const got = await allowedActions(authz, principals[name], kind, shape);
          if (got.join() !== want.join()) mismatches.push(`${name} ${kind} ${shape}: want [${want}] got [${got}]`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('derives listScope from two list decisions', async () => {
    for (const kind of allResourceKinds) {
      for (const name of principalNames) {
        const scope = await authz.listScope(principals[name], kind, tenant);
        expect({ name, kind, scope }).toEqual({ name, kind, scope: expectedListScope[kind][name] ?? 'none' });
      }
    }
  });
});

describe('OPA adapter fails closed', () => {
  const session = resourceFor('session', 'instance');

  it('when the policy package is not loaded (OPA answers without a result)', async () => {
    const missing = createOpaAuthorization({ url: server.url, policyPath: 'volundr/missing' });
    expect(await missing.check(principals.admin, 'read', session)).toEqual({
      allowed: false,
      reason:
        'OPA unavailable, failing closed: OPA has no document at data.volundr.missing: is the Volundr policy loaded?',
    });
    await expect(missing.listScope(principals.admin, 'session', tenant)).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
    });
  });

  it('when the document is not a decision', async () => {
    const broken = createOpaAuthorization({ url: server.url, policyPath: 'broken/authz' });
    const decision = await broken.check(principals.admin, 'read', session);
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toMatch(/data\.broken\.authz is not a decision \(expected \{allow: boolean/);
  });

  it('when policy evaluation fails (HTTP 500)', async () => {
    const failing = createOpaAuthorization({ url: server.url, policyPath: 'failing/authz' });
    expect((await failing.check(principals.admin, 'read', session)).reason).toBe(
      'OPA unavailable, failing closed: OPA answered HTTP 500 internal_error: ' +
        'eval_conflict_error: functions must not produce multiple outputs for same inputs',
    );
  });

  it('when OPA is down', async () => {
    const down = await startOpaContractServer({});
    const url = down.url;
    await down.close();
    const adapter = createOpaAuthorization({ url, timeoutMs: 2_000 });
    const decision = await adapter.check(principals.admin, 'read', session);
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toMatch(/^OPA unavailable, failing closed: .*ECONNREFUSED/);
    const scope = adapter.listScope(principals.admin, 'session', tenant);
    await expect(scope).rejects.toBeInstanceOf(DomainError);
  });
});

describe('opa adapter definition', () => {
  it('validates its options strictly and applies defaults', () => {
    expect(opa.port).toBe('authorization');
    expect(opa.options.parse({})).toEqual({
      url: 'http://localhost:8181',
      policyPath: 'volundr/authz',
      timeoutMs: 5_000,
    });
    expect(opa.options.safeParse({ policyPath: 'data.volundr.authz' }).error?.issues[0]?.message).toBe(
      'expected a path like volundr/authz',
    );
    expect(opa.options.safeParse({ policyPath: '/volundr/authz' }).success).toBe(false);
    expect(opa.options.safeParse({ package: 'volundr.authz' }).success).toBe(false);
  });
});
