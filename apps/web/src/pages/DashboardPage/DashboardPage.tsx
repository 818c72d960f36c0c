import { useInfiniteQuery } from '@tanstack/react-query';
import { SESSION_STATES, type SessionState } from '@volundr/contracts/sessions';
import { useDeferredValue, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { sessionListQuery } from '../../api/queries/sessions';
import { useApi } from '../../app/contexts';
import { EmptyState } from '../../components/EmptyState';
import { formatTokens, formatUsd } from '../../components/format';
import { Icon } from '../../components/Icon';
import { LoadingState } from '../../components/LoadingState';
import { ApiErrorState } from '../../features/common/ApiErrorState';
import { FeedIndicator } from '../../features/sessions/FeedIndicator';
import { SessionCard } from '../../features/sessions/SessionCard';
import { sessionStateLabel } from '../../features/sessions/SessionStateBadge';
import { filterSessions, groupSessions, sessionStats } from '../../features/sessions/session-list';
import { useSessionFeed } from '../../features/sessions/use-session-feed';
import './dashboard.css';

const isState = (v: string): v is SessionState => (SESSION_STATES as readonly string[]).includes(v);

/** Every session of the person, grouped by state and kept current by the live feed. */
export function DashboardPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const text = params.get('q') ?? '';
  const stateFilter = params.get('state') ?? '';
  const showArchived = params.get('archived') === '1' || stateFilter === 'archived';
  const deferredText = useDeferredValue(text);

  const list = useInfiniteQuery(sessionListQuery(api, { includeArchived: showArchived }));
  const feed = useSessionFeed({ enabled: list.isSuccess });

  const all = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const visible = useMemo(
    () => filterSessions(all, { text: deferredText, states: isState(stateFilter) ? [stateFilter] : [] }),
    [all, deferredText, stateFilter],
  );
  const groups = useMemo(() => groupSessions(visible), [visible]);
  const stats = useMemo(() => sessionStats(all, new Date()), [all]);

  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <div className="page">
      <title>Sessions · Volundr</title>
      <div className="page-header">
        <h1>Sessions</h1>
        <div className="page-header-actions">
          {list.isSuccess ? <FeedIndicator status={feed} /> : null}
          <Link className="btn btn-primary" to="/launch">
            <Icon name="plus" />
            New session
          </Link>
        </div>
      </div>

      {list.isPending ? <LoadingState label="Loading sessions…" /> : null}
      {list.isError ? (
        <ApiErrorState
          error={list.error}
          what="sessions"
          procedure="sessions.list"
          onRetry={() => void list.refetch()}
        />
      ) : null}

      {list.isSuccess ? (
        <>
          <section className="stats" aria-label="Summary">
            <div className="stat">
              <span className="stat-value">{stats.running}</span>
              <span className="stat-label">running</span>
            </div>
            <div className="stat">
              <span className="stat-value">{stats.starting}</span>
              <span className="stat-label">starting</span>
            </div>
            <div className="stat">
              <span className="stat-value">{formatTokens(stats.tokensActiveToday)}</span>
              <span className="stat-label">tokens · sessions active today</span>
            </div>
            <div className="stat">
              <span className="stat-value">{formatUsd(stats.costActiveToday)}</span>
              <span className="stat-label">cost · sessions active today</span>
            </div>
          </section>

          {all.length === 0 ? (
            <EmptyState
              title={showArchived ? 'No sessions, not even archived ones' : 'No sessions yet'}
              actions={
                <Link className="btn btn-primary" to="/launch">
                  Launch your first session
                </Link>
              }
            >
              A session is a workspace with an AI coding agent, a terminal and an IDE, started from a repository or from
              scratch.
            </EmptyState>
          ) : (
            <>
              <search className="filters" aria-label="Filter sessions">
                <div className="field filter-text">
                  <label htmlFor="session-search">Search</label>
                  <input
                    id="session-search"
                    className="input"
                    type="search"
                    placeholder="Name, repository, branch, model…"
                    value={text}
                    onChange={(e) => update('q', e.target.value)}
                  />
                </div>
                <div className="field">
                  <label htmlFor="session-state">State</label>
                  <select
                    id="session-state"
                    className="select"
                    value={stateFilter}
                    onChange={(e) => update('state', e.target.value)}
                  >
                    <option value="">Any state</option>
                    {SESSION_STATES.map((s) => (
                      <option key={s} value={s}>
                        {sessionStateLabel(s)}
                      </option>
                    ))}
                  </select>
                </div>
                <label className="checkbox filter-archived">
                  <input
                    type="checkbox"
                    checked={showArchived}
                    onChange={(e) => update('archived', e.target.checked ? '1' : '')}
                  />
                  Show archived
                </label>
              </search>

              {groups.length === 0 ? (
                <EmptyState
                  title="No session matches"
                  actions={
                    <button type="button" className="btn" onClick={() => setParams({}, { replace: true })}>
                      Clear filters
                    </button>
                  }
                >
                  Nothing matches “{text}”{stateFilter ? ` in state ${stateFilter}` : ''}.
                </EmptyState>
              ) : (
                groups.map((group) => (
                  <section key={group.key} className="session-group" aria-labelledby={`group-${group.key}`}>
                    <h2 id={`group-${group.key}`}>
                      {group.title} <span className="muted">({group.sessions.length})</span>
                    </h2>
                    <ul className="session-list">
                      {group.sessions.map((s) => (
                        <SessionCard key={s.id} session={s} />
                      ))}
                    </ul>
                  </section>
                ))
              )}
              {list.hasNextPage ? (
                <button
                  type="button"
                  className="btn load-more"
                  onClick={() => void list.fetchNextPage()}
                  disabled={list.isFetchingNextPage}
                >
                  {list.isFetchingNextPage ? 'Loading…' : 'Load older sessions'}
                </button>
              ) : null}
            </>
          )}
        </>
      ) : null}
    </div>
  );
}
