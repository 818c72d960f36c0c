import type { Session } from '@volundr/contracts/sessions';
import { createSessionClient, SessionApiError, type SessionClient, sessionApiUrl } from '@volundr/sdk/session-client';
import { useMemo } from 'react';
import { useAuth } from '../../app/contexts';

/**
 * The session broker's HTTP API (`/s/<id>/api`, next to its chat endpoint), called with the
 * signed-in person's access token as a bearer header.
 */
export function useSessionClient(session: Session): SessionClient {
  const { session: auth } = useAuth();
  const apiUrl = sessionApiUrl(session.endpoints?.chat, session.id);
  return useMemo(
    () =>
      createSessionClient({
        apiUrl,
        origin: window.location.href,
        token: async () => {
          const token = await auth.accessToken();
          if (!token) throw new SessionApiError('UNAUTHENTICATED', 'You are signed out.', 401);
          return token;
        },
      }),
    [auth, apiUrl],
  );
}
