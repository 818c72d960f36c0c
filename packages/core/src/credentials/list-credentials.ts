import type { Credential, CredentialType } from '@volundr/contracts/credentials';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import { authorizeCredential } from './credential-access';
import { credentialView } from './credential-view';
import type { CredentialRecords } from './ports/credential-records';

/** The principal's own credentials (metadata only), ordered by name. */
export const listCredentials =
  (deps: { records: CredentialRecords; authorization: Authorization }) =>
  async (principal: Principal, filter: { type?: CredentialType } = {}): Promise<Credential[]> => {
    await authorizeCredential(deps.authorization, principal, 'list');
    const records = await deps.records.listForOwner(
      { ownerId: principal.userId, tenantId: principal.tenantId },
      filter.type ? { type: filter.type } : {},
    );
    return records.map(credentialView);
  };
