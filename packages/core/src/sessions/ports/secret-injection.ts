import type { EnvVar, Volume, VolumeMount } from '@volundr/contracts/session-spec';
import type { SessionOwnerRef } from './storage';

export interface SecretPodAdditions {
  provider: string;
  volumes: Volume[];
  volumeMounts: VolumeMount[];
  env: EnvVar[];
  annotations: Record<string, string>;
}

/**
 * Makes a user's stored credentials appear inside a session (CSI volumes, agent-injector
 * annotations, file mounts) — by reference only: this port never returns a secret value.
 */
export interface SecretInjection {
  /** Pod additions for these credential names (idempotent per session). */
  podAdditions(session: SessionOwnerRef, credentialNames: readonly string[]): Promise<SecretPodAdditions>;
  /** Removes what was created for the session (identities, config maps). */
  cleanupSession(sessionId: string): Promise<void>;
}
