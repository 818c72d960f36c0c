/** Where one credential's value lives: the owner's credential of this name. */
export interface SecretLocation {
  ownerId: string;
  tenantId: string;
  name: string;
}

/**
 * The secret backend: the only place credential values are kept (Vault/OpenBao KV v2,
 * Kubernetes Secrets, the local encrypted file). Values never travel further than the code
 * that injects them into a session.
 */
export interface SecretStore {
  /** `vault-kv`, `kubernetes-secrets`, `encrypted-file`... (for logs and the session spec). */
  readonly kind: string;
  /** Writes (replaces) all keys of the credential. */
  put(location: SecretLocation, data: Readonly<Record<string, string>>): Promise<void>;
  /** All keys of the credential, or null when the backend has none. */
  get(location: SecretLocation): Promise<Record<string, string> | null>;
  /** Removes the credential; a missing one is not an error. */
  delete(location: SecretLocation): Promise<void>;
  /**
   * The name of the pod-native secret (a Kubernetes Secret) holding the credential, for env
   * `secretKeyRef`s; absent when the backend has none (values are then read at start).
   */
  podSecretName?(location: SecretLocation): string;
  /** Cheap reachability check for readiness. */
  ping?(): Promise<void>;
}
