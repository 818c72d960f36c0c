import { useCallback, useEffect, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { useAuth } from '../../app/contexts';
import { IssuerUnreachableError } from '../../auth/auth-session';
import { safeReturnTo } from '../../auth/return-to';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { ThemeToggle } from '../../components/ThemeToggle';

type Phase =
  | { kind: 'checking' }
  | { kind: 'ready' }
  | { kind: 'redirecting' }
  | { kind: 'unreachable'; message: string };

const REASONS: Record<string, string> = {
  expired: 'Your sign-in has expired. Sign in again to continue where you were.',
  'signed-out-elsewhere': 'You signed out in another tab or window.',
};

export function LoginPage() {
  const { session, state } = useAuth();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo') ?? '/');
  const reason = REASONS[params.get('reason') ?? ''];
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });

  const check = useCallback(() => {
    setPhase({ kind: 'checking' });
    session.checkIssuer().then(
      () => setPhase({ kind: 'ready' }),
      (error: unknown) =>
        setPhase({ kind: 'unreachable', message: error instanceof Error ? error.message : String(error) }),
    );
  }, [session]);

  useEffect(() => {
    document.title = 'Sign in · Volundr';
    check();
  }, [check]);

  if (state.status === 'signed-in') return <Navigate to={returnTo} replace />;

  const signIn = () => {
    setPhase({ kind: 'redirecting' });
    session.signIn(returnTo).catch((error: unknown) => {
      setPhase({
        kind: 'unreachable',
        message: error instanceof IssuerUnreachableError || error instanceof Error ? error.message : String(error),
      });
    });
  };

  return (
    <main className="centered">
      <div className="login-theme">
        <ThemeToggle />
      </div>
      {phase.kind === 'unreachable' ? (
        <ErrorState
          title="The sign-in provider cannot be reached"
          message={`Volundr signs you in through ${session.config.issuer}, which did not answer. ${
            session.config.embedded
              ? 'It is part of Volundr itself here: check that "volundr up" is still running.'
              : 'Check your network (VPN?) or ask whoever runs your identity provider whether it is up.'
          }`}
          detail={phase.message}
          actions={
            <button type="button" className="btn btn-primary" onClick={check}>
              Try again
            </button>
          }
        />
      ) : (
        <section className="panel" aria-labelledby="login-title">
          <h1 id="login-title">Sign in to Volundr</h1>
          {reason ? (
            <p className="banner" data-tone="info" role="status">
              {reason}
            </p>
          ) : null}
          <p className="muted">
            Ephemeral AI coding sessions: a workspace, a terminal, an IDE and an agent, one click away.
          </p>
          {phase.kind === 'checking' ? (
            <LoadingState label="Checking the sign-in provider…" inline />
          ) : (
            <button
              type="button"
              className="btn btn-primary login-button"
              onClick={signIn}
              disabled={phase.kind === 'redirecting'}
              // biome-ignore lint/a11y/noAutofocus: the only thing to do on this page
              autoFocus
            >
              {phase.kind === 'redirecting' ? 'Opening the sign-in page…' : 'Sign in'}
            </button>
          )}
          {session.config.embedded ? (
            <p className="field-hint login-hint">
              Local mode: sign in as <code>admin</code> with the password <code>volundr up</code> printed the first time
              it started.
            </p>
          ) : null}
        </section>
      )}
    </main>
  );
}
