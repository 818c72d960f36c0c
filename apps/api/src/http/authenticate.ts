import type { IncomingMessage } from 'node:http';
import type { Principal } from '@volundr/contracts/principal';
import type { AppServices } from '../composition/app-services';

/**
 * Who is asking, from the request's credentials, through the Identity port. Null when no
 * credentials were presented; throws DomainError(UNAUTHENTICATED) for bad ones. First-time
 * users are provisioned here (JIT) when the services provide it.
 */
export async function authenticateRequest(req: IncomingMessage, services: AppServices): Promise<Principal | null> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers))
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const principal = await services.identity.authenticate({
    authorization: headers.authorization,
    headers,
    remoteAddress: req.socket.remoteAddress,
  });
  if (principal && services.provisionUser) await services.provisionUser(principal);
  return principal;
}
