import { useQuery } from '@tanstack/react-query';
import type { DiffBase, DiffFile } from '@volundr/contracts/diff';
import type { SessionClient } from '@volundr/sdk/session-client';
import { lazy, Suspense, useId, useState } from 'react';
import { fileDiffQuery } from '../../api/queries/session-diff';
import { LoadingState } from '../../components/LoadingState';
import { DiffErrorState } from './DiffErrorState';
import type { DiffLayout } from './DiffView';
import { STATUS_CLASS, STATUS_LABEL } from './file-status';

// Highlighting brings highlight.js along: load it only when a diff is shown.
const DiffView = lazy(async () => ({ default: (await import('./DiffView')).DiffView }));

const LAYOUT_KEY = 'volundr.diffLayout';
const storedLayout = (): DiffLayout => {
  try {
    return localStorage.getItem(LAYOUT_KEY) === 'split' ? 'split' : 'unified';
  } catch {
    return 'unified';
  }
};

/** One changed file: its header, the layout choice, and its diff from the broker. */
export function FileDiffPanel({
  client,
  sessionId,
  base,
  file,
}: {
  client: SessionClient;
  sessionId: string;
  base: DiffBase;
  file: DiffFile;
}) {
  const [layout, setLayout] = useState<DiffLayout>(storedLayout);
  const layoutId = useId();
  const diff = useQuery(fileDiffQuery(client, sessionId, base, file.path));
  const choose = (next: DiffLayout) => {
    setLayout(next);
    try {
      localStorage.setItem(LAYOUT_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  };

  return (
    <section className="file-diff" aria-labelledby={`${layoutId}-title`}>
      <header className="file-diff-header">
        <h2 id={`${layoutId}-title`} className="mono">
          {file.oldPath ? `${file.oldPath} → ${file.path}` : file.path}
        </h2>
        <span className={`file-action ${STATUS_CLASS[file.status]}`}>{STATUS_LABEL[file.status]}</span>
        {file.binary ? null : (
          <span>
            <span className="insertions">+{file.insertions ?? '?'}</span>{' '}
            <span className="deletions">−{file.deletions ?? '?'}</span>
          </span>
        )}
        <span className="file-diff-layout">
          <label htmlFor={layoutId}>View</label>
          <select
            id={layoutId}
            className="select"
            value={layout}
            onChange={(e) => choose(e.target.value as DiffLayout)}
          >
            <option value="unified">Unified</option>
            <option value="split">Side by side</option>
          </select>
        </span>
      </header>
      {diff.isPending ? (
        <LoadingState label={`Loading the diff of ${file.path}…`} inline />
      ) : diff.isError ? (
        <DiffErrorState error={diff.error} what="this file’s diff" onRetry={() => void diff.refetch()} />
      ) : (
        <Suspense fallback={<LoadingState label="Preparing the diff…" inline />}>
          <DiffView fileDiff={diff.data} layout={layout} />
        </Suspense>
      )}
    </section>
  );
}
