import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { ErrorState } from '../components/ErrorState';

/** A page that failed to load or render: say so and offer a way out instead of a blank screen. */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <main className="centered">
        <ErrorState
          title="Page not found"
          message="There is nothing at this address."
          actions={
            <Link className="btn" to="/">
              Go to sessions
            </Link>
          }
        />
      </main>
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  // A new deployment replaced the code-split chunks this page asked for.
  const stale = /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(message);
  return (
    <main className="centered">
      <ErrorState
        title={stale ? 'Volundr was updated' : 'This page failed'}
        message={
          stale
            ? 'Reload to get the new version.'
            : 'Something went wrong while showing this page. Reloading usually helps.'
        }
        {...(stale ? {} : { detail: message })}
        actions={
          <>
            <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
              Reload
            </button>
            <Link className="btn" to="/">
              Go to sessions
            </Link>
          </>
        }
      />
    </main>
  );
}
