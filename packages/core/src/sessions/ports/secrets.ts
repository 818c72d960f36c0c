import type { EnvSecretRef } from '@volundr/contracts/profiles';
import type { EnvVar } from '@volundr/contracts/session-spec';
import type { SessionOwnerRef } from './storage';

/** Secret references for env vars (Kubernetes secrets), and the session's own secrets. */
export interface Secrets {
  /**
   * Env vars that reference the named secrets (never their values). Throws
   * `DomainError('BAD_REQUEST')` naming a secret that does not exist or is not the owner's.
   */
  envFor(session: SessionOwnerRef, refs: readonly EnvSecretRef[]): Promise<EnvVar[]>;
  /** Deletes secrets created for the session; missing ones are not an error. */
  deleteSessionSecrets(sessionId: string): Promise<void>;
}
