/**
 * Reads `git diff-tree -r -z -M --raw --numstat` output into changed files. With `-z` paths are
 * NUL-terminated and printed verbatim, so any byte a file name may hold survives; a record cut
 * off by the output cap is dropped rather than half read.
 */
import type { DiffFile, DiffFileStatus } from '@volundr/contracts/diff';

const STATUS: Record<string, DiffFileStatus> = {
  A: 'added',
  M: 'modified',
  // A type change (file ↔ symlink) is a modification for people reading the list.
  T: 'modified',
  D: 'deleted',
  R: 'renamed',
};

export interface ParsedRecords {
  files: DiffFile[];
  /** Records the parser could not place (unknown status letters), for the log. */
  skipped: number;
}

export function parseDiffRecords(output: string): ParsedRecords {
  const tokens = output.split('\0');
  // Complete output ends with NUL (an empty last token); a cut-off one ends mid-record.
  tokens.pop();
  const byPath = new Map<string, DiffFile>();
  const counts = new Map<string, { insertions: number | null; deletions: number | null }>();
  let skipped = 0;
  let i = 0;
  const complete = (needed: number) => i + needed <= tokens.length;
  while (i < tokens.length) {
    const token = tokens[i] ?? '';
    if (token.startsWith(':')) {
      const letters = token.slice(token.lastIndexOf(' ') + 1);
      const letter = letters.charAt(0);
      const twoPaths = letter === 'R' || letter === 'C';
      if (!complete(twoPaths ? 3 : 2)) break;
      const first = tokens[i + 1] ?? '';
      const second = twoPaths ? (tokens[i + 2] ?? '') : null;
      i += twoPaths ? 3 : 2;
      const status = STATUS[letter];
      if (!status) {
        skipped++;
        continue;
      }
      const path = second ?? first;
      byPath.set(path, {
        path,
        oldPath: second === null ? null : first,
        status,
        insertions: null,
        deletions: null,
        binary: false,
      });
      continue;
    }
    const [added = '', deleted = '', path = ''] = token.split('\t');
    let key = path;
    if (path === '') {
      // A rename's counts: "<added>\t<deleted>\t" then the old and new paths.
      if (!complete(3)) break;
      key = tokens[i + 2] ?? '';
      i += 3;
    } else {
      i += 1;
    }
    const binary = added === '-' && deleted === '-';
    counts.set(key, {
      insertions: binary ? null : Number.parseInt(added, 10) || 0,
      deletions: binary ? null : Number.parseInt(deleted, 10) || 0,
    });
  }
  const files: DiffFile[] = [];
  for (const file of byPath.values()) {
    const count = counts.get(file.path);
    // Without its numstat record (cut off by the output cap) a file's counts stay unknown.
    files.push(count ? { ...file, ...count, binary: count.insertions === null } : file);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped };
}
