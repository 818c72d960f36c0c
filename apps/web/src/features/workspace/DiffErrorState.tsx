import { SessionApiError } from '@volundr/sdk/session-client';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';

/** A failed read from the broker, worded for what the person can do about it. */
export function DiffErrorState({
  error,
  what,
  onRetry,
  onSessionStart,
}: {
  error: unknown;
  what: string;
  onRetry: () => void;
  onSessionStart?: (() => void) | undefined;
}) {
  const code = error instanceof SessionApiError ? error.code : 'UNKNOWN';
  const message = error instanceof Error ? error.message : String(error);
  const retry = (
    <button type="button" className="btn" onClick={onRetry}>
      Try again
    </button>
  );
  switch (code) {
    case 'DIFF_BASE_UNAVAILABLE':
      return (
        <ErrorState
          title="This base cannot be compared"
          message={message}
          actions={
            onSessionStart ? (
              <button type="button" className="btn" onClick={onSessionStart}>
                Compare with the session start
              </button>
            ) : undefined
          }
        />
      );
    case 'FORBIDDEN':
      return <ErrorState title="Not allowed" message={`Your account may not read ${what} of this session.`} />;
    case 'UNAUTHENTICATED':
      return <LoadingState label="Renewing your sign-in…" />;
    case 'NOT_FOUND':
      return <EmptyState title="No longer changed">{message}</EmptyState>;
    case 'NETWORK':
    case 'SESSION_NOT_RUNNING':
    case 'DEPENDENCY_UNAVAILABLE':
      return (
        <ErrorState
          title="The session’s workspace cannot be read right now"
          message={`${message} If the session was just stopped or restarted, wait for it to run again.`}
          actions={retry}
        />
      );
    default:
      return <ErrorState title={`Could not load ${what}`} message={message} actions={retry} />;
  }
}
