import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import type { CredentialChanges } from '../credentials/ports/credential-changes';
import type { CredentialRecords } from '../credentials/ports/credential-records';
import type { SecretStore } from '../credentials/ports/secret-store';
import { authorizeIntegration, integrationNotFound } from './integration-access';
import type { IntegrationRecords } from './ports/integration-records';

/** Removes an integration, its token from the secret backend and its credential row. */
export const disconnectIntegration =
  (deps: {
    integrations: IntegrationRecords;
    credentials: CredentialRecords;
    store: SecretStore;
    authorization: Authorization;
    changes?: CredentialChanges;
  }) =>
  async (principal: Principal, id: string): Promise<{ id: string; disconnected: true }> => {
    const record = await deps.integrations.byId(id);
    if (!record || record.tenantId !== principal.tenantId) throw integrationNotFound(id);
    await authorizeIntegration(deps.authorization, principal, 'delete', record);
    const location = { ownerId: record.ownerId, tenantId: record.tenantId, name: record.credentialName };
    await deps.store.delete(location);
    await deps.credentials.delete(record.ownerId, record.credentialName);
    await deps.integrations.delete(record.id);
    await deps.changes?.publish({ ...location, kind: 'deleted' });
    return { id, disconnected: true };
  };
