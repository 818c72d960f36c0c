import type { Session } from '@volundr/contracts/sessions';
import { EmptyState } from '../../components/EmptyState';
import { sessionPageUrl } from '../chat/chat-url';
import { FramePane } from './FramePane';

/** code-server for the session's workspace, or how to get it when it is not installed. */
export function IdePane({ session }: { session: Session }) {
  if (session.state !== 'running') {
    return <EmptyState title="The IDE is not running">The IDE is available while the session runs.</EmptyState>;
  }
  if (session.endpoints && session.endpoints.code === null) {
    return (
      <section className="state">
        <h2>The browser IDE is not installed</h2>
        <p>
          Sessions get an IDE (code-server) once it is installed on the machine that runs them. On a local install run{' '}
          <code>volundr ide install</code>, then restart this session.
        </p>
      </section>
    );
  }
  const url = sessionPageUrl(
    session.endpoints?.code,
    `/s/${encodeURIComponent(session.id)}/ide/`,
    window.location.href,
  );
  return <FramePane title="IDE" url={url} />;
}
