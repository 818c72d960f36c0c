import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import { DomainError } from '../errors';
import { authorizeCredential, credentialNotFound } from './credential-access';
import type { CredentialChanges } from './ports/credential-changes';
import type { CredentialRecords } from './ports/credential-records';
import type { SecretStore } from './ports/secret-store';

/**
 * Deletes one of the principal's credentials: the value first (so nothing is left behind if
 * the row goes), then the row. An integration's token is removed by disconnecting it.
 */
export const deleteCredential =
  (deps: {
    records: CredentialRecords;
    store: SecretStore;
    authorization: Authorization;
    changes?: CredentialChanges;
  }) =>
  async (principal: Principal, name: string): Promise<{ name: string; deleted: true }> => {
    const record = await deps.records.byName(principal.userId, name);
    if (!record || record.tenantId !== principal.tenantId) throw credentialNotFound(name);
    await authorizeCredential(deps.authorization, principal, 'delete', record);
    if (record.managedBy === 'integration')
      throw new DomainError(
        'BAD_REQUEST',
        `Credential "${name}" holds an integration's token; disconnect the integration instead`,
        { name },
      );
    await deps.store.delete({ ownerId: record.ownerId, tenantId: record.tenantId, name });
    await deps.records.delete(record.ownerId, name);
    await deps.changes?.publish({ ownerId: record.ownerId, tenantId: record.tenantId, name, kind: 'deleted' });
    return { name, deleted: true };
  };
