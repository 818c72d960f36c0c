/**
 * Who is opening a chat connection (or calling the HTTP API), and may they do it in this
 * session? The bearer token comes from the `Authorization` header or, for browsers (which
 * cannot set WebSocket headers), the `access_token` query parameter; it is validated by the
 * Identity port (issuer, audience, signature, expiry), then the Authorization port must allow
 * the action on this session: `chat` for the chat, `read` for the diff endpoints.
 */
import type { IncomingMessage } from 'node:http';
import type { Principal } from '@volundr/contracts/principal';
import type { Action, Authorization } from '@volundr/core/authz/ports/authorization';
import { isDomainError } from '@volundr/core/errors';
import type { Identity } from '@volundr/core/identity/ports/identity';

export interface SessionResource {
  sessionId: string;
  ownerId: string;
  tenantId: string;
}

export type ConnectionDecision =
  | { ok: true; principal: Principal }
  | { ok: false; status: 'unauthenticated' | 'forbidden' | 'unavailable'; reason: string };

export async function authorizeConnection(
  request: IncomingMessage,
  url: URL,
  deps: { identity: Identity; authorization: Authorization; session: SessionResource; action?: Action },
): Promise<ConnectionDecision> {
  const action = deps.action ?? 'chat';
  const header = request.headers.authorization;
  const queryToken = url.searchParams.get('access_token');
  const authorization = header ?? (queryToken ? `Bearer ${queryToken}` : undefined);
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  let principal: Principal | null;
  try {
    principal = await deps.identity.authenticate({
      authorization,
      headers,
      remoteAddress: request.socket.remoteAddress,
    });
  } catch (error) {
    if (isDomainError(error) && error.code === 'UNAUTHENTICATED') {
      return { ok: false, status: 'unauthenticated', reason: error.message };
    }
    if (isDomainError(error) && error.code === 'DEPENDENCY_UNAVAILABLE') {
      return { ok: false, status: 'unavailable', reason: error.message };
    }
    throw error;
  }
  if (!principal) return { ok: false, status: 'unauthenticated', reason: 'no bearer token' };
  const decision = await deps.authorization.check(principal, action, {
    kind: 'session',
    id: deps.session.sessionId,
    ownerId: deps.session.ownerId,
    tenantId: deps.session.tenantId,
  });
  if (!decision.allowed) {
    const what = action === 'chat' ? 'chat in' : action === 'read' ? 'read' : `${action} in`;
    return { ok: false, status: 'forbidden', reason: `not allowed to ${what} this session` };
  }
  return { ok: true, principal };
}
