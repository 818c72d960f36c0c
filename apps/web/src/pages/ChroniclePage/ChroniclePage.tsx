import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { toUiError } from '../../api/api-error';
import {
  chronicleChainQuery,
  chronicleQuery,
  chronicleTimelineQuery,
  deleteChronicleMutation,
} from '../../api/queries/chronicles';
import { useApi } from '../../app/contexts';
import { Dialog } from '../../components/Dialog';
import { formatDuration, formatTokens, formatUsd } from '../../components/format';
import { LoadingState } from '../../components/LoadingState';
import { RelativeTime } from '../../components/RelativeTime';
import { ChronicleStatusBadge, chronicleTitle } from '../../features/chronicles/ChronicleStatusBadge';
import { ReforgeDialog } from '../../features/chronicles/ReforgeDialog';
import { Timeline } from '../../features/chronicles/Timeline';
import { TokenBurnChart } from '../../features/chronicles/TokenBurnChart';
import { ApiErrorState } from '../../features/common/ApiErrorState';
import '../../features/chronicles/chronicles.css';
import '../../features/sessions/sessions.css';

const FILE_STATUS = { new: 'created', modified: 'modified', deleted: 'deleted' } as const;

/** One chronicle: what the session did, its files, commits, token burn, timeline and chain. */
export function ChroniclePage() {
  const { id = '' } = useParams();
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const detail = useQuery(chronicleQuery(api, id));
  const timeline = useInfiniteQuery({ ...chronicleTimelineQuery(api, id), enabled: detail.isSuccess });
  const chain = useQuery({ ...chronicleChainQuery(api, id), enabled: detail.isSuccess });
  const remove = useMutation(deleteChronicleMutation(api, queryClient));
  const [reforging, setReforging] = useState(false);
  const [deleting, setDeleting] = useState(false);

  if (detail.isPending) return <LoadingState label="Loading the chronicle…" />;
  if (detail.isError)
    return (
      <div className="page">
        <ApiErrorState
          error={detail.error}
          what="this chronicle"
          procedure="chronicles.byId"
          onRetry={() => void detail.refetch()}
        />
      </div>
    );
  const { chronicle: c, files, fileTotals, commits, tokenBurn, usage, durationSeconds } = detail.data;
  const events = timeline.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="page">
      <title>{`${chronicleTitle(c)} · Chronicles · Volundr`}</title>
      <p>
        <Link to="/chronicles">← Chronicles</Link>
      </p>
      <div className="page-header">
        <div className="chronicle-item-title">
          <h1>{chronicleTitle(c)}</h1>
          <ChronicleStatusBadge chronicle={c} />
        </div>
        <div className="session-actions">
          <button type="button" className="btn btn-primary" onClick={() => setReforging(true)}>
            Reforge
          </button>
          {c.sessionId ? (
            <Link className="btn" to={`/sessions/${encodeURIComponent(c.sessionId)}`}>
              Open session
            </Link>
          ) : null}
          <button type="button" className="btn" onClick={() => setDeleting(true)}>
            Delete
          </button>
        </div>
      </div>
      <div className="session-meta chronicle-section">
        {c.repo ? <span>{`${c.repo}${c.branch ? ` · ${c.branch}` : ''}`}</span> : null}
        {c.model ? <span className="mono">{c.model}</span> : null}
        <span>
          {formatTokens(usage.total.tokens)} tokens · {formatUsd(usage.total.costUsd)} · {usage.turns}{' '}
          {usage.turns === 1 ? 'turn' : 'turns'}
        </span>
        {durationSeconds !== null ? <span>{formatDuration(durationSeconds * 1000)}</span> : null}
        <span>
          started <RelativeTime iso={c.startedAt ?? c.createdAt} />
        </span>
      </div>

      <div className="chronicle-grid">
        <div>
          <section className="card chronicle-section" aria-labelledby="c-summary">
            <h2 id="c-summary">Summary</h2>
            {c.summary ? (
              <p>{c.summary}</p>
            ) : (
              <p className="muted">No summary yet: it comes with the session’s final report.</p>
            )}
            {c.keyChanges.length > 0 ? (
              <>
                <h3>Key changes</h3>
                <ul>
                  {c.keyChanges.map((k) => (
                    <li key={k}>{k}</li>
                  ))}
                </ul>
              </>
            ) : null}
            <h3>Unfinished work</h3>
            {c.unfinishedWork ? <p>{c.unfinishedWork}</p> : <p className="muted">None recorded.</p>}
          </section>

          <section className="card chronicle-section" aria-labelledby="c-burn">
            <h2 id="c-burn">Token burn</h2>
            <TokenBurnChart burn={tokenBurn} />
          </section>

          <section className="card chronicle-section" aria-labelledby="c-timeline">
            <h2 id="c-timeline">Timeline</h2>
            {timeline.isPending ? <LoadingState label="Loading the timeline…" inline /> : null}
            {timeline.isError ? <ApiErrorState error={timeline.error} what="the timeline" /> : null}
            {timeline.isSuccess && events.length === 0 ? <p className="muted">Nothing recorded yet.</p> : null}
            {events.length > 0 ? <Timeline events={events} /> : null}
            {timeline.hasNextPage ? (
              <button type="button" className="btn load-more" onClick={() => void timeline.fetchNextPage()}>
                Load more
              </button>
            ) : null}
          </section>
        </div>

        <div>
          <section className="card chronicle-section" aria-labelledby="c-files">
            <h2 id="c-files">
              Files <span className="muted">({fileTotals.files})</span>
            </h2>
            <p className="muted">
              <span className="insertions">+{fileTotals.insertions}</span>{' '}
              <span className="deletions">−{fileTotals.deletions}</span>
              {detail.data.filesTruncated ? ' · showing the most recently changed' : ''}
            </p>
            {files.length === 0 ? (
              <p className="muted">No file changes.</p>
            ) : (
              <ul className="chronicle-list">
                {files.map((f) => (
                  <li key={f.path}>
                    <span className="mono">{f.path}</span>{' '}
                    <span className={`file-action file-${FILE_STATUS[f.status]}`}>{FILE_STATUS[f.status]}</span>{' '}
                    <span className="insertions">+{f.insertions}</span>{' '}
                    <span className="deletions">−{f.deletions}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="card chronicle-section" aria-labelledby="c-commits">
            <h2 id="c-commits">Commits</h2>
            {detail.data.commitsTruncated ? <p className="muted">The newest commits are shown.</p> : null}
            {commits.length === 0 ? (
              <p className="muted">No commits.</p>
            ) : (
              <ul className="chronicle-list">
                {commits.map((k) => (
                  <li key={k.hash}>
                    <span className="mono">{k.shortHash}</span> {k.message}{' '}
                    <span className="muted">
                      <RelativeTime iso={k.at} />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="card chronicle-section" aria-labelledby="c-chain">
            <h2 id="c-chain">Chain</h2>
            {chain.isSuccess && chain.data.items.length > 1 ? (
              <ol className="chain">
                {chain.data.items.map((link) => (
                  <li key={link.id} aria-current={link.id === c.id ? 'page' : undefined}>
                    {link.id === c.id ? (
                      chronicleTitle(link)
                    ) : (
                      <Link to={`/chronicles/${encodeURIComponent(link.id)}`}>{chronicleTitle(link)}</Link>
                    )}
                  </li>
                ))}
              </ol>
            ) : (
              <p className="muted">
                {chain.isError
                  ? toUiError(chain.error).message
                  : 'Not reforged yet: reforging continues this work in a new session.'}
              </p>
            )}
          </section>
        </div>
      </div>

      {reforging ? <ReforgeDialog chronicle={c} onClose={() => setReforging(false)} /> : null}
      <Dialog open={deleting} title="Delete this chronicle?" onClose={() => setDeleting(false)}>
        <p>
          Its summary, timeline and token history are removed for good. The session (if it still exists) is not
          affected.
        </p>
        {remove.error ? (
          <p className="field-error" role="alert">
            {toUiError(remove.error).message}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => setDeleting(false)}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate(c.id, { onSuccess: () => navigate('/chronicles', { replace: true }) })}
          >
            {remove.isPending ? 'Deleting…' : 'Delete chronicle'}
          </button>
        </div>
      </Dialog>
    </div>
  );
}
