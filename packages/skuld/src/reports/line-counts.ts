/**
 * Line insertions/deletions between two versions of a file, for timeline `file` events. Lines
 * are compared as a multiset of 32-bit hashes: a moved line counts as unchanged, which is the
 * cheap and stable answer a timeline needs (not a minimal diff). Keeping only hashes lets the
 * watcher remember a file's previous version in 4 bytes per line.
 */

export type LineHashes = Uint32Array;

/** FNV-1a over each line's UTF-16 code units. */
export function hashLines(text: string): LineHashes {
  if (text.length === 0) return new Uint32Array(0);
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = body.split('\n');
  const out = new Uint32Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    let hash = 0x811c9dc5;
    for (let j = 0; j < line.length; j++) {
      hash ^= line.charCodeAt(j);
      hash = Math.imul(hash, 0x01000193);
    }
    out[i] = hash >>> 0;
  }
  return out;
}

export function countChanges(before: LineHashes, after: LineHashes): { insertions: number; deletions: number } {
  const remaining = new Map<number, number>();
  for (const hash of before) remaining.set(hash, (remaining.get(hash) ?? 0) + 1);
  let insertions = 0;
  for (const hash of after) {
    const left = remaining.get(hash) ?? 0;
    if (left > 0) remaining.set(hash, left - 1);
    else insertions++;
  }
  let deletions = 0;
  for (const left of remaining.values()) deletions += left;
  return { insertions, deletions };
}

/** Text files only: a NUL byte in the first 8 KiB marks a binary file (git's own heuristic). */
export function looksBinary(content: Buffer): boolean {
  return content.subarray(0, 8192).includes(0);
}
