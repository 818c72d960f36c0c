import type { AppServices } from '../../composition/app-services';

/** What the tenant and user administration use cases need, from the composed services. */
export const administrationDeps = (services: AppServices) => ({
  tenants: services.accounts.tenants,
  users: services.accounts.users,
  homeVolumes: services.accounts.homeVolumes,
  authorization: services.authorization,
  clock: services.clock,
  ids: services.ids,
  logger: services.logger,
});
