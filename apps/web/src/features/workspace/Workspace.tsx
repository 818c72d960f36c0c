import type { Session } from '@volundr/contracts/sessions';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Icon } from '../../components/Icon';
import { Tabs, tabIds } from '../../components/Tabs';
import { ChatContext } from '../chat/ChatContext';
import { useChat } from '../chat/use-chat';
import { TabContent } from './TabContent';
import { popOut, tabLabel, WORKSPACE_TABS, type WorkspaceTab } from './workspace-tabs';
import './workspace.css';

/**
 * The session's tabs. A tab, once opened, stays mounted (hidden) so switching back keeps the
 * terminal's and IDE's state; the chat connection belongs to the workspace, so Chat and
 * Changes share it.
 */
export function Workspace({ session, tab }: { session: Session; tab: WorkspaceTab }) {
  const navigate = useNavigate();
  const chat = useChat(session, session.state === 'running');
  const [visited, setVisited] = useState<Set<WorkspaceTab>>(() => new Set([tab]));
  const [highlight, setHighlight] = useState<string | null>(null);
  if (!visited.has(tab)) setVisited(new Set([...visited, tab]));
  const ids = tabIds('workspace');
  const select = (next: WorkspaceTab) =>
    navigate(`/sessions/${encodeURIComponent(session.id)}/${next}`, { replace: true });

  return (
    <ChatContext.Provider value={chat}>
      <div className="workspace">
        <Tabs
          label="Workspace"
          idPrefix="workspace"
          items={WORKSPACE_TABS.map((t) => ({ key: t.key, label: t.label }))}
          selected={tab}
          onSelect={select}
          trailing={
            <button
              type="button"
              className="btn btn-ghost btn-sm popout-button"
              onClick={() => popOut(session.id, tab)}
              title="Open in a new window"
            >
              <Icon name="external" />
              Pop out<span className="visually-hidden"> {tabLabel(tab)} into a new window</span>
            </button>
          }
        />
        {WORKSPACE_TABS.map((t) =>
          visited.has(t.key) ? (
            <div
              key={t.key}
              role="tabpanel"
              id={ids.panel(t.key)}
              aria-labelledby={ids.tab(t.key)}
              className="workspace-panel"
              hidden={t.key !== tab}
            >
              <TabContent
                session={session}
                tab={t.key}
                active={t.key === tab}
                highlightFile={highlight}
                onOpenFile={(path) => {
                  setHighlight(path);
                  select('changes');
                }}
              />
            </div>
          ) : null,
        )}
      </div>
    </ChatContext.Provider>
  );
}
