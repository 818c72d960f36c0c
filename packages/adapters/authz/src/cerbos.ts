import type { Principal } from '@volundr/contracts/principal';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { Action, Authorization, Decision, Resource } from '@volundr/core/authz/ports/authorization';
import { DomainError } from '@volundr/core/errors';
import { z } from 'zod';
import { listScopeFrom, listScopeProbes } from './list-scope';
import { messageOf, PolicyEngineUnavailable, postJson } from './post-json';

export const ZCerbosOptions = z
  .object({
    /** Base URL of the Cerbos PDP's HTTP API. */
    url: z.url().default('http://localhost:3592'),
    /** How long to wait for a decision before denying. */
    timeoutMs: z.number().int().positive().max(60_000).default(5_000),
  })
  .strict();
export type CerbosOptions = z.input<typeof ZCerbosOptions>;

/** The parts of Cerbos' `CheckResourcesResponse` we rely on; anything else is ignored. */
const ZCheckResourcesResponse = z.object({
  results: z.array(
    z.object({
      resource: z.object({ id: z.string(), kind: z.string() }),
      actions: z.record(z.string(), z.string()),
      outputs: z.array(z.object({ src: z.string(), val: z.unknown(), action: z.string().optional() })).optional(),
      meta: z
        .object({ actions: z.record(z.string(), z.object({ matchedPolicy: z.string().optional() })).optional() })
        .optional(),
    }),
  ),
});
type CheckResult = z.infer<typeof ZCheckResourcesResponse>['results'][number];

const ZCerbosError = z.object({ message: z.string() });

/** Cerbos resource ids must be non-empty; collection checks (create, list) have none. */
const collectionId = '_collection';

function toCerbosPrincipal(principal: Principal) {
  const attr: Record<string, unknown> = { tenantId: principal.tenantId };
  if (principal.email !== null) attr.email = principal.email;
  if (principal.name !== null) attr.name = principal.name;
  return { id: principal.userId, roles: principal.roles, attr };
}

function toCerbosResource(resource: Resource) {
  // Our two attributes last, so free-form attributes can never spoof tenant or owner.
  const attr: Record<string, unknown> = { ...resource.attributes, tenantId: resource.tenantId };
  if (resource.ownerId !== undefined) attr.ownerId = resource.ownerId;
  else delete attr.ownerId;
  return { kind: resource.kind, id: resource.id ?? collectionId, attr };
}

export function createCerbosAuthorization(input: CerbosOptions = {}): Authorization {
  const options = ZCerbosOptions.parse(input);
  const endpoint = new URL('/api/check/resources', options.url).toString();

  /** One PDP round trip for one action on several resources; throws when there is no usable answer. */
  async function ask(principal: Principal, action: Action, resources: Resource[]): Promise<CheckResult[]> {
    const body = {
      requestId: crypto.randomUUID(),
      includeMeta: true,
      principal: toCerbosPrincipal(principal),
      resources: resources.map((resource) => ({ actions: [action], resource: toCerbosResource(resource) })),
    };
    const reply = await postJson(endpoint, body, options.timeoutMs);
    if (reply.status !== 200) {
      const error = ZCerbosError.safeParse(reply.body);
      throw new PolicyEngineUnavailable(
        `Cerbos answered HTTP ${reply.status}${error.success ? `: ${error.data.message}` : ''}`,
      );
    }
    const parsed = ZCheckResourcesResponse.safeParse(reply.body);
    if (!parsed.success) {
      throw new PolicyEngineUnavailable(`Cerbos answer is not a CheckResourcesResponse: ${parsed.error.message}`);
    }
    return resources.map((resource) => {
      const id = resource.id ?? collectionId;
      const result = parsed.data.results.find((r) => r.resource.id === id && r.resource.kind === resource.kind);
      if (!result) throw new PolicyEngineUnavailable(`Cerbos answer has no result for ${resource.kind} ${id}`);
      return result;
    });
  }

  function decisionOf(result: CheckResult, action: Action): Decision {
    const effect = result.actions[action];
    const policy = result.meta?.actions?.[action]?.matchedPolicy || 'no matching policy';
    // Our policies attach the reason to every allowing rule as an output; Cerbos lists them in
    // rule order, so the first is the same reason the built-in adapter gives (first rule wins).
    const reason = (result.outputs ?? []).find(
      (output) => (output.action === undefined || output.action === action) && typeof output.val === 'string',
    )?.val as string | undefined;
    if (effect === 'EFFECT_ALLOW') {
      return { allowed: true, reason: reason ?? `allowed by Cerbos (${policy})` };
    }
    return { allowed: false, reason: `denied by Cerbos: no rule allows ${action} (${policy})` };
  }

  return {
    async check(principal, action, resource) {
      // Cerbos rejects a principal without roles; such a principal may do nothing anyway.
      if (principal.roles.length === 0) return { allowed: false, reason: 'principal has no Volundr role' };
      try {
        const [result] = await ask(principal, action, [resource]);
        return decisionOf(result!, action);
      } catch (error) {
        return { allowed: false, reason: `Cerbos PDP unavailable, failing closed: ${messageOf(error)}` };
      }
    },
    async listScope(principal, kind, tenantId) {
      if (principal.roles.length === 0) return 'none';
      const { others, own } = listScopeProbes(principal, kind, tenantId);
      let results: CheckResult[];
      try {
        results = await ask(principal, 'list', [others, own]);
      } catch (error) {
        // Closed, but loud: an empty list would tell the user they have nothing, which is a lie.
        throw new DomainError('DEPENDENCY_UNAVAILABLE', `Cerbos PDP unavailable: ${messageOf(error)}`, {
          adapter: 'cerbos',
        });
      }
      return listScopeFrom(decisionOf(results[0]!, 'list').allowed, decisionOf(results[1]!, 'list').allowed);
    },
  };
}

export const cerbos = defineAdapter({
  port: 'authorization',
  options: ZCerbosOptions,
  create: (options): Authorization => createCerbosAuthorization(options),
});
