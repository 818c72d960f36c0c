import type { ChatViewState } from '../chat/chat-reducer';

export interface ChangedFile {
  path: string;
  status: 'new' | 'modified' | 'deleted';
  insertions: number | null;
  deletions: number | null;
  /** How many turns touched it. */
  turns: number;
}

/**
 * Files the agent changed in this conversation, one row per path: a deletion wins, a file
 * created in the conversation stays "new", line counts add up across turns (unknown when
 * the broker did not count them).
 */
export function changedFiles(state: ChatViewState): ChangedFile[] {
  const byPath = new Map<string, ChangedFile>();
  for (const item of state.items) {
    if (item.kind !== 'turn') continue;
    for (const block of item.blocks) {
      if (block.kind !== 'file') continue;
      const previous = byPath.get(block.path);
      const status: ChangedFile['status'] =
        block.action === 'deleted'
          ? 'deleted'
          : previous?.status === 'new' || block.action === 'created'
            ? 'new'
            : 'modified';
      // A count is known only while every change of the file came with one.
      const sum = (before: number | null | undefined, now: number | undefined) =>
        before === undefined ? (now ?? null) : before === null || now === undefined ? null : before + now;
      byPath.set(block.path, {
        path: block.path,
        status,
        insertions: sum(previous?.insertions, block.insertions),
        deletions: sum(previous?.deletions, block.deletions),
        turns: (previous?.turns ?? 0) + 1,
      });
    }
  }
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
}
