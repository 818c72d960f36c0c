import type { Session } from '@volundr/contracts/sessions';
import { Link } from 'react-router';
import { formatTokens, formatUsd } from '../../components/format';
import { RelativeTime } from '../../components/RelativeTime';
import { SessionActions } from './SessionActions';
import { SessionStateBadge } from './SessionStateBadge';
import './sessions.css';
import { repoLabel } from './session-list';

const ACTIVITY = { active: 'Agent working', tool_executing: 'Running a tool', idle: null } as const;

export function SessionCard({ session }: { session: Session }) {
  const activity = session.state === 'running' ? ACTIVITY[session.activityState] : null;
  return (
    <li className="session-card" aria-labelledby={`session-${session.id}`}>
      <div className="session-main">
        <div className="session-title">
          <Link
            id={`session-${session.id}`}
            to={`/sessions/${encodeURIComponent(session.id)}`}
            className="session-name"
          >
            {session.name}
          </Link>
          <SessionStateBadge state={session.state} />
          {activity ? <span className="session-activity">{activity}</span> : null}
        </div>
        <div className="session-meta">
          <span title={session.source.type === 'git' ? session.source.repo : undefined}>
            {session.source.type === 'git'
              ? `${repoLabel(session.source.repo)} · ${session.source.branch}`
              : 'Blank workspace'}
          </span>
          <span className="mono">{session.model}</span>
          {session.templateName ? <span>template {session.templateName}</span> : null}
          <span>
            {formatTokens(session.tokensUsed)} tokens · {formatUsd(session.costUsd)}
          </span>
          <span>
            updated <RelativeTime iso={session.lastActivityAt ?? session.updatedAt} />
          </span>
        </div>
        {session.state === 'failed' && session.stateReason ? (
          <p className="session-reason">{session.stateReason}</p>
        ) : null}
      </div>
      <SessionActions session={session} />
    </li>
  );
}
