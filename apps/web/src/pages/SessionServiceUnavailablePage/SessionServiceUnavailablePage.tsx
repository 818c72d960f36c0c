import { ErrorState } from '../../components/ErrorState';

/**
 * Shown when a session URL (`/s/<id>/terminal/`, `/s/<id>/ide/`) reaches the web app instead
 * of the session: the gateway has no route for it (the session stopped, or the gateway is not
 * running). Usually inside the workspace's frame, so it is small and has no navigation.
 */
export function SessionServiceUnavailablePage() {
  return (
    <main className="centered">
      <title>Session service unavailable · Volundr</title>
      <ErrorState
        title="This session service is not reachable"
        message="The gateway did not route this address to the session. The session may have stopped, or it is still starting; reload in a moment. If it persists, check that Volundr's gateway is running."
      />
    </main>
  );
}
