import { useQuery, useQueryClient } from '@tanstack/react-query';
import { DEFAULT_DIFF_BASE, type DiffBase, type DiffFile } from '@volundr/contracts/diff';
import type { Session } from '@volundr/contracts/sessions';
import { SessionApiError } from '@volundr/sdk/session-client';
import { useEffect, useId, useRef, useState } from 'react';
import { changedFilesQuery, invalidateSessionDiff } from '../../api/queries/session-diff';
import { useAuth } from '../../app/contexts';
import { EmptyState } from '../../components/EmptyState';
import { LoadingState } from '../../components/LoadingState';
import { TableScroll } from '../../components/TableScroll';
import { useChatHandle } from '../chat/ChatContext';
import { DiffErrorState } from './DiffErrorState';
import { FileDiffPanel } from './FileDiffPanel';
import { STATUS_CLASS, STATUS_LABEL } from './file-status';
import { useSessionClient } from './use-session-client';
import './diff.css';

const BASES: { value: DiffBase; label: string }[] = [
  { value: 'session-start', label: 'Session start' },
  { value: 'last-commit', label: 'Last commit' },
  { value: 'default-branch', label: 'Default branch (merge base)' },
];

/**
 * The session's changed files against a base, read from its broker, and the diff of the one
 * selected. The list refreshes when the chat reports a file change or a turn ends (the agent's
 * shell commands change files too), and by hand; it never polls.
 */
export function ChangesPane({
  session,
  active = true,
  highlight,
}: {
  session: Session;
  active?: boolean;
  highlight?: string | null;
}) {
  if (session.state !== 'running') {
    return (
      <div className="page changes">
        <EmptyState title="Changes are shown while the session runs">
          They are read from the session’s workspace. Start the session to see them; the Chronicle tab keeps the files
          this session changed.
        </EmptyState>
      </div>
    );
  }
  return <RunningChanges session={session} active={active} highlight={highlight ?? null} />;
}

function RunningChanges({
  session,
  active,
  highlight,
}: {
  session: Session;
  active: boolean;
  highlight: string | null;
}) {
  const client = useSessionClient(session);
  const queryClient = useQueryClient();
  const { session: auth } = useAuth();
  const chat = useChatHandle();
  const [base, setBase] = useState<DiffBase>(DEFAULT_DIFF_BASE);
  const [selected, setSelected] = useState<string | null>(highlight);
  const baseId = useId();
  const files = useQuery({ ...changedFilesQuery(client, session.id, base), enabled: active });

  // Event-driven refresh: a file_changed event or the end of a turn marks the diffs stale.
  const fileSeq = chat?.state.lastFileChangeSeq ?? 0;
  const turns = chat?.state.totals.turns ?? 0;
  const seen = useRef({ fileSeq, turns });
  useEffect(() => {
    if (seen.current.fileSeq === fileSeq && seen.current.turns === turns) return;
    seen.current = { fileSeq, turns };
    void invalidateSessionDiff(queryClient, session.id);
  }, [fileSeq, turns, queryClient, session.id]);

  useEffect(() => {
    if (highlight) setSelected(highlight);
  }, [highlight]);

  const error = files.error;
  useEffect(() => {
    // The broker refused the token: renew it, then ask again.
    if (error instanceof SessionApiError && error.code === 'UNAUTHENTICATED') {
      void auth.tokenRejected().then(() => files.refetch());
    }
  }, [error, auth, files.refetch]);

  const list = files.data?.files ?? [];
  const current = list.find((f) => f.path === selected) ?? list[0] ?? null;

  return (
    <div className="page changes">
      <div className="changes-toolbar">
        <div className="changes-base">
          <label htmlFor={baseId}>Compare with</label>
          <select id={baseId} className="select" value={base} onChange={(e) => setBase(e.target.value as DiffBase)}>
            {BASES.map((b) => (
              <option key={b.value} value={b.value}>
                {b.label}
              </option>
            ))}
          </select>
        </div>
        {files.data ? (
          <p className="muted changes-base-label" aria-live="polite">
            Against {files.data.base.label}: {files.data.totals.files} file{files.data.totals.files === 1 ? '' : 's'},{' '}
            <span className="insertions">+{files.data.totals.insertions}</span>{' '}
            <span className="deletions">−{files.data.totals.deletions}</span>
          </p>
        ) : null}
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => void invalidateSessionDiff(queryClient, session.id)}
          disabled={files.isFetching}
        >
          {files.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {files.isPending ? (
        <LoadingState label="Reading the workspace’s changes…" />
      ) : files.isError ? (
        <DiffErrorState
          error={files.error}
          what="the changed files"
          onRetry={() => void files.refetch()}
          onSessionStart={base === 'session-start' ? undefined : () => setBase('session-start')}
        />
      ) : list.length === 0 ? (
        <EmptyState title="No changes">
          Nothing differs from {files.data.base.label}. Files the agent creates, edits or deletes appear here.
        </EmptyState>
      ) : (
        <div className="changes-layout">
          <ChangedFilesTable files={list} current={current?.path ?? null} onSelect={setSelected} />
          {files.data.truncated ? (
            <p className="banner" data-tone="info">
              More files changed than can be listed; the first {list.length} are shown.
            </p>
          ) : null}
          {current ? <FileDiffPanel client={client} sessionId={session.id} base={base} file={current} /> : null}
        </div>
      )}
    </div>
  );
}

function ChangedFilesTable({
  files,
  current,
  onSelect,
}: {
  files: DiffFile[];
  current: string | null;
  onSelect: (path: string) => void;
}) {
  return (
    <TableScroll label="Changed files">
      <table className="table changed-files">
        <caption className="visually-hidden">Changed files; choose one to see its diff</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Change</th>
            <th scope="col">Lines</th>
          </tr>
        </thead>
        <tbody>
          {files.map((f) => (
            <tr key={f.path} data-highlight={f.path === current || undefined}>
              <th scope="row">
                <button
                  type="button"
                  className="link-button mono"
                  aria-current={f.path === current ? 'true' : undefined}
                  onClick={() => onSelect(f.path)}
                >
                  {f.path}
                </button>
                {f.oldPath ? <span className="muted changed-from"> from {f.oldPath}</span> : null}
              </th>
              <td className={`file-action ${STATUS_CLASS[f.status]}`}>{STATUS_LABEL[f.status]}</td>
              <td>
                {f.binary ? (
                  <span className="muted">binary</span>
                ) : (
                  <>
                    <span className="insertions">+{f.insertions ?? '?'}</span>{' '}
                    <span className="deletions">−{f.deletions ?? '?'}</span>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
