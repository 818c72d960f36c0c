/**
 * Names and labels of everything the Kubernetes runtime creates for a session. Session and
 * user ids come from outside (an IdP subject, a generated id) and may not be valid object names
 * or label values, so each gets a stable DNS-1035 form: the id itself when it already is one,
 * else a hash of it. The exact ids travel in annotations.
 */
import { createHash } from 'node:crypto';

export const LABELS = {
  /** The session's key (`sessionKey`): every object of a session carries it. */
  session: 'volundr.io/session',
  /** The attempt number of the objects of one start. */
  attempt: 'volundr.io/attempt',
  sessionId: 'volundr.io/session-id',
  owner: 'volundr.io/owner',
  tenant: 'volundr.io/tenant',
  /** `direct` or `flux`: which pod manager made the object (each watches only its own). */
  runtime: 'volundr.io/runtime',
  component: 'volundr.io/component',
  volumeType: 'volundr.io/volume-type',
  workspaceStatus: 'volundr.io/workspace-status',
  user: 'volundr.io/user',
} as const;

export const ANNOTATIONS = {
  sessionId: 'volundr.io/session-id',
  owner: 'volundr.io/owner',
  tenant: 'volundr.io/tenant',
  attemptId: 'volundr.io/attempt-id',
  userId: 'volundr.io/user-id',
} as const;

const hash = (value: string, length: number) => createHash('sha256').update(value).digest('hex').slice(0, length);
const SAFE_ID = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `s-<id>` when the id is a short lower-case DNS label, else `s-<hash>`; ≤ 42 chars, a valid label value. */
export function sessionKey(sessionId: string): string {
  return SAFE_ID.test(sessionId) && sessionId.length <= 40 ? `s-${sessionId}` : `s-${hash(sessionId, 24)}`;
}

/** The objects of one start: `<sessionKey>-<attempt>` (distinct per attempt, so a restart never waits for the old ones to go). */
export const instanceName = (sessionId: string, attempt: number) => `${sessionKey(sessionId)}-${attempt}`;

export const workspaceClaimName = (sessionId: string) => `${sessionKey(sessionId)}-workspace`;

export function userKey(userId: string): string {
  return SAFE_ID.test(userId) && userId.length <= 40 ? userId : `u-${hash(userId, 24)}`;
}

export const homeClaimName = (userId: string) => `volundr-home-${userKey(userId)}`;

/** A label value (≤ 63 of [A-Za-z0-9-_.], alphanumeric at both ends); a hash when nothing is left. */
export function labelValue(value: string): string {
  const cleaned = value
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return cleaned || `h-${hash(value, 16)}`;
}

/** The labels and annotations every object of a session carries. */
export function sessionMetadata(session: { id: string; ownerId: string; tenantId: string }) {
  return {
    labels: {
      [LABELS.session]: sessionKey(session.id),
      [LABELS.sessionId]: labelValue(session.id),
      [LABELS.owner]: labelValue(session.ownerId),
      [LABELS.tenant]: labelValue(session.tenantId),
    },
    annotations: {
      [ANNOTATIONS.sessionId]: session.id,
      [ANNOTATIONS.owner]: session.ownerId,
      [ANNOTATIONS.tenant]: session.tenantId,
    },
  };
}
