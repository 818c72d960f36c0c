import type { FileDiff } from '@volundr/contracts/diff';
import { Fragment, useMemo } from 'react';
import { escapeHtml, highlightCode } from '../common/highlight';
import {
  type DiffLine,
  type Hunk,
  highlightHunk,
  languageOf,
  parseUnifiedDiff,
  type SideBySideRow,
  sideBySide,
} from './diff/unified-diff';

export type DiffLayout = 'unified' | 'split';

/** Beyond this, lines are shown without syntax colours (highlighting a huge diff stalls the page). */
const HIGHLIGHT_LIMIT = 256 * 1024;

const MARKER: Record<DiffLine['kind'], { sign: string; spoken: string }> = {
  add: { sign: '+', spoken: 'Added: ' },
  del: { sign: '−', spoken: 'Removed: ' },
  context: { sign: ' ', spoken: '' },
  note: { sign: '\\', spoken: '' },
};

/**
 * One file's diff as a table: unified (old and new line numbers, one column of code) or side by
 * side. Added and removed lines carry the file's syntax colours on a green/red ground; a
 * screen reader hears "Added:"/"Removed:" before each changed line.
 */
export function DiffView({ fileDiff, layout }: { fileDiff: FileDiff; layout: DiffLayout }) {
  const { file, diff, truncated } = fileDiff;
  const parsed = useMemo(() => parseUnifiedDiff(diff), [diff]);
  const highlighted = useMemo(() => {
    const language = diff.length <= HIGHLIGHT_LIMIT ? languageOf(file.path) : null;
    const highlight = (code: string) => (language ? highlightCode(code, language).html : escapeHtml(code));
    return parsed.hunks.map((hunk) => highlightHunk(hunk, highlight));
  }, [parsed, diff.length, file.path]);

  if (file.binary || parsed.binary) {
    return <p className="diff-note">A binary file: its contents are not shown as a diff.</p>;
  }
  return (
    <div className="diff-view">
      {parsed.meta.length > 0 ? (
        <ul className="diff-meta muted">
          {parsed.meta.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      {parsed.hunks.length === 0 ? (
        <p className="diff-note">No line changes{file.status === 'renamed' ? ': the file was only renamed' : ''}.</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide diff scrolls sideways; keyboard users must reach it
        <section className="diff-scroll" tabIndex={0} aria-label={`Diff of ${file.path}`}>
          <table className={`diff-table diff-${layout}`}>
            <caption className="visually-hidden">
              Diff of {file.path} against {fileDiff.base.label}
            </caption>
            {layout === 'unified' ? (
              <colgroup>
                <col className="diff-col-ln" />
                <col className="diff-col-ln" />
                <col />
              </colgroup>
            ) : (
              <colgroup>
                <col className="diff-col-ln" />
                <col />
                <col className="diff-col-ln" />
                <col />
              </colgroup>
            )}
            {parsed.hunks.map((hunk, h) => (
              <tbody key={hunk.header + String(h)}>
                <tr className="diff-hunk">
                  <th colSpan={layout === 'unified' ? 3 : 4} scope="colgroup" className="mono">
                    {hunk.header}
                  </th>
                </tr>
                {layout === 'unified' ? (
                  <UnifiedRows hunk={hunk} html={highlighted[h] ?? []} />
                ) : (
                  <SplitRows hunk={hunk} html={highlighted[h] ?? []} />
                )}
              </tbody>
            ))}
          </table>
        </section>
      )}
      {truncated ? (
        <p className="banner" data-tone="info">
          This diff is longer than the broker sends (1 MiB); the rest is left out. The IDE or the terminal shows all of
          it.
        </p>
      ) : null}
    </div>
  );
}

function Code({ line, html }: { line: DiffLine; html: string | null | undefined }) {
  const marker = MARKER[line.kind];
  return (
    <td className="diff-code mono" data-kind={line.kind}>
      <span className="diff-sign" aria-hidden="true">
        {marker.sign}
      </span>
      {marker.spoken ? <span className="visually-hidden">{marker.spoken}</span> : null}
      {html === null || html === undefined ? (
        <span className={line.kind === 'note' ? 'muted' : undefined}>{line.text}</span>
      ) : (
        // The HTML comes from highlight.js, which escapes the code it is given (or from escapeHtml).
        // biome-ignore lint/security/noDangerouslySetInnerHtml: escaped by the highlighter
        <span dangerouslySetInnerHTML={{ __html: html }} />
      )}
    </td>
  );
}

const LineNo = ({ n, kind }: { n: number | null; kind?: DiffLine['kind'] }) => (
  <td className="diff-ln" data-kind={kind} aria-hidden={n === null ? true : undefined}>
    {n ?? ''}
  </td>
);

function UnifiedRows({ hunk, html }: { hunk: Hunk; html: (string | null)[] }) {
  return (
    <>
      {hunk.lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of one hunk have no identity but their place
        <tr key={i} data-kind={line.kind}>
          <LineNo n={line.oldNo} kind={line.kind} />
          <LineNo n={line.newNo} kind={line.kind} />
          <Code line={line} html={html[i]} />
        </tr>
      ))}
    </>
  );
}

function SplitRows({ hunk, html }: { hunk: Hunk; html: (string | null)[] }) {
  const index = new Map(hunk.lines.map((line, i) => [line, i]));
  const rows: SideBySideRow[] = sideBySide(hunk);
  const side = (line: DiffLine | null, which: 'old' | 'new') =>
    line ? (
      <Fragment>
        <LineNo n={which === 'old' ? line.oldNo : line.newNo} kind={line.kind} />
        <Code line={line} html={html[index.get(line) ?? -1]} />
      </Fragment>
    ) : (
      <td colSpan={2} className="diff-empty" />
    );
  return (
    <>
      {rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of one hunk have no identity but their place
        <tr key={i}>
          {side(row.left, 'old')}
          {side(row.right, 'new')}
        </tr>
      ))}
    </>
  );
}
