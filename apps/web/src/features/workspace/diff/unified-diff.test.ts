import { describe, expect, it } from 'vitest';
import { highlightCode } from '../../common/highlight';
import { highlightHunk, languageOf, parseUnifiedDiff, sideBySide, splitHighlightedLines } from './unified-diff';

const modified = [
  'diff --git a/src/a.ts b/src/a.ts',
  'index 1111111..2222222 100644',
  '--- a/src/a.ts',
  '+++ b/src/a.ts',
  '@@ -1,4 +1,5 @@ export function a() {',
  ' const keep = 1;',
  '-const old = 2;',
  '-const gone = 3;',
  '+const next = 2;',
  '+/* spans',
  '+   lines */',
  ' return keep;',
  '@@ -10,2 +11,2 @@',
  '-end',
  '\\ No newline at end of file',
  '+end',
  '',
].join('\n');

describe('parseUnifiedDiff', () => {
  it('numbers old and new lines per hunk and keeps git’s remarks', () => {
    const parsed = parseUnifiedDiff(modified);
    expect(parsed.binary).toBe(false);
    expect(parsed.meta).toEqual([]);
    expect(parsed.hunks.map((h) => [h.oldStart, h.newStart, h.header])).toEqual([
      [1, 1, '@@ -1,4 +1,5 @@ export function a() {'],
      [10, 11, '@@ -10,2 +11,2 @@'],
    ]);
    expect(parsed.hunks[0]?.lines).toEqual([
      { kind: 'context', text: 'const keep = 1;', oldNo: 1, newNo: 1 },
      { kind: 'del', text: 'const old = 2;', oldNo: 2, newNo: null },
      { kind: 'del', text: 'const gone = 3;', oldNo: 3, newNo: null },
      { kind: 'add', text: 'const next = 2;', oldNo: null, newNo: 2 },
      { kind: 'add', text: '/* spans', oldNo: null, newNo: 3 },
      { kind: 'add', text: '   lines */', oldNo: null, newNo: 4 },
      { kind: 'context', text: 'return keep;', oldNo: 4, newNo: 5 },
    ]);
    expect(parsed.hunks[1]?.lines.map((l) => l.kind)).toEqual(['del', 'note', 'add']);
    expect(parsed.hunks[1]?.lines[1]?.text).toBe('No newline at end of file');
  });

  it('keeps what git says about new, renamed and binary files', () => {
    const added = parseUnifiedDiff(
      'diff --git a/hello.txt b/hello.txt\nnew file mode 100644\nindex 0000000..3b18e51\n--- /dev/null\n+++ b/hello.txt\n@@ -0,0 +1 @@\n+hello from volundr\n',
    );
    expect(added.meta).toEqual(['new file mode 100644']);
    expect(added.hunks[0]?.lines).toEqual([{ kind: 'add', text: 'hello from volundr', oldNo: null, newNo: 1 }]);
    const renamed = parseUnifiedDiff(
      'diff --git a/old.txt b/new.txt\nsimilarity index 100%\nrename from old.txt\nrename to new.txt\n',
    );
    expect(renamed).toEqual({
      meta: ['similarity index 100%', 'rename from old.txt', 'rename to new.txt'],
      hunks: [],
      binary: false,
    });
    expect(parseUnifiedDiff('diff --git a/x.png b/x.png\nBinary files a/x.png and b/x.png differ\n').binary).toBe(true);
    expect(parseUnifiedDiff('')).toEqual({ meta: [], hunks: [], binary: false });
  });
});

describe('sideBySide', () => {
  it('faces removed lines with added ones and lets the longer run continue alone', () => {
    const [first, second] = parseUnifiedDiff(modified).hunks;
    const rows = sideBySide(first!).map((r) => [r.left?.text ?? null, r.right?.text ?? null]);
    expect(rows).toEqual([
      ['const keep = 1;', 'const keep = 1;'],
      ['const old = 2;', 'const next = 2;'],
      ['const gone = 3;', '/* spans'],
      [null, '   lines */'],
      ['return keep;', 'return keep;'],
    ]);
    expect(sideBySide(second!).map((r) => [r.left?.kind ?? null, r.right?.kind ?? null])).toEqual([
      ['del', null],
      ['note', 'note'],
      [null, 'add'],
    ]);
  });
});

describe('highlighting', () => {
  it('closes and re-opens spans at line ends', () => {
    expect(splitHighlightedLines('<span class="c">/* a\nb */</span> x\ny')).toEqual([
      '<span class="c">/* a</span>',
      '<span class="c">b */</span> x',
      'y',
    ]);
  });

  it('highlights each side as a whole, so a comment over added lines stays a comment', () => {
    const hunk = parseUnifiedDiff(modified).hunks[0]!;
    const html = highlightHunk(hunk, (code) => highlightCode(code, 'ts').html);
    expect(html).toHaveLength(hunk.lines.length);
    expect(html[1]).toContain('hljs-keyword');
    expect(html[5]).toBe('<span class="hljs-comment">   lines */</span>');
    expect(highlightHunk(parseUnifiedDiff(modified).hunks[1]!, (c) => c)).toEqual(['end', null, 'end']);
  });

  it('escapes code in a language it does not know', () => {
    const hunk = parseUnifiedDiff('@@ -0,0 +1 @@\n+<script>x</script>\n').hunks[0]!;
    expect(highlightHunk(hunk, (code) => highlightCode(code, languageOf('a.unknown') ?? undefined).html)).toEqual([
      '&lt;script&gt;x&lt;/script&gt;',
    ]);
  });

  it.each([
    ['src/app.tsx', 'tsx'],
    ['a/b/main.py', 'py'],
    ['config.YML', 'yml'],
    ['README', null],
    ['.gitignore', null],
    ['Dockerfile', null],
    ['x.mts', 'ts'],
  ])('languageOf(%s) = %s', (path, language) => {
    expect(languageOf(path)).toBe(language);
  });
});
