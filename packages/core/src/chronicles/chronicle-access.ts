import type { Principal } from '@volundr/contracts/principal';
import type { Action, Authorization, Resource } from '../authz/ports/authorization';
import { DomainError } from '../errors';
import type { ChronicleRecord } from './chronicle-record';
import type { Chronicles } from './ports/chronicles';
import type { SessionFacts, SessionLookup } from './ports/session-lookup';

export const chronicleResource = (c: Pick<ChronicleRecord, 'id' | 'ownerId' | 'tenantId' | 'status'>): Resource => ({
  kind: 'chronicle',
  id: c.id,
  ownerId: c.ownerId,
  tenantId: c.tenantId,
  attributes: { status: c.status },
});

export const sessionFactsResource = (s: Pick<SessionFacts, 'id' | 'ownerId' | 'tenantId' | 'state'>): Resource => ({
  kind: 'session',
  id: s.id,
  ownerId: s.ownerId,
  tenantId: s.tenantId,
  attributes: { state: s.state },
});

export const chronicleNotFound = (id: string) =>
  new DomainError('CHRONICLE_NOT_FOUND', `No chronicle ${id}`, { chronicleId: id });

const sessionNotFound = (id: string) => new DomainError('SESSION_NOT_FOUND', `No session ${id}`, { sessionId: id });

const words = (action: Action) => action.replace('_', ' ');

/**
 * Asks the Authorization port; what the principal may not even read is reported as missing
 * (its existence is not revealed), what it may read but not act on is FORBIDDEN.
 */
async function authorizeOn(
  authorization: Authorization,
  principal: Principal,
  action: Action,
  resource: Resource,
  notFound: () => DomainError,
  what: string,
): Promise<void> {
  if ((await authorization.check(principal, action, resource)).allowed) return;
  if (action !== 'read' && (await authorization.check(principal, 'read', resource)).allowed) {
    throw new DomainError('FORBIDDEN', `You may not ${words(action)} ${what}`, { action, id: resource.id });
  }
  throw notFound();
}

/** Loads a chronicle the principal may do `action` on. Another tenant's is never visible. */
export async function loadChronicleFor(
  deps: { chronicles: Chronicles; authorization: Authorization },
  principal: Principal,
  id: string,
  action: Action,
): Promise<ChronicleRecord> {
  const chronicle = await deps.chronicles.byId(id);
  if (!chronicle || chronicle.tenantId !== principal.tenantId) throw chronicleNotFound(id);
  await authorizeOn(
    deps.authorization,
    principal,
    action,
    chronicleResource(chronicle),
    () => chronicleNotFound(id),
    `chronicle ${id}`,
  );
  return chronicle;
}

/** Loads a session the principal may do every one of `actions` on. */
export async function loadSessionFactsFor(
  deps: { sessions: SessionLookup; authorization: Authorization },
  principal: Principal,
  id: string,
  actions: readonly Action[],
): Promise<SessionFacts> {
  const session = await deps.sessions.byId(id);
  if (!session || session.tenantId !== principal.tenantId) throw sessionNotFound(id);
  for (const action of actions) {
    await authorizeOn(
      deps.authorization,
      principal,
      action,
      sessionFactsResource(session),
      () => sessionNotFound(id),
      `session "${session.name}"`,
    );
  }
  return session;
}
