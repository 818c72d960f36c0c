import type { Credential } from '@volundr/contracts/credentials';
import type { CredentialRecord } from './ports/credential-records';

/** What the API shows: metadata only (the record has no value to leak, by construction). */
export const credentialView = (r: CredentialRecord): Credential => ({
  id: r.id,
  name: r.name,
  type: r.type,
  keys: [...r.keys].sort(),
  metadata: { ...r.metadata },
  ownerId: r.ownerId,
  managedBy: r.managedBy,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});
