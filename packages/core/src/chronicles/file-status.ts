import type { FileChangeStatus } from '@volundr/contracts/chronicles';

/**
 * The status of a path over a whole session: a delete anywhere wins (the file is gone, or was
 * replaced wholesale); otherwise a create makes it `new`; otherwise it was `modified`.
 */
export function fileStatus(seen: { created: boolean; deleted: boolean }): FileChangeStatus {
  if (seen.deleted) return 'deleted';
  if (seen.created) return 'new';
  return 'modified';
}
