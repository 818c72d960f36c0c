import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SessionEvent } from '@volundr/contracts/session-events';
import type { Session } from '@volundr/contracts/sessions';
import { toUiError } from '../../api/api-error';
import { lifecycleMutation } from '../../api/queries/sessions';
import { useApi } from '../../app/contexts';
import { Icon } from '../../components/Icon';
import { useNow } from '../../components/use-now';
import type { FeedStatus } from '../sessions/use-session-feed';
import { formatElapsed, type ProvisioningStep, provisioningView } from './provisioning-steps';
import './provisioning.css';

const MARK = { done: '✓', current: '•', pending: '', failed: '✕' } as const;
const SAY = { done: 'done', current: 'in progress', pending: 'waiting', failed: 'failed' } as const;

/** A session on its way to `running`: each step, the one under way, time so far, and on failure why and a retry. */
export function ProvisioningPanel({
  session,
  events,
  feed,
}: {
  session: Session;
  events: SessionEvent[];
  feed: FeedStatus;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const start = useMutation(lifecycleMutation(api, queryClient, 'start'));
  const view = provisioningView(events, session.state, session.stateReason);
  const inProgress =
    view.outcome === 'in-progress' && (session.state === 'starting' || session.state === 'provisioning');
  const now = useNow(1000, inProgress);
  const startedAt = view.startedAt ?? session.provisioningStartedAt;
  const elapsed = startedAt ? (view.endedAt ? Date.parse(view.endedAt) : now) - Date.parse(startedAt) : null;

  if (session.state === 'created') {
    return (
      <section className="provisioning card" aria-labelledby="prov-title">
        <h2 id="prov-title">Not started</h2>
        <p className="muted">This session was created without being started.</p>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => start.mutate(session.id)}
          disabled={start.isPending}
        >
          <Icon name="play" />
          {start.isPending ? 'Starting…' : 'Start session'}
        </button>
        {start.error ? <p className="field-error">{toUiError(start.error).message}</p> : null}
      </section>
    );
  }

  return (
    <section className="provisioning card" aria-labelledby="prov-title">
      <div className="provisioning-head">
        <h2 id="prov-title">{view.outcome === 'failed' ? 'The session failed to start' : 'Starting the session'}</h2>
        {elapsed !== null ? (
          <span className="provisioning-elapsed" title="Time since the start was requested">
            <span className="visually-hidden">Elapsed </span>
            {formatElapsed(elapsed)}
          </span>
        ) : null}
      </div>
      {feed.kind === 'unavailable' ? (
        <p className="muted">
          This API does not stream provisioning steps yet; the state above updates when you reload.
        </p>
      ) : null}
      <StepList steps={view.steps} />
      {view.outcome === 'failed' ? (
        <div className="provisioning-failure" role="alert">
          <p>
            <strong>Why:</strong> {view.failureReason}
          </p>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => start.mutate(session.id)}
            disabled={start.isPending}
          >
            <Icon name="refresh" />
            {start.isPending ? 'Retrying…' : 'Retry'}
          </button>
          {start.error ? <p className="field-error">{toUiError(start.error).message}</p> : null}
        </div>
      ) : null}
    </section>
  );
}

/** The provisioning steps, the one under way marked for assistive technology too. */
export function StepList({ steps }: { steps: ProvisioningStep[] }) {
  return (
    <ol className="steps">
      {steps.map((step) => (
        <li key={step.key} data-status={step.status} aria-current={step.status === 'current' ? 'step' : undefined}>
          <span className="step-mark" aria-hidden="true">
            {step.status === 'current' ? <span className="spinner" /> : MARK[step.status]}
          </span>
          <span className="step-text">
            <span className="step-label">
              {step.label}
              <span className="visually-hidden"> ({SAY[step.status]})</span>
            </span>
            {step.detail ? <span className="step-detail">{step.detail}</span> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

/**
 * How a running (or stopped) session started: the steps of its last start and how long it
 * took, folded away in the session header.
 */
export function StartupSummary({ session, events }: { session: Session; events: SessionEvent[] }) {
  const view = provisioningView(events, session.state, session.stateReason);
  if (!view.startedAt || !view.endedAt || view.outcome !== 'running') return null;
  return (
    <details className="startup">
      <summary>Started in {formatElapsed(Date.parse(view.endedAt) - Date.parse(view.startedAt))}</summary>
      <div className="startup-steps card">
        <StepList steps={view.steps} />
      </div>
    </details>
  );
}
