import { useQuery } from '@tanstack/react-query';
import type { Session } from '@volundr/contracts/sessions';
import { Link, Navigate, useParams } from 'react-router';
import { sessionQuery } from '../../api/queries/sessions';
import { useApi } from '../../app/contexts';
import { LoadingState } from '../../components/LoadingState';
import { ThemeToggle } from '../../components/ThemeToggle';
import { ChatContext } from '../../features/chat/ChatContext';
import { useChat } from '../../features/chat/use-chat';
import { ApiErrorState } from '../../features/common/ApiErrorState';
import { SessionStateBadge } from '../../features/sessions/SessionStateBadge';
import { useSessionFeed } from '../../features/sessions/use-session-feed';
import { TabContent } from '../../features/workspace/TabContent';
import { isWorkspaceTab, tabLabel, type WorkspaceTab } from '../../features/workspace/workspace-tabs';
import '../../features/workspace/workspace.css';
import './popout.css';

/** One workspace tab alone in its window, with its own connection (kept in step by the broker). */
export function PopoutPage() {
  const { id = '', tab } = useParams();
  const api = useApi();
  const session = useQuery(sessionQuery(api, id));
  useSessionFeed({ sessionId: id, enabled: session.isSuccess });
  if (!isWorkspaceTab(tab)) return <Navigate to={`/sessions/${encodeURIComponent(id)}`} replace />;
  if (session.isPending) return <LoadingState label="Loading the session…" />;
  if (session.isError)
    return <ApiErrorState error={session.error} what="this session" onRetry={() => void session.refetch()} />;
  return <Popout session={session.data} tab={tab} />;
}

function Popout({ session, tab }: { session: Session; tab: WorkspaceTab }) {
  // The Changes tab listens to the chat too: its file events tell it when to refresh.
  const chat = useChat(session, session.state === 'running' && (tab === 'chat' || tab === 'changes'));
  return (
    <ChatContext.Provider value={chat}>
      <title>{`${tabLabel(tab)} · ${session.name} · Volundr`}</title>
      <div className="popout">
        <header className="popout-header">
          <h1>
            {session.name} <span className="muted">· {tabLabel(tab)}</span>
          </h1>
          <SessionStateBadge state={session.state} />
          <span className="popout-spacer" />
          <ThemeToggle />
          <Link className="btn btn-sm" to={`/sessions/${encodeURIComponent(session.id)}/${tab}`}>
            Open the workspace
          </Link>
        </header>
        <main className="popout-main">
          <TabContent session={session} tab={tab} />
        </main>
      </div>
    </ChatContext.Provider>
  );
}
