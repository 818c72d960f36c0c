import { describe, expect, it } from 'vitest';
import { countLines, countPatch, fileChangesOf, removedPaths } from './claude-file-changes';
import { displayPath } from './workspace-path';

const ws = '/work/ws';

describe('fileChangesOf', () => {
  it('Write over an existing file is a modification counted from its patch', () => {
    const structured = {
      type: 'update',
      filePath: '/work/ws/src/a.ts',
      content: 'x\ny\n',
      structuredPatch: [{ lines: ['-old', '+x', '+y', ' keep'] }],
    };
    expect(fileChangesOf({ name: 'Write', input: {} }, structured, ws)).toEqual([
      { path: 'src/a.ts', action: 'modified', insertions: 2, deletions: 1 },
    ]);
  });

  it('falls back to the tool input when the structured result is missing or unknown', () => {
    expect(fileChangesOf({ name: 'Write', input: { file_path: '/work/ws/b.txt' } }, 'Error: x', ws)).toEqual([
      { path: 'b.txt', action: 'modified' },
    ]);
    expect(fileChangesOf({ name: 'MultiEdit', input: { file_path: '/elsewhere/c.txt' } }, null, ws)).toEqual([
      { path: '/elsewhere/c.txt', action: 'modified' },
    ]);
    expect(fileChangesOf({ name: 'NotebookEdit', input: { notebook_path: 'n.ipynb' } }, {}, ws)).toEqual([
      { path: 'n.ipynb', action: 'modified' },
    ]);
    expect(fileChangesOf({ name: 'Read', input: { file_path: '/work/ws/r' } }, {}, ws)).toEqual([]);
  });

  it('Bash reports the paths of plain rm commands as deleted', () => {
    expect(
      fileChangesOf({ name: 'Bash', input: { command: 'rm -rf build && rm "a b.txt" /work/ws/c' } }, {}, ws),
    ).toEqual([
      { path: 'build', action: 'deleted' },
      { path: 'c', action: 'deleted' },
    ]);
  });
});

describe('removedPaths', () => {
  it.each([
    ['rm a.txt', ['a.txt']],
    ['rm -f -- -odd', ['-odd']],
    ['cd x; rm y', ['y']],
    ['rm *.log $TMP/x', []],
    ['git rm tracked', []],
    ["rm 'quoted.txt'", ['quoted.txt']],
    ['echo rm a', []],
  ])('%s', (command, expected) => {
    expect(removedPaths(command)).toEqual(expected);
  });
});

describe('counting', () => {
  it('counts lines with or without a final newline', () => {
    expect(countLines('')).toBe(0);
    expect(countLines('a')).toBe(1);
    expect(countLines('a\n')).toBe(1);
    expect(countLines('a\nb')).toBe(2);
  });

  it('counts patch lines by their first character', () => {
    expect(countPatch([{ lines: [' a', '-b', '+c', '+d'] }, { lines: ['-e'] }])).toEqual({
      insertions: 2,
      deletions: 2,
    });
  });

  it('shows workspace paths relative, others absolute', () => {
    expect(displayPath(ws, '/work/ws/x/y')).toBe('x/y');
    expect(displayPath(ws, 'rel/z')).toBe('rel/z');
    expect(displayPath(ws, '/work/wsx/y')).toBe('/work/wsx/y');
    expect(displayPath(ws, '/work/ws')).toBe('/work/ws');
  });
});
