import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ZChronicleStatus, ZChronicleTag } from '@volundr/contracts/chronicles';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { modelsQuery } from '../../api/queries/catalog';
import { chronicleListQuery } from '../../api/queries/chronicles';
import { useApi } from '../../app/contexts';
import { EmptyState } from '../../components/EmptyState';
import { formatDuration, formatTokens, formatUsd } from '../../components/format';
import { LoadingState } from '../../components/LoadingState';
import { RelativeTime } from '../../components/RelativeTime';
import { ChronicleStatusBadge, chronicleTitle } from '../../features/chronicles/ChronicleStatusBadge';
import { ApiErrorState } from '../../features/common/ApiErrorState';
import '../../features/chronicles/chronicles.css';
import '../../features/sessions/sessions.css';

/** Filters from the URL, keeping only what the API accepts (a bad tag is dropped, not sent). */
function filtersOf(params: URLSearchParams) {
  const status = ZChronicleStatus.safeParse(params.get('status'));
  const tags = (params.get('tags') ?? '').split(/[\s,]+/).filter((t) => ZChronicleTag.safeParse(t).success);
  return {
    ...(params.get('repo')?.trim() ? { repo: params.get('repo')?.trim() as string } : {}),
    ...(params.get('model') ? { model: params.get('model') as string } : {}),
    ...(tags.length ? { tags: [...new Set(tags)].slice(0, 20) } : {}),
    ...(status.success ? { status: status.data } : {}),
  };
}

/** What every session did, newest first, filtered by repository, model, tags and status. */
export function ChroniclesPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersOf(params), [params]);
  const list = useInfiniteQuery(chronicleListQuery(api, filters));
  const models = useQuery(modelsQuery(api));
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.keys(filters).length > 0;

  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <div className="page">
      <title>Chronicles · Volundr</title>
      <div className="page-header">
        <h1>Chronicles</h1>
      </div>
      <search className="filters" aria-label="Filter chronicles">
        <div className="field">
          <label htmlFor="chronicle-repo">Repository</label>
          <input
            id="chronicle-repo"
            className="input"
            value={params.get('repo') ?? ''}
            placeholder="acme/app"
            onChange={(e) => update('repo', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="chronicle-model">Model</label>
          <select
            id="chronicle-model"
            className="select"
            value={params.get('model') ?? ''}
            onChange={(e) => update('model', e.target.value)}
          >
            <option value="">Any model</option>
            {(models.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="chronicle-tags">Tags</label>
          <input
            id="chronicle-tags"
            className="input"
            value={params.get('tags') ?? ''}
            placeholder="bugfix, auth"
            onChange={(e) => update('tags', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="chronicle-status">Status</label>
          <select
            id="chronicle-status"
            className="select"
            value={params.get('status') ?? ''}
            onChange={(e) => update('status', e.target.value)}
          >
            <option value="">Any status</option>
            <option value="draft">In progress</option>
            <option value="complete">Complete</option>
          </select>
        </div>
      </search>

      {list.isPending ? <LoadingState label="Loading chronicles…" /> : null}
      {list.isError ? (
        <ApiErrorState
          error={list.error}
          what="chronicles"
          procedure="chronicles.list"
          onRetry={() => void list.refetch()}
        />
      ) : null}
      {list.isSuccess && items.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No chronicle matches"
            actions={
              <button type="button" className="btn" onClick={() => setParams({}, { replace: true })}>
                Clear filters
              </button>
            }
          />
        ) : (
          <EmptyState
            title="No chronicles yet"
            actions={
              <Link className="btn btn-primary" to="/launch">
                Launch a session
              </Link>
            }
          >
            A chronicle records what a session did — its summary, changes, commits and token use — so the next session
            can pick up where it stopped.
          </EmptyState>
        )
      ) : null}
      {items.length > 0 ? (
        <ul className="chronicle-list">
          {items.map((c) => (
            <li key={c.id} className="chronicle-item">
              <div className="chronicle-item-title">
                <Link to={`/chronicles/${encodeURIComponent(c.id)}`}>{chronicleTitle(c)}</Link>
                <ChronicleStatusBadge chronicle={c} />
                {c.tags.map((t) => (
                  <span key={t} className="badge">
                    {t}
                  </span>
                ))}
              </div>
              {c.summary ? <p className="chronicle-summary">{c.summary}</p> : null}
              <div className="session-meta">
                {c.repo ? <span>{`${c.project ?? c.repo}${c.branch ? ` · ${c.branch}` : ''}`}</span> : null}
                {c.model ? <span className="mono">{c.model}</span> : null}
                <span>
                  {formatTokens(c.tokensUsed)} tokens · {formatUsd(c.costUsd)}
                </span>
                {c.durationSeconds !== null ? <span>{formatDuration(c.durationSeconds * 1000)}</span> : null}
                <span>
                  <RelativeTime iso={c.startedAt ?? c.createdAt} />
                </span>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {list.hasNextPage ? (
        <button
          type="button"
          className="btn load-more"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {list.isFetchingNextPage ? 'Loading…' : 'Load older chronicles'}
        </button>
      ) : null}
    </div>
  );
}
