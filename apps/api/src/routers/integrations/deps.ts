import { cryptoRandomTokens } from '@volundr/core/identity/ports/random-tokens';
import type { AppServices } from '../../composition/app-services';

export const integrationDeps = (services: AppServices) => ({
  integrations: services.gitCredentials.integrationRecords,
  credentials: services.gitCredentials.credentialRecords,
  store: services.gitCredentials.store,
  values: services.gitCredentials.values,
  changes: services.gitCredentials.changes,
  providers: services.gitCredentials.providers,
  authorization: services.authorization,
  clock: services.clock,
  ids: services.ids,
  random: cryptoRandomTokens,
  defaultRedirectUri: services.gitCredentials.callbackUrl,
});
