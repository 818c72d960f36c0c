import type { Principal } from '@volundr/contracts/principal';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { Action, Authorization, Decision, Resource } from '@volundr/core/authz/ports/authorization';
import { DomainError } from '@volundr/core/errors';
import { z } from 'zod';
import { listScopeFrom, listScopeProbes } from './list-scope';
import { messageOf, PolicyEngineUnavailable, postJson } from './post-json';

export const ZOpaOptions = z
  .object({
    /** Base URL of the OPA server. */
    url: z.url().default('http://localhost:8181'),
    /** Slash-separated path of the policy package's document (`package volundr.authz` → `volundr/authz`). */
    policyPath: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/, 'expected a path like volundr/authz')
      .default('volundr/authz'),
    /** How long to wait for a decision before denying. */
    timeoutMs: z.number().int().positive().max(60_000).default(5_000),
  })
  .strict();
export type OpaOptions = z.input<typeof ZOpaOptions>;

/** What OPA's data API answers; `result` is absent when the path names no document. */
const ZDataResponse = z.object({ result: z.unknown().optional() });
const ZOpaError = z.object({ code: z.string(), message: z.string() });
/** The decision our policy's package document must hold (other rules of the package are ignored). */
const ZPolicyDecision = z.object({ allow: z.boolean(), reason: z.string().optional() });

/** The `input` document the Rego policy reads: `input.principal`, `input.action`, `input.resource`. */
export interface OpaInput {
  principal: Principal;
  action: Action;
  resource: Resource;
}

export function createOpaAuthorization(input: OpaOptions = {}): Authorization {
  const options = ZOpaOptions.parse(input);
  const endpoint = new URL(`/v1/data/${options.policyPath}`, options.url).toString();
  const document = `data.${options.policyPath.replaceAll('/', '.')}`;

  /** One decision from OPA; throws when there is no usable one. */
  async function ask(principal: Principal, action: Action, resource: Resource): Promise<Decision> {
    const body: { input: OpaInput } = { input: { principal, action, resource } };
    const reply = await postJson(endpoint, body, options.timeoutMs);
    if (reply.status !== 200) {
      const error = ZOpaError.safeParse(reply.body);
      throw new PolicyEngineUnavailable(
        `OPA answered HTTP ${reply.status}${error.success ? ` ${error.data.code}: ${error.data.message}` : ''}`,
      );
    }
    const answer = ZDataResponse.safeParse(reply.body);
    if (!answer.success) throw new PolicyEngineUnavailable('OPA answer is not a data API response');
    if (answer.data.result === undefined) {
      throw new PolicyEngineUnavailable(`OPA has no document at ${document}: is the Volundr policy loaded?`);
    }
    const decision = ZPolicyDecision.safeParse(answer.data.result);
    if (!decision.success) {
      throw new PolicyEngineUnavailable(
        `${document} is not a decision (expected {allow: boolean, reason?: string}): ${decision.error.message}`,
      );
    }
    const { allow, reason } = decision.data;
    return { allowed: allow, reason: reason ?? (allow ? `allowed by ${document}` : `denied by ${document}`) };
  }

  return {
    async check(principal, action, resource) {
      try {
        return await ask(principal, action, resource);
      } catch (error) {
        return { allowed: false, reason: `OPA unavailable, failing closed: ${messageOf(error)}` };
      }
    },
    async listScope(principal, kind, tenantId) {
      const { others, own } = listScopeProbes(principal, kind, tenantId);
      try {
        // OPA's data API takes one input per query: ask both probes at once.
        const [othersDecision, ownDecision] = await Promise.all([
          ask(principal, 'list', others),
          ask(principal, 'list', own),
        ]);
        return listScopeFrom(othersDecision.allowed, ownDecision.allowed);
      } catch (error) {
        // Closed, but loud: an empty list would tell the user they have nothing, which is a lie.
        throw new DomainError('DEPENDENCY_UNAVAILABLE', `OPA unavailable: ${messageOf(error)}`, { adapter: 'opa' });
      }
    },
  };
}

export const opa = defineAdapter({
  port: 'authorization',
  options: ZOpaOptions,
  create: (options): Authorization => createOpaAuthorization(options),
});
