import type { Principal } from '@volundr/contracts/principal';
import type { Action, Authorization, Resource } from '../authz/ports/authorization';
import { DomainError } from '../errors';
import type { Sessions } from './ports/sessions';
import type { SessionRecord } from './session-record';

export const sessionResource = (s: Pick<SessionRecord, 'id' | 'ownerId' | 'tenantId' | 'state'>): Resource => ({
  kind: 'session',
  id: s.id,
  ownerId: s.ownerId,
  tenantId: s.tenantId,
  attributes: { state: s.state },
});

const notFound = (id: string) => new DomainError('SESSION_NOT_FOUND', `No session ${id}`, { sessionId: id });

/**
 * Loads a session and asks whether `principal` may do `action` on it. A session the
 * principal may not even read answers SESSION_NOT_FOUND (its existence is not revealed);
 * one it may read but not act on answers FORBIDDEN.
 */
export async function loadSessionFor(
  deps: { sessions: Sessions; authorization: Authorization },
  principal: Principal,
  id: string,
  action: Action,
  attributes: Record<string, unknown> = {},
): Promise<SessionRecord> {
  const session = await deps.sessions.byId(id);
  // Another tenant's session is never visible, whatever a policy says.
  if (!session || session.tenantId !== principal.tenantId) throw notFound(id);
  await authorize(deps.authorization, principal, action, session, attributes);
  return session;
}

/** `attributes` are added to the resource's (a policy may use them; the audit entry names them). */
export async function authorize(
  authorization: Authorization,
  principal: Principal,
  action: Action,
  session: SessionRecord,
  attributes: Record<string, unknown> = {},
): Promise<void> {
  const base = sessionResource(session);
  const resource = { ...base, attributes: { ...base.attributes, ...attributes } };
  const decision = await authorization.check(principal, action, resource);
  if (decision.allowed) return;
  if (action !== 'read' && (await authorization.check(principal, 'read', resource)).allowed) {
    throw new DomainError('FORBIDDEN', `You may not ${action.replace('_', ' ')} session "${session.name}"`, {
      sessionId: session.id,
      action,
    });
  }
  throw notFound(session.id);
}

/** Collection-level check (create) on the principal's own tenant. */
export async function authorizeCreate(authorization: Authorization, principal: Principal): Promise<void> {
  const decision = await authorization.check(principal, 'create', {
    kind: 'session',
    tenantId: principal.tenantId,
    ownerId: principal.userId,
  });
  if (!decision.allowed) throw new DomainError('FORBIDDEN', 'You may not create sessions');
}
