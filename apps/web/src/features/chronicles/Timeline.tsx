import type { TimelineEvent } from '@volundr/contracts/chronicles';
import { Badge, type Tone } from '../../components/Badge';
import { formatTokens } from '../../components/format';
import { formatElapsed } from '../provisioning/provisioning-steps';

const TYPE: Record<TimelineEvent['type'], { label: string; tone: Tone }> = {
  session: { label: 'session', tone: 'neutral' },
  message: { label: 'message', tone: 'info' },
  file: { label: 'file', tone: 'success' },
  git: { label: 'git', tone: 'warning' },
  terminal: { label: 'command', tone: 'neutral' },
  tool_use: { label: 'tool', tone: 'neutral' },
  error: { label: 'error', tone: 'danger' },
};

function detail(e: TimelineEvent): string | null {
  const parts: string[] = [];
  if (e.action) parts.push(e.action);
  if (e.insertions !== null || e.deletions !== null) parts.push(`+${e.insertions ?? 0} −${e.deletions ?? 0}`);
  if (e.hash) parts.push(e.hash.slice(0, 7));
  if (e.exitCode !== null) parts.push(`exit ${e.exitCode}`);
  if (e.tokens !== null) parts.push(`${formatTokens(e.tokens)} tokens`);
  if (e.model) parts.push(e.model);
  return parts.length ? parts.join(' · ') : null;
}

/** What happened, in order, with the time since the session started. */
export function Timeline({ events }: { events: TimelineEvent[] }) {
  return (
    <ol className="timeline">
      {events.map((e) => (
        <li key={e.id} data-type={e.type}>
          <span className="timeline-t mono" title={new Date(e.at).toLocaleString()}>
            {formatElapsed(e.t * 1000)}
          </span>
          <Badge tone={TYPE[e.type].tone}>{TYPE[e.type].label}</Badge>
          <span className="timeline-label">{e.label}</span>
          {detail(e) ? <span className="timeline-detail muted">{detail(e)}</span> : null}
        </li>
      ))}
    </ol>
  );
}
