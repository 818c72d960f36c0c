import { Badge } from '../../components/Badge';
import type { FeedStatus } from './use-session-feed';

/** Whether the page is live (events stream in) or catching up. */
export function FeedIndicator({ status }: { status: FeedStatus }) {
  switch (status.kind) {
    case 'live':
      return (
        <span role="status">
          <Badge tone="success" dot>
            Live
          </Badge>
        </span>
      );
    case 'connecting':
      return (
        <span role="status">
          <Badge tone="neutral" dot>
            Connecting
          </Badge>
        </span>
      );
    case 'reconnecting':
      return (
        <span role="status" title={status.reason}>
          <Badge tone="warning" dot>
            Reconnecting
          </Badge>
        </span>
      );
    case 'unavailable':
      return (
        <span role="status" title="This API has no sessions.onState feed yet: reload to see changes.">
          <Badge tone="neutral">Not live</Badge>
        </span>
      );
    case 'failed':
      return (
        <span role="status" title={status.reason}>
          <Badge tone="danger">Updates stopped</Badge>
        </span>
      );
  }
}
