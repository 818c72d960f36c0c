import type { DiffFile } from '@volundr/contracts/diff';

/** How a changed file's status reads, and the colour class it gets. */
export const STATUS_LABEL: Record<DiffFile['status'], string> = {
  added: 'added',
  modified: 'modified',
  deleted: 'deleted',
  renamed: 'renamed',
};
export const STATUS_CLASS: Record<DiffFile['status'], string> = {
  added: 'file-created',
  modified: 'file-modified',
  deleted: 'file-deleted',
  renamed: 'file-modified',
};
