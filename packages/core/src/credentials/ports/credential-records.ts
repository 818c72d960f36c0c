import type { CredentialType } from '@volundr/contracts/credentials';

export interface CredentialOwner {
  ownerId: string;
  tenantId: string;
}

/** A stored credential's metadata (the `credentials` table). Its value is only in the SecretStore. */
export interface CredentialRecord extends CredentialOwner {
  id: string;
  name: string;
  type: CredentialType;
  keys: string[];
  metadata: Record<string, string>;
  managedBy: 'user' | 'integration';
  createdAt: Date;
  updatedAt: Date;
}

/** Credential metadata; names are unique per owner. */
export interface CredentialRecords {
  listForOwner(owner: CredentialOwner, filter?: { type?: CredentialType }): Promise<CredentialRecord[]>;
  byName(ownerId: string, name: string): Promise<CredentialRecord | null>;
  /** Throws `DomainError('CREDENTIAL_NAME_TAKEN')` when the owner already has the name. */
  insert(record: CredentialRecord): Promise<CredentialRecord>;
  /** Replaces keys, metadata and updatedAt of an existing record (an integration's refreshed token). */
  update(record: CredentialRecord): Promise<CredentialRecord>;
  /** True when a row was deleted. */
  delete(ownerId: string, name: string): Promise<boolean>;
}
