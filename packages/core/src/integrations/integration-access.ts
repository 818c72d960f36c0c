import type { Principal } from '@volundr/contracts/principal';
import type { Action, Authorization } from '../authz/ports/authorization';
import { DomainError } from '../errors';
import type { IntegrationRecord } from './ports/integration-records';

export const integrationNotFound = (id: string) =>
  new DomainError('NOT_FOUND', `You have no integration ${id}`, { integrationId: id });

/**
 * Integrations hold tokens, so they are authorized as credentials (resource kind `credential`,
 * attribute `integration`). One the principal may not read is reported as missing.
 */
export async function authorizeIntegration(
  authorization: Authorization,
  principal: Principal,
  action: Action,
  record?: Pick<IntegrationRecord, 'id' | 'ownerId' | 'tenantId' | 'provider'>,
): Promise<void> {
  const resource = record
    ? {
        kind: 'credential' as const,
        id: record.id,
        ownerId: record.ownerId,
        tenantId: record.tenantId,
        attributes: { integration: record.provider },
      }
    : {
        kind: 'credential' as const,
        ownerId: principal.userId,
        tenantId: principal.tenantId,
        attributes: { integration: true },
      };
  if ((await authorization.check(principal, action, resource)).allowed) return;
  if (record && action !== 'read' && (await authorization.check(principal, 'read', resource)).allowed)
    throw new DomainError('FORBIDDEN', `You may not ${action} integration ${record.id}`);
  if (record) throw integrationNotFound(record.id);
  throw new DomainError('FORBIDDEN', `You may not ${action} integrations`);
}

/** The credential holding an integration's token (names with this prefix are reserved). */
export const integrationCredentialName = (provider: string) => `integration-${provider}`;

/** sha256 hex (Web Crypto), for OAuth states: only the hash is stored. */
export async function sha256Hex(value: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
