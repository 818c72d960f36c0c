import type { IntegrationAuthMethod, IntegrationKind } from '@volundr/contracts/integrations';

/** A person's connection to one configured provider instance (the `integrations` table). */
export interface IntegrationRecord {
  id: string;
  ownerId: string;
  tenantId: string;
  provider: string;
  kind: IntegrationKind;
  enabled: boolean;
  authMethod: IntegrationAuthMethod;
  account: string | null;
  /** The credential (managedBy `integration`) holding the token. */
  credentialName: string;
  scopes: string[];
  /** Access token expiry (OAuth); null: does not expire. */
  expiresAt: Date | null;
  refreshedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An OAuth authorization in flight: bound to who started it, single use, short-lived. */
export interface OAuthStateRecord {
  /** sha256 of the state the browser carries (the state itself is never stored). */
  stateHash: string;
  ownerId: string;
  tenantId: string;
  provider: string;
  redirectUri: string;
  expiresAt: Date;
  createdAt: Date;
}

export interface IntegrationRecords {
  listForOwner(owner: { ownerId: string; tenantId: string }): Promise<IntegrationRecord[]>;
  byId(id: string): Promise<IntegrationRecord | null>;
  byProvider(ownerId: string, provider: string): Promise<IntegrationRecord | null>;
  byCredential(ownerId: string, credentialName: string): Promise<IntegrationRecord | null>;
  /** Inserts, or replaces the owner's integration with the same provider (one per provider). */
  upsert(record: IntegrationRecord): Promise<IntegrationRecord>;
  delete(id: string): Promise<void>;
  /** OAuth integrations whose token expires before `before`, oldest expiry first. */
  dueForRefresh(before: Date, limit: number): Promise<IntegrationRecord[]>;
  saveOAuthState(state: OAuthStateRecord): Promise<void>;
  /** Removes and returns the state (single use); null when unknown. Expired states are purged too. */
  takeOAuthState(stateHash: string, now: Date): Promise<OAuthStateRecord | null>;
  /** Runs `fn` holding a lock named `key` (across API replicas): one refresh per token at a time. */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T>;
}
