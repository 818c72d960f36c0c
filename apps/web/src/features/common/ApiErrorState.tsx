import { toUiError } from '../../api/api-error';
import { ErrorState } from '../../components/ErrorState';

/**
 * A failed API call as the person should read it: a feature the API does not offer yet, the
 * API being unreachable, missing permission, or the API's own message (with its request id,
 * which is what an operator looks up in the logs).
 */
export function ApiErrorState({
  error,
  what,
  procedure,
  onRetry,
}: {
  error: unknown;
  /** What was being loaded, for the title: "sessions", "this session". */
  what: string;
  /** The procedure, named when the API does not have it. */
  procedure?: string;
  onRetry?: () => void;
}) {
  const ui = toUiError(error);
  const retry = onRetry ? (
    <button type="button" className="btn" onClick={onRetry}>
      Try again
    </button>
  ) : null;
  if (ui.procedureMissing) {
    return (
      <section className="state">
        <h2>Not available yet</h2>
        <p>
          This Volundr API does not serve {what} yet{procedure ? ` (no ${procedure} procedure)` : ''}. It will appear
          here once the API is upgraded; nothing else is needed in the browser.
        </p>
      </section>
    );
  }
  if (ui.code === 'NETWORK') {
    return (
      <ErrorState
        title="The API cannot be reached"
        message={`Could not load ${what}: the Volundr API did not answer. If you run it with "volundr up", check that it is still running; it may also be restarting.`}
        actions={retry}
      />
    );
  }
  if (ui.code === 'FORBIDDEN') {
    return (
      <ErrorState
        title="Not allowed"
        message={`Your account may not see ${what}. Ask an administrator for the role you need.`}
        detail={ui.message}
      />
    );
  }
  if (ui.code === 'UNAUTHENTICATED') {
    return <ErrorState title="Signed out" message="Your sign-in has ended. Sign in again to continue." />;
  }
  return (
    <ErrorState
      title={`Could not load ${what}`}
      message={ui.message}
      {...(ui.requestId ? { detail: `request id ${ui.requestId}` } : {})}
      actions={retry}
    />
  );
}
