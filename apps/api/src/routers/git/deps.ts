import type { AppServices } from '../../composition/app-services';

/** What the git use cases need, from the composed services. */
export const gitDeps = (services: AppServices) => ({
  providers: services.gitCredentials.providers,
  integrations: services.gitCredentials.integrationRecords,
  credentials: services.gitCredentials.credentialRecords,
  values: services.gitCredentials.values,
  authorization: services.authorization,
  sessions: services.sessionRuntime.sessionsRepository,
});
