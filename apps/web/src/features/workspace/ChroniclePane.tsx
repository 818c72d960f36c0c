import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { Session } from '@volundr/contracts/sessions';
import { Link } from 'react-router';
import { sessionTimelineQuery, sessionTokensQuery } from '../../api/queries/chronicles';
import { useApi } from '../../app/contexts';
import { EmptyState } from '../../components/EmptyState';
import { LoadingState } from '../../components/LoadingState';
import { Timeline } from '../chronicles/Timeline';
import { TokenBurnChart } from '../chronicles/TokenBurnChart';
import { ApiErrorState } from '../common/ApiErrorState';
import '../chronicles/chronicles.css';

/** The session's record so far: token burn and timeline (refreshed when the tab is opened again). */
export function ChroniclePane({ session, active }: { session: Session; active: boolean }) {
  const api = useApi();
  const timeline = useInfiniteQuery({
    ...sessionTimelineQuery(api, session.id),
    enabled: active,
    refetchOnMount: 'always',
  });
  const burn = useQuery({ ...sessionTokensQuery(api, session.id), enabled: active });
  const events = timeline.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="page">
      <div className="page-header">
        <h2>Chronicle so far</h2>
        <div className="session-actions">
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => {
              void timeline.refetch();
              void burn.refetch();
            }}
          >
            Refresh
          </button>
          <Link
            className="btn btn-sm"
            to={`/chronicles?repo=${encodeURIComponent(session.source.type === 'git' ? session.source.repo : '')}`}
          >
            Chronicles of this repository
          </Link>
        </div>
      </div>
      <section className="card chronicle-section" aria-labelledby="pane-burn">
        <h3 id="pane-burn">Token burn</h3>
        {burn.isPending ? <LoadingState label="Loading token use…" inline /> : null}
        {burn.isError ? <ApiErrorState error={burn.error} what="token use" procedure="usage.tokens" /> : null}
        {burn.isSuccess ? <TokenBurnChart burn={burn.data} /> : null}
      </section>
      <section className="card chronicle-section" aria-labelledby="pane-timeline">
        <h3 id="pane-timeline">Timeline</h3>
        {timeline.isPending ? <LoadingState label="Loading the timeline…" inline /> : null}
        {timeline.isError ? (
          <ApiErrorState error={timeline.error} what="the timeline" procedure="timeline.bySession" />
        ) : null}
        {timeline.isSuccess && events.length === 0 ? (
          <EmptyState title="Nothing recorded yet">
            Messages, file edits, commands and commits appear here as the session works.
          </EmptyState>
        ) : null}
        {events.length > 0 ? <Timeline events={events} /> : null}
        {timeline.hasNextPage ? (
          <button type="button" className="btn load-more" onClick={() => void timeline.fetchNextPage()}>
            Load more
          </button>
        ) : null}
      </section>
    </div>
  );
}
