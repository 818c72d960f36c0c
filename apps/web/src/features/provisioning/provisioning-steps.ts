import type { SessionEvent } from '@volundr/contracts/session-events';
import type { SessionState } from '@volundr/contracts/sessions';

export type StepStatus = 'done' | 'current' | 'pending' | 'failed';

export interface ProvisioningStep {
  key: string;
  label: string;
  status: StepStatus;
  detail: string | null;
  /** When the step was last heard of (ISO). */
  at: string | null;
}

export interface ProvisioningView {
  steps: ProvisioningStep[];
  /** When this attempt started (ISO), null before any event of it. */
  startedAt: string | null;
  /** When it ended (running or failed), null while in progress. */
  endedAt: string | null;
  outcome: 'in-progress' | 'running' | 'failed' | 'stopped';
  failureReason: string | null;
}

const ACTIVE: SessionState[] = ['starting', 'provisioning'];

/**
 * The steps of the latest start of one session, from its event log (`sessions.onState` for
 * that session from the beginning). Steps the runtime reports (`pod_progress`: clone, setup
 * scripts...) appear as they come, between submitting and the containers being ready.
 */
export function provisioningView(
  events: SessionEvent[],
  state: SessionState,
  stateReason: string | null,
): ProvisioningView {
  // Only the latest attempt: everything after the last move to `starting`.
  let from = 0;
  events.forEach((e, i) => {
    if (e.type === 'state_changed' && e.data.to === 'starting') from = i;
  });
  const attempt = events.slice(from);
  const startEvent = attempt.find((e) => e.type === 'state_changed' && e.data.to === 'starting');

  const spec: ProvisioningStep = {
    key: 'spec',
    label: 'Prepare the session spec',
    status: 'pending',
    detail: null,
    at: null,
  };
  const submit: ProvisioningStep = {
    key: 'submit',
    label: 'Start the session runtime',
    status: 'pending',
    detail: null,
    at: null,
  };
  const progress = new Map<string, ProvisioningStep>();
  const ready: ProvisioningStep = {
    key: 'ready',
    label: 'Wait for the services',
    status: 'pending',
    detail: null,
    at: null,
  };
  const running: ProvisioningStep = { key: 'running', label: 'Running', status: 'pending', detail: null, at: null };
  const queued: ProvisioningStep = {
    key: 'queued',
    label: 'Queued',
    status: startEvent ? 'done' : 'pending',
    detail: null,
    at: startEvent?.createdAt ?? null,
  };

  let failureReason: string | null = null;
  let endedAt: string | null = null;
  let outcome: ProvisioningView['outcome'] = 'in-progress';

  for (const e of attempt) {
    switch (e.type) {
      case 'contributor_applied':
        spec.detail = `${e.data.contributor} (${e.data.index + 1} of ${e.data.total})`;
        spec.at = e.createdAt;
        if (e.data.index + 1 >= e.data.total) spec.status = 'done';
        break;
      case 'contributor_failed':
        spec.status = 'failed';
        spec.detail = `${e.data.contributor}: ${e.data.message}`;
        spec.at = e.createdAt;
        failureReason = spec.detail;
        break;
      case 'pod_submitted':
        spec.status = 'done';
        submit.status = 'done';
        submit.detail = `${e.data.backend}${e.data.adopted ? ' (resumed an existing start)' : ''}`;
        submit.at = e.createdAt;
        break;
      case 'pod_progress': {
        const step = progress.get(e.data.step) ?? {
          key: `progress:${e.data.step}`,
          label: e.data.step,
          status: 'pending' as StepStatus,
          detail: null,
          at: null,
        };
        step.detail = e.data.message;
        step.at = e.createdAt;
        progress.set(e.data.step, step);
        break;
      }
      case 'container_ready':
        ready.detail = `${e.data.container} ready (${e.data.ready} of ${e.data.total})`;
        ready.at = e.createdAt;
        if (e.data.ready >= e.data.total) ready.status = 'done';
        break;
      case 'state_changed':
        if (e.data.to === 'provisioning') {
          spec.status = spec.status === 'failed' ? 'failed' : 'done';
          submit.status = 'done';
          submit.at ??= e.createdAt;
        }
        if (e.data.to === 'running') {
          outcome = 'running';
          endedAt = e.createdAt;
          running.status = 'done';
          running.at = e.createdAt;
        }
        if (e.data.to === 'failed') {
          outcome = 'failed';
          endedAt = e.createdAt;
          failureReason = e.data.reason ?? failureReason;
        }
        if (e.data.to === 'stopping' || e.data.to === 'stopped') {
          outcome = 'stopped';
          endedAt ??= e.createdAt;
        }
        break;
      default:
        break;
    }
  }

  // A progress step is done once a later one (or the containers) has been heard from.
  const progressSteps = [...progress.values()];
  progressSteps.forEach((step, i) => {
    if (i < progressSteps.length - 1 || ready.at || outcome === 'running') step.status = 'done';
  });

  const steps = [queued, spec, submit, ...progressSteps, ready, running];
  if (outcome === 'running') for (const s of steps) if (s.status !== 'failed') s.status = 'done';

  // The session itself is the truth when the log is behind (or empty).
  if (outcome === 'in-progress' && state === 'running') outcome = 'running';
  if (outcome === 'in-progress' && state === 'failed') {
    outcome = 'failed';
    failureReason = failureReason ?? stateReason;
  }
  if (outcome === 'failed') {
    failureReason = failureReason ?? stateReason ?? 'The session failed to start (no reason was given).';
    // The step that was under way when it failed carries the failure.
    const current = steps.find((s) => s.status !== 'done');
    if (current && !steps.some((s) => s.status === 'failed')) {
      current.status = 'failed';
      current.detail = failureReason;
    }
  } else if (outcome === 'in-progress' && ACTIVE.includes(state)) {
    const current = steps.find((s) => s.status !== 'done');
    if (current) current.status = 'current';
  }

  return {
    steps,
    startedAt: startEvent?.createdAt ?? null,
    endedAt,
    outcome,
    failureReason: outcome === 'failed' ? failureReason : null,
  };
}

/** `1:05`, `12:00`, `1:02:03` — elapsed time as a stopwatch shows it. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
