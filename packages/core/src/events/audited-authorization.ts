import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import { DomainError } from '../errors';
import type { Clock } from '../shared/ports/clock';
import type { Logger } from '../shared/ports/logger';
import type { AuditLog } from './ports/audit-log';

/**
 * The Authorization port, recording the decisions an auditor asks about:
 * - `authz.acted_on_other`: an allowed action (lists excepted) on one resource that another user
 *   owns — a tenant admin on Alice's session, a viewer reading it — with the policy's reason;
 * - `authz.denied`: a refused action other than read/list (a read refusal is how existence is
 *   hidden, and lists are narrowed, not refused).
 * The entry is written before the decision is returned, so an allowed action on someone else's
 * resource never happens unrecorded: if the audit log cannot be written, the action is refused.
 */
export function auditedAuthorization(
  inner: Authorization,
  deps: { audit: AuditLog; clock: Clock; logger: Logger },
): Authorization {
  return {
    listScope: (principal, kind, tenantId) => inner.listScope(principal, kind, tenantId),
    async check(principal, action, resource) {
      const decision = await inner.check(principal, action, resource);
      const onOther =
        resource.id !== undefined && resource.ownerId !== undefined && resource.ownerId !== principal.userId;
      const entry = {
        tenantId: resource.tenantId,
        actorId: principal.userId,
        resource: { kind: resource.kind, id: resource.id ?? null, ownerId: resource.ownerId ?? null },
        reason: decision.reason ?? null,
        data: { action, ...serviceOf(resource.attributes), ...sessionScope(principal) },
        at: deps.clock.now(),
      };
      if (decision.allowed && onOther && action !== 'list') {
        try {
          await deps.audit.record({ ...entry, action: 'authz.acted_on_other' });
        } catch (error) {
          deps.logger.error({ err: error, action, resource }, 'audit entry not written; refusing the action');
          throw new DomainError(
            'DEPENDENCY_UNAVAILABLE',
            'The audit log cannot be written right now, so actions on other users’ resources are refused. Try again shortly.',
          );
        }
      } else if (!decision.allowed && action !== 'read' && action !== 'list') {
        await deps.audit.record({ ...entry, action: 'authz.denied' }).catch((error: unknown) => {
          deps.logger.error({ err: error, action, resource }, 'audit entry of a refusal not written');
        });
      }
      return decision;
    },
  };
}

/** The session service a gateway opened (`openSessionService`), named in the entry. */
const serviceOf = (attributes: Record<string, unknown> | undefined) =>
  typeof attributes?.service === 'string' ? { service: attributes.service } : {};

const sessionScope = (principal: Principal) => (principal.sessionScope ? { sessionScope: principal.sessionScope } : {});
