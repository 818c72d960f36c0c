import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../app/contexts';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';

/** Where the issuer sends the browser back: exchange the code, then go where the person was. */
export function AuthCallbackPage() {
  const { session } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  // The code can be exchanged once; StrictMode runs effects twice in development.
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    session.completeSignIn(window.location.href).then(
      (returnTo) => navigate(returnTo, { replace: true }),
      (e: unknown) => {
        const params = new URLSearchParams(window.location.search);
        const denied = params.get('error');
        setError(
          denied
            ? `The sign-in provider said: ${params.get('error_description') ?? denied}`
            : e instanceof Error
              ? e.message
              : String(e),
        );
      },
    );
  }, [session, navigate]);

  if (error) {
    return (
      <main className="centered">
        <ErrorState
          title="Sign-in did not complete"
          message="The answer from the sign-in provider could not be used (it may have expired, or come from another tab). Start again."
          detail={error}
          actions={
            <Link className="btn btn-primary" to="/login" replace>
              Sign in again
            </Link>
          }
        />
      </main>
    );
  }
  return (
    <main className="centered">
      <LoadingState label="Signing you in…" />
    </main>
  );
}
