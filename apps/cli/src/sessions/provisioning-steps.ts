import type { SessionEvent } from '@volundr/contracts/session-events';

/** How one session event shows in the progress of `create`/`start`/`stop`. */
export type StepView = { kind: 'step' | 'done' | 'fail'; text: string } | null;

/** One line per event a person cares about while a session starts or stops. */
export function stepOf(event: SessionEvent): StepView {
  switch (event.type) {
    case 'session_created':
      return { kind: 'done', text: `Created session ${event.data.name}` };
    case 'state_changed': {
      const { to, reason } = event.data;
      if (to === 'starting') return { kind: 'step', text: 'Preparing the session' };
      if (to === 'provisioning') return { kind: 'step', text: 'Starting its processes' };
      if (to === 'running') return { kind: 'done', text: 'Running' };
      if (to === 'stopping') return { kind: 'step', text: reason ? `Stopping (${reason})` : 'Stopping' };
      if (to === 'stopped') return { kind: 'done', text: 'Stopped' };
      if (to === 'archived') return { kind: 'done', text: 'Archived' };
      if (to === 'failed') return { kind: 'fail', text: `Failed: ${reason ?? 'no reason given'}` };
      return null;
    }
    case 'contributor_applied':
      return {
        kind: event.data.index + 1 === event.data.total ? 'done' : 'step',
        text:
          event.data.index + 1 === event.data.total
            ? `Built the session spec (${event.data.total} contributors)`
            : `Building the session spec: ${event.data.contributor} (${event.data.index + 1}/${event.data.total})`,
      };
    case 'contributor_failed':
      return { kind: 'fail', text: `${event.data.contributor}: ${event.data.message}` };
    case 'pod_submitted':
      return {
        kind: 'done',
        text: event.data.adopted
          ? `Adopted the running ${event.data.backend} attempt`
          : `Submitted to ${event.data.backend}`,
      };
    case 'pod_progress':
      return { kind: 'step', text: `${event.data.step}: ${event.data.message}` };
    case 'container_ready':
      return { kind: 'done', text: `${event.data.container} ready (${event.data.ready}/${event.data.total})` };
    case 'cleanup_failed':
      return { kind: 'fail', text: `cleanup by ${event.data.contributor} failed: ${event.data.message}` };
    default:
      return null;
  }
}
