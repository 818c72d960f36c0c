import type { CredentialOwner, CredentialRecord, CredentialRecords } from './ports/credential-records';
import type { SecretStore } from './ports/secret-store';

/** The virtual key of a git credential or token: `username:secret`, what a git credential helper answers. */
export const GIT_KEY = 'git';

export interface StoredCredential {
  record: CredentialRecord;
  data: Record<string, string>;
}

/**
 * Credential values for the runtimes that inject them into sessions (never for the API's
 * answers). Reads go through `freshen` first, so an integration's expired OAuth token is
 * refreshed before anyone gets it.
 */
export interface CredentialValues {
  /** Every key of the owner's credential; null when there is none. */
  read(owner: CredentialOwner, name: string): Promise<StoredCredential | null>;
  /** One key (or the virtual `git` key); null when the credential or the key does not exist. */
  value(owner: CredentialOwner, ref: { name: string; key: string }): Promise<string | null>;
}

/** `username:secret` for git: a token goes with the username git hosts accept for tokens. */
export function gitCredentialValue(data: Readonly<Record<string, string>>): string | null {
  const secret = data.token ?? data.password ?? data.access_token;
  if (!secret) return null;
  return `${data.username ?? 'x-access-token'}:${secret}`;
}

export function credentialValues(deps: {
  records: CredentialRecords;
  store: SecretStore;
  /** Refreshes the credential when it is due (integrations' OAuth tokens). */
  freshen?: (record: CredentialRecord) => Promise<void>;
}): CredentialValues {
  async function read(owner: CredentialOwner, name: string): Promise<StoredCredential | null> {
    let record = await deps.records.byName(owner.ownerId, name);
    if (!record || record.tenantId !== owner.tenantId) return null;
    if (deps.freshen && record.managedBy === 'integration') {
      await deps.freshen(record);
      record = (await deps.records.byName(owner.ownerId, name)) ?? record;
    }
    const data = await deps.store.get({ ownerId: record.ownerId, tenantId: record.tenantId, name });
    return data ? { record, data } : null;
  }
  return {
    read,
    async value(owner, ref) {
      const stored = await read(owner, ref.name);
      if (!stored) return null;
      if (ref.key === GIT_KEY && !(GIT_KEY in stored.data)) return gitCredentialValue(stored.data);
      return stored.data[ref.key] ?? null;
    },
  };
}
