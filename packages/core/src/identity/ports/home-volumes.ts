/**
 * Home volumes: the volume that follows a user across sessions (a directory in local mode, a
 * PVC on Kubernetes). Provided by the runtime's Storage adapter.
 */
export interface HomeVolumes {
  /**
   * Creates the user's home volume if it does not exist and returns its name. Idempotent:
   * calling it again for the same user returns the same volume and creates nothing.
   */
  ensureHomeVolume(userId: string): Promise<string>;
}
