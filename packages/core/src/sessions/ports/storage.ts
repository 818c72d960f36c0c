import type { VolumeSource } from '@volundr/contracts/session-spec';

export interface SessionOwnerRef {
  sessionId: string;
  ownerId: string;
  tenantId: string;
}

/**
 * Workspace and home volumes (local directories, PVCs). All methods are idempotent: the
 * workspace of a session is the same volume across restarts until it is deleted.
 */
export interface Storage {
  /** Creates or reuses (and un-archives) the session's workspace volume. */
  ensureWorkspace(session: SessionOwnerRef): Promise<VolumeSource>;
  /** The owner's home volume, or null when home volumes are disabled. */
  ensureHome(owner: { ownerId: string; tenantId: string }): Promise<VolumeSource | null>;
  /** Marks the workspace as not in use (kept for a later start). */
  archiveWorkspace(sessionId: string): Promise<void>;
  deleteWorkspace(sessionId: string): Promise<void>;
}
