import type { ChatClientStatus } from '@volundr/sdk/chat-client';
import { Badge } from '../../components/Badge';

export function connectionText(status: ChatClientStatus): string {
  switch (status.state) {
    case 'connecting':
      return 'Connecting…';
    case 'open':
      return 'Connected';
    case 'reconnecting':
      return status.attempt > 1 ? `Reconnecting (attempt ${status.attempt})…` : 'Reconnecting…';
    case 'closed':
      return status.reason === 'unauthenticated'
        ? 'Disconnected: sign-in expired'
        : status.reason === 'forbidden'
          ? 'Disconnected: not allowed'
          : status.reason === 'gave_up'
            ? 'Disconnected: broker unreachable'
            : 'Disconnected';
  }
}

export function ConnectionBadge({ status }: { status: ChatClientStatus }) {
  const tone =
    status.state === 'open'
      ? 'success'
      : status.state === 'closed'
        ? 'danger'
        : status.state === 'reconnecting'
          ? 'warning'
          : 'neutral';
  return (
    <span role="status" aria-live="polite" className="connection">
      <Badge tone={tone} dot>
        {connectionText(status)}
      </Badge>
    </span>
  );
}
