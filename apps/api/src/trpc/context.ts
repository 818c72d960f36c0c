import type { Principal } from '@volundr/contracts/principal';
import type { AppServices } from '../composition/app-services';
import type { AppLogger } from '../logger';

export interface Context {
  requestId: string;
  logger: AppLogger;
  /** Who is asking; null when the request carried no credentials. */
  principal: Principal | null;
  services: AppServices;
}

/**
 * Builds a context without HTTP, so tests call procedures through `createCaller` with the
 * principal they choose.
 */
export function createContextInner(input: {
  services: AppServices;
  principal?: Principal | null;
  requestId?: string;
  logger?: AppLogger;
}): Context {
  const requestId = input.requestId ?? crypto.randomUUID();
  const logger = (input.logger ?? input.services.logger).child({ requestId });
  return { requestId, logger, principal: input.principal ?? null, services: input.services };
}
