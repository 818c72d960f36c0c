import type { StartAttempt } from './pod-manager';

export interface SessionSecretsTarget {
  id: string;
  ownerId: string;
  tenantId: string;
}

/**
 * Secret values a session needs at start that must never enter the persisted SessionSpec: the
 * broker's report credential (a token scoped to this session) and where to report. Pod managers
 * ask for them when they start a session and hand them to the broker out of band (an env of the
 * process, a Kubernetes Secret).
 */
export interface SessionSecrets {
  /** Where the broker reports and with which credential; null when reporting is not set up. */
  brokerReporting(
    session: SessionSecretsTarget,
    attempt: StartAttempt,
  ): Promise<{ apiUrl: string; token: string } | null>;
  /**
   * A credential value by the reference the spec names (a repository's clone `credential`, an
   * env `secretRef`), read from the owner's stored credentials; null when the reference is not
   * one of the owner's (the runtime then falls back to its own secrets, if any). Absent: the
   * runtime has only its own.
   */
  secretValue?(ref: { name: string; key: string }, session: SessionSecretsTarget): Promise<string | null>;
}
