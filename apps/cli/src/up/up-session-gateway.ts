import { createSessionGateway, type SessionGateway } from '@volundr/adapter-local/gateway/session-gateway';
import { authorizationModules } from '@volundr/api/composition/authorization-modules';
import { composeAuthorization } from '@volundr/api/composition/compose-authorization';
import { registerModules } from '@volundr/api/composition/module-table';
import { loadConfig } from '@volundr/api/config/load-config';
import { systemClock } from '@volundr/core/shared/ports/clock';
import { CliError } from '../output';
import { createGatewayIdentity } from './gateway-identity';
import { openForOtherThroughApi } from './open-for-other';

/**
 * The session gateway of the front door: the same configuration and authorization adapter as
 * the API, the embedded issuer's tokens checked locally, routes read from the data dir; access
 * to another user's session asked of the API too, which audits it.
 */
export async function createUpSessionGateway(options: {
  url: string;
  dataDir: string;
  configFile: string | undefined;
  apiUrl: () => string | null;
}): Promise<SessionGateway> {
  let config: ReturnType<typeof loadConfig>['config'];
  try {
    ({ config } = loadConfig({ file: options.configFile, flags: { dataDir: options.dataDir } }));
  } catch (error) {
    throw new CliError((error as Error).message, 'fix the configuration and run volundr up again');
  }
  registerModules(authorizationModules);
  const authorization = await composeAuthorization(config, { clock: systemClock });
  return createSessionGateway({
    dataDir: options.dataDir,
    identity: createGatewayIdentity(options.url, options.apiUrl),
    authorization,
    // Another user's session (an admin helping out) is opened only once the API has audited it.
    openForOther: openForOtherThroughApi(options.apiUrl),
  });
}
