import { useQuery } from '@tanstack/react-query';
import type { Session } from '@volundr/contracts/sessions';
import { lazy, Suspense } from 'react';
import { modelsQuery } from '../../api/queries/catalog';
import { useApi } from '../../app/contexts';
import { EmptyState } from '../../components/EmptyState';
import { LoadingState } from '../../components/LoadingState';
import { ChangesPane } from './ChangesPane';
import { ChroniclePane } from './ChroniclePane';
import { IdePane } from './IdePane';
import { TerminalPane } from './TerminalPane';
import type { WorkspaceTab } from './workspace-tabs';

// The chat brings markdown and highlighting along: load it only where it is shown.
const ChatView = lazy(async () => ({ default: (await import('../chat/ChatView')).ChatView }));

/** One workspace tab's content (also what a pop-out window shows). */
export function TabContent({
  session,
  tab,
  onOpenFile,
  highlightFile,
  active = true,
}: {
  session: Session;
  tab: WorkspaceTab;
  /** Whether the tab is the one shown (hidden tabs stay mounted but need not refresh). */
  active?: boolean;
  onOpenFile?: (path: string) => void;
  highlightFile?: string | null;
}) {
  const api = useApi();
  const models = useQuery({ ...modelsQuery(api), enabled: tab === 'chat' });
  switch (tab) {
    case 'chat':
      if (session.state !== 'running')
        return (
          <EmptyState title="The agent is not running">
            {session.state === 'stopped' || session.state === 'archived'
              ? 'This session is stopped. Start it again to continue the conversation; the workspace is kept.'
              : 'The chat opens once the session is running.'}
          </EmptyState>
        );
      return (
        <Suspense fallback={<LoadingState label="Loading the chat…" />}>
          <ChatView models={models.data ?? null} cli={session.cli} {...(onOpenFile ? { onOpenFile } : {})} />
        </Suspense>
      );
    case 'terminal':
      return <TerminalPane session={session} />;
    case 'ide':
      return <IdePane session={session} />;
    case 'changes':
      return <ChangesPane session={session} active={active} highlight={highlightFile ?? null} />;
    case 'chronicle':
      return <ChroniclePane session={session} active={active} />;
  }
}
