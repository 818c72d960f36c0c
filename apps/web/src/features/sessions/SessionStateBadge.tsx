import type { SessionState } from '@volundr/contracts/sessions';
import { Badge, type Tone } from '../../components/Badge';

const TONE: Record<SessionState, Tone> = {
  created: 'neutral',
  starting: 'info',
  provisioning: 'info',
  running: 'success',
  stopping: 'warning',
  stopped: 'neutral',
  failed: 'danger',
  archived: 'neutral',
};

const LABEL: Record<SessionState, string> = {
  created: 'Not started',
  starting: 'Starting',
  provisioning: 'Provisioning',
  running: 'Running',
  stopping: 'Stopping',
  stopped: 'Stopped',
  failed: 'Failed',
  archived: 'Archived',
};

export const sessionStateLabel = (state: SessionState) => LABEL[state];

export function SessionStateBadge({ state }: { state: SessionState }) {
  return (
    <Badge tone={TONE[state]} dot>
      {LABEL[state]}
    </Badge>
  );
}
