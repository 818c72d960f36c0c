import type { Principal } from '@volundr/contracts/principal';
import type { Action, Authorization } from '../authz/ports/authorization';
import { DomainError } from '../errors';
import type { CredentialRecord } from './ports/credential-records';

/**
 * Asks the Authorization port about a credential (resource kind `credential`). Collection
 * checks (`create`, `list`) name the principal as owner; a credential the principal may not
 * read is reported as missing, so another user's credential names are not revealed.
 */
export async function authorizeCredential(
  authorization: Authorization,
  principal: Principal,
  action: Action,
  record?: Pick<CredentialRecord, 'id' | 'name' | 'ownerId' | 'tenantId' | 'type'>,
): Promise<void> {
  const resource = record
    ? {
        kind: 'credential' as const,
        id: record.id,
        ownerId: record.ownerId,
        tenantId: record.tenantId,
        attributes: { type: record.type },
      }
    : { kind: 'credential' as const, ownerId: principal.userId, tenantId: principal.tenantId };
  if ((await authorization.check(principal, action, resource)).allowed) return;
  if (record && action !== 'read' && (await authorization.check(principal, 'read', resource)).allowed)
    throw new DomainError('FORBIDDEN', `You may not ${action} credential "${record.name}"`, { name: record.name });
  if (record) throw credentialNotFound(record.name);
  throw new DomainError('FORBIDDEN', `You may not ${action} credentials`);
}

export const credentialNotFound = (name: string) =>
  new DomainError('CREDENTIAL_NOT_FOUND', `You have no credential named "${name}"`, { name });
