import { describe, expect, it } from 'vitest';
import { parseDiffRecords } from './diff-records';

const raw = (status: string, ...paths: string[]) =>
  [`:100644 100644 ${'a'.repeat(40)} ${'b'.repeat(40)} ${status}`, ...paths].join('\0');
const output = (...records: string[]) => `${records.join('\0')}\0`;

describe('parseDiffRecords', () => {
  it('joins raw records with their line counts, renames by their new path', () => {
    const { files, skipped } = parseDiffRecords(
      output(
        raw('M', 'src/a.ts'),
        raw('R087', 'old name.txt', 'new\tname.txt'),
        raw('A', 'logo.png'),
        raw('D', 'gone.txt'),
        raw('T', 'link'),
        '3\t1\tsrc/a.ts',
        '2\t0\t',
        'old name.txt',
        'new\tname.txt',
        '-\t-\tlogo.png',
        '0\t4\tgone.txt',
        '1\t1\tlink',
      ),
    );
    expect(skipped).toBe(0);
    expect(files).toEqual([
      { path: 'gone.txt', oldPath: null, status: 'deleted', insertions: 0, deletions: 4, binary: false },
      { path: 'link', oldPath: null, status: 'modified', insertions: 1, deletions: 1, binary: false },
      { path: 'logo.png', oldPath: null, status: 'added', insertions: null, deletions: null, binary: true },
      { path: 'new\tname.txt', oldPath: 'old name.txt', status: 'renamed', insertions: 2, deletions: 0, binary: false },
      { path: 'src/a.ts', oldPath: null, status: 'modified', insertions: 3, deletions: 1, binary: false },
    ]);
  });

  it('drops a record cut off by the output cap instead of misreading it', () => {
    const full = output(raw('A', 'a.txt'), raw('R100', 'b.txt', 'c.txt'), '1\t0\ta.txt', '0\t0\t', 'b.txt', 'c.txt');
    const cut = full.slice(0, full.indexOf('b.txt') + 3);
    expect(parseDiffRecords(cut).files).toEqual([
      { path: 'a.txt', oldPath: null, status: 'added', insertions: null, deletions: null, binary: false },
    ]);
    const countsCut = full.slice(0, full.lastIndexOf('b.txt'));
    const files = parseDiffRecords(countsCut).files;
    expect(files.map((f) => [f.path, f.insertions])).toEqual([
      ['a.txt', 1],
      ['c.txt', null],
    ]);
  });

  it('skips records with a status it does not know', () => {
    expect(parseDiffRecords(output(raw('X', 'weird'), '0\t0\tweird'))).toEqual({ files: [], skipped: 1 });
    expect(parseDiffRecords('')).toEqual({ files: [], skipped: 0 });
  });
});
