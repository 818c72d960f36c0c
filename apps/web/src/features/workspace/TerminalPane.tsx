import type { Session } from '@volundr/contracts/sessions';
import { EmptyState } from '../../components/EmptyState';
import { sessionPageUrl } from '../chat/chat-url';
import { FramePane } from './FramePane';

/** The session's terminal (ttyd protocol page); it fits itself to the pane as the pane resizes. */
export function TerminalPane({ session }: { session: Session }) {
  if (session.state !== 'running') {
    return (
      <EmptyState title="The terminal is not running">The terminal is available while the session runs.</EmptyState>
    );
  }
  if (session.endpoints && session.endpoints.terminal === null) {
    return <EmptyState title="No terminal">This session was started without a terminal.</EmptyState>;
  }
  const url = sessionPageUrl(
    session.endpoints?.terminal,
    `/s/${encodeURIComponent(session.id)}/terminal/`,
    window.location.href,
  );
  return <FramePane title="Terminal" url={url} />;
}
