import { useQuery } from '@tanstack/react-query';
import type { SessionEvent } from '@volundr/contracts/session-events';
import { useCallback, useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { sessionQuery } from '../../api/queries/sessions';
import { useApi } from '../../app/contexts';
import { LoadingState } from '../../components/LoadingState';
import { ApiErrorState } from '../../features/common/ApiErrorState';
import { ProvisioningPanel, StartupSummary } from '../../features/provisioning/ProvisioningPanel';
import { FeedIndicator } from '../../features/sessions/FeedIndicator';
import { SessionActions } from '../../features/sessions/SessionActions';
import { SessionStateBadge } from '../../features/sessions/SessionStateBadge';
import { repoLabel } from '../../features/sessions/session-list';
import { useSessionFeed } from '../../features/sessions/use-session-feed';
import { Workspace } from '../../features/workspace/Workspace';
import { isWorkspaceTab } from '../../features/workspace/workspace-tabs';
import './session-page.css';

const BEFORE_RUNNING = new Set(['created', 'starting', 'provisioning', 'failed']);

/** One session: its provisioning while it starts, then its workspace (chat, terminal, IDE…). */
export function SessionPage() {
  const { id = '', tab } = useParams();
  const api = useApi();
  const navigate = useNavigate();
  const session = useQuery(sessionQuery(api, id));
  const [events, setEvents] = useState<SessionEvent[]>([]);
  const onEvent = useCallback(
    (event: SessionEvent) => setEvents((list) => (list.some((e) => e.id === event.id) ? list : [...list, event])),
    [],
  );
  const feed = useSessionFeed({ sessionId: id, fromStart: true, onEvent, enabled: session.isSuccess });

  if (tab !== undefined && !isWorkspaceTab(tab)) return <Navigate to={`/sessions/${encodeURIComponent(id)}`} replace />;
  if (session.isPending) return <LoadingState label="Loading the session…" />;
  if (session.isError) {
    return (
      <div className="page">
        <ApiErrorState
          error={session.error}
          what="this session"
          procedure="sessions.byId"
          onRetry={() => void session.refetch()}
        />
        <p className="state-actions">
          <Link to="/">Back to sessions</Link>
        </p>
      </div>
    );
  }
  const s = session.data;
  return (
    <div className="session-page">
      <title>{`${s.name} · Volundr`}</title>
      <div className="session-header">
        <div className="session-heading">
          <h1>{s.name}</h1>
          <SessionStateBadge state={s.state} />
          <FeedIndicator status={feed} />
        </div>
        <div className="session-facts">
          <span>
            {s.source.type === 'git' ? `${repoLabel(s.source.repo)} · ${s.source.branch}` : 'Blank workspace'}
          </span>
          <span className="mono">{s.model}</span>
          <StartupSummary session={s} events={events.filter((e) => e.sessionId === s.id)} />
        </div>
        <SessionActions session={s} showOpen={false} onDeleted={() => navigate('/', { replace: true })} />
      </div>
      {BEFORE_RUNNING.has(s.state) ? (
        <div className="page">
          <ProvisioningPanel session={s} events={events.filter((e) => e.sessionId === s.id)} feed={feed} />
        </div>
      ) : (
        <Workspace session={s} tab={isWorkspaceTab(tab) ? tab : 'chat'} />
      )}
    </div>
  );
}
