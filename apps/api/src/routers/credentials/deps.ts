import type { AppServices } from '../../composition/app-services';

export const credentialDeps = (services: AppServices) => ({
  records: services.gitCredentials.credentialRecords,
  store: services.gitCredentials.store,
  changes: services.gitCredentials.changes,
  authorization: services.authorization,
  clock: services.clock,
  ids: services.ids,
});
