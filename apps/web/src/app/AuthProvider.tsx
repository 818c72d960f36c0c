import { type ReactNode, useCallback, useEffect, useState } from 'react';
import type { Api } from '../api/api-client';
import { toUiError } from '../api/api-error';
import { AuthSession, type AuthState } from '../auth/auth-session';
import { ErrorState } from '../components/ErrorState';
import { LoadingState } from '../components/LoadingState';
import { AuthContext } from './contexts';

type Boot =
  | { phase: 'loading' }
  | { phase: 'failed'; error: unknown }
  | { phase: 'ready'; session: AuthSession; state: AuthState };

/**
 * Learns how to sign in here (`auth.config`: issuer, client id, scopes), restores a stored
 * sign-in, and provides both to the app. If the API cannot be reached nothing else can
 * work, so that is the whole screen, with a retry.
 */
export function AuthProvider({
  api,
  onSession,
  children,
}: {
  api: Api;
  onSession: (session: AuthSession | null) => void;
  children: ReactNode;
}) {
  const [boot, setBoot] = useState<Boot>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    let session: AuthSession | null = null;
    let unsubscribe = () => {};
    void attempt;
    setBoot({ phase: 'loading' });
    (async () => {
      const config = await api.query('auth.config', undefined);
      session = new AuthSession(config);
      onSession(session);
      await session.init();
      if (cancelled) return;
      const current = session;
      unsubscribe = current.subscribe((state) => setBoot({ phase: 'ready', session: current, state }));
      setBoot({ phase: 'ready', session: current, state: current.state });
    })().catch((error: unknown) => {
      if (!cancelled) setBoot({ phase: 'failed', error });
    });
    return () => {
      cancelled = true;
      unsubscribe();
      session?.dispose();
      onSession(null);
    };
  }, [api, onSession, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  if (boot.phase === 'loading') {
    return (
      <main className="centered">
        <LoadingState label="Connecting to Volundr…" />
      </main>
    );
  }
  if (boot.phase === 'failed') {
    const ui = toUiError(boot.error);
    return (
      <main className="centered">
        <ErrorState
          title="Volundr cannot be reached"
          message={
            ui.code === 'NETWORK'
              ? 'The Volundr API did not answer. If you run it on this machine, start it with "volundr up" (or check that it is still running), then try again.'
              : `The API could not say how to sign in: ${ui.message}`
          }
          actions={
            <button type="button" className="btn btn-primary" onClick={retry}>
              Try again
            </button>
          }
        />
      </main>
    );
  }
  return <AuthContext.Provider value={{ session: boot.session, state: boot.state }}>{children}</AuthContext.Provider>;
}
