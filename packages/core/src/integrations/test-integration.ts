import type { IntegrationTestResult } from '@volundr/contracts/integrations';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import type { CredentialValues } from '../credentials/credential-values';
import { isDomainError } from '../errors';
import { authorizeIntegration, integrationNotFound } from './integration-access';
import type { GitProviders } from './ports/git-providers';
import type { IntegrationRecords } from './ports/integration-records';

/** Asks the provider who the integration's token belongs to (refreshing it first when due). */
export const testIntegration =
  (deps: {
    integrations: IntegrationRecords;
    values: CredentialValues;
    providers: GitProviders;
    authorization: Authorization;
  }) =>
  async (principal: Principal, id: string): Promise<IntegrationTestResult> => {
    const record = await deps.integrations.byId(id);
    if (!record || record.tenantId !== principal.tenantId) throw integrationNotFound(id);
    await authorizeIntegration(deps.authorization, principal, 'read', record);
    try {
      const token = await deps.values.value(
        { ownerId: record.ownerId, tenantId: record.tenantId },
        { name: record.credentialName, key: 'access_token' },
      );
      if (!token)
        return { ok: false, account: null, message: 'The token is missing from the secret backend; connect again' };
      const who = await deps.providers.account(record.provider, token);
      return { ok: true, account: who.account, message: `Connected to ${record.provider} as ${who.account}` };
    } catch (error) {
      if (isDomainError(error) && error.code !== 'INTERNAL')
        return { ok: false, account: null, message: error.message };
      throw error;
    }
  };
