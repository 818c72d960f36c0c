import { type CreateCredentialInput, type Credential, ZCreateCredentialInput } from '@volundr/contracts/credentials';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import { DomainError } from '../errors';
import { validateInput } from '../sessions/validate-input';
import type { Clock } from '../shared/ports/clock';
import type { Ids } from '../shared/ports/ids';
import { authorizeCredential } from './credential-access';
import { credentialView } from './credential-view';
import type { CredentialRecords } from './ports/credential-records';
import type { SecretStore } from './ports/secret-store';

export interface CreateCredentialDeps {
  records: CredentialRecords;
  store: SecretStore;
  authorization: Authorization;
  clock: Clock;
  ids: Ids;
}

/**
 * Stores a credential for the principal: the metadata row first (its unique name guards
 * against overwriting another credential's value), then the value in the secret backend; a
 * failed write removes the row again. The answer is metadata only.
 */
export const createCredential =
  (deps: CreateCredentialDeps) =>
  async (principal: Principal, rawInput: CreateCredentialInput): Promise<Credential> => {
    const input = validateInput(ZCreateCredentialInput, rawInput, 'credential');
    await authorizeCredential(deps.authorization, principal, 'create');
    const now = deps.clock.now();
    const record = await deps.records.insert({
      id: deps.ids.next(),
      ownerId: principal.userId,
      tenantId: principal.tenantId,
      name: input.name,
      type: input.type,
      keys: Object.keys(input.data).sort(),
      metadata: input.metadata,
      managedBy: 'user',
      createdAt: now,
      updatedAt: now,
    });
    try {
      await deps.store.put({ ownerId: record.ownerId, tenantId: record.tenantId, name: record.name }, input.data);
    } catch (error) {
      await deps.records.delete(record.ownerId, record.name);
      if (error instanceof DomainError) throw error;
      throw new DomainError(
        'DEPENDENCY_UNAVAILABLE',
        `The secret backend (${deps.store.kind}) could not store credential "${record.name}": ${(error as Error).message}`,
      );
    }
    return credentialView(record);
  };
