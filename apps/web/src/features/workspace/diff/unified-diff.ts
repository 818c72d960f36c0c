/**
 * git's unified diff of one file → lines a view can show: hunks with old/new line numbers, and
 * the same hunks paired left/right for a side-by-side view. Pure, so it is tested without a DOM.
 */

export type DiffLineKind = 'context' | 'add' | 'del' | 'note';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line without its +/-/space marker. */
  text: string;
  oldNo: number | null;
  newNo: number | null;
}

export interface Hunk {
  /** The `@@ -a,b +c,d @@ section` line. */
  header: string;
  oldStart: number;
  newStart: number;
  lines: DiffLine[];
}

export interface ParsedDiff {
  /** What git says about the file before the first hunk (new file mode, rename from/to, …). */
  meta: string[];
  hunks: Hunk[];
  /** git printed "Binary files … differ". */
  binary: boolean;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
/** Header lines that are the diff's own frame, not worth showing to people. */
const FRAME = /^(diff --git |index |--- |\+\+\+ )/;

export function parseUnifiedDiff(text: string): ParsedDiff {
  const meta: string[] = [];
  const hunks: Hunk[] = [];
  let binary = false;
  let current: Hunk | null = null;
  let oldNo = 0;
  let newNo = 0;
  const lines = text.split('\n');
  // A diff ends with a newline: the empty string after it is not a line.
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[3]);
      current = { header: line, oldStart: oldNo, newStart: newNo, lines: [] };
      hunks.push(current);
      continue;
    }
    if (!current) {
      if (line.startsWith('Binary files ')) binary = true;
      if (!FRAME.test(line)) meta.push(line);
      continue;
    }
    const marker = line.charAt(0);
    const body = line.slice(1);
    if (marker === '+') current.lines.push({ kind: 'add', text: body, oldNo: null, newNo: newNo++ });
    else if (marker === '-') current.lines.push({ kind: 'del', text: body, oldNo: oldNo++, newNo: null });
    else if (marker === '\\') current.lines.push({ kind: 'note', text: line.slice(2), oldNo: null, newNo: null });
    else if (marker === ' ' || line === '') {
      current.lines.push({ kind: 'context', text: body, oldNo: oldNo++, newNo: newNo++ });
    } else {
      // Another file's header (a diff of several files): not part of this hunk.
      current = null;
      if (!FRAME.test(line)) meta.push(line);
    }
  }
  return { meta, hunks, binary };
}

export interface SideBySideRow {
  left: DiffLine | null;
  right: DiffLine | null;
}

/**
 * Pairs a hunk's lines for two columns: context on both sides; within a run of changes,
 * the n-th removed line faces the n-th added one, the longer side continuing alone.
 */
export function sideBySide(hunk: Hunk): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let dels: DiffLine[] = [];
  let adds: DiffLine[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(dels.length, adds.length); i++) {
      rows.push({ left: dels[i] ?? null, right: adds[i] ?? null });
    }
    dels = [];
    adds = [];
  };
  for (const line of hunk.lines) {
    if (line.kind === 'del') dels.push(line);
    else if (line.kind === 'add') adds.push(line);
    else if (line.kind === 'note') {
      // "No newline at end of file" belongs to the side of the line before it.
      const lastWasAdd = adds.length > 0;
      flush();
      rows.push(lastWasAdd ? { left: null, right: line } : { left: line, right: line });
    } else {
      flush();
      rows.push({ left: line, right: line });
    }
  }
  flush();
  return rows;
}

/** The highlighting language for a path (its extension as a highlight.js alias), or null. */
export function languageOf(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name === 'dockerfile' || name === 'makefile') return null;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  const ext = name.slice(dot + 1);
  const special: Record<string, string> = {
    htm: 'html',
    jsonc: 'json',
    mts: 'ts',
    cts: 'ts',
    bash: 'bash',
    zsh: 'bash',
  };
  return special[ext] ?? ext;
}

/**
 * Splits highlight.js HTML at newlines so each line stands alone: spans open at a line's end
 * are closed there and re-opened on the next line (a comment or string across lines keeps its
 * colour).
 */
export function splitHighlightedLines(html: string): string[] {
  const lines: string[] = [];
  const open: string[] = [];
  let line = '';
  for (const token of html.split(/(<span[^>]*>|<\/span>|\n)/)) {
    if (token === '') continue;
    if (token === '\n') {
      lines.push(line + '</span>'.repeat(open.length));
      line = open.join('');
    } else if (token.startsWith('<span')) {
      open.push(token);
      line += token;
    } else if (token === '</span>') {
      open.pop();
      line += token;
    } else {
      line += token;
    }
  }
  lines.push(line + '</span>'.repeat(open.length));
  return lines;
}

/**
 * Highlighted HTML for every line of a hunk, in order: removed lines are highlighted as part of
 * the old text, added and context lines as part of the new, so multi-line constructs colour
 * correctly on both sides (null for git's remarks). `highlight` turns code into escaped HTML.
 */
export function highlightHunk(hunk: Hunk, highlight: (code: string) => string): (string | null)[] {
  const oldSide = hunk.lines.filter((l) => l.kind === 'context' || l.kind === 'del');
  const newSide = hunk.lines.filter((l) => l.kind === 'context' || l.kind === 'add');
  const oldHtml = splitHighlightedLines(highlight(oldSide.map((l) => l.text).join('\n')));
  const newHtml = splitHighlightedLines(highlight(newSide.map((l) => l.text).join('\n')));
  let o = 0;
  let n = 0;
  return hunk.lines.map((line) => {
    if (line.kind === 'del') return oldHtml[o++] ?? '';
    if (line.kind === 'add') return newHtml[n++] ?? '';
    if (line.kind === 'context') {
      o++;
      return newHtml[n++] ?? '';
    }
    // "No newline at end of file" is git's remark, not code.
    return null;
  });
}
