import { QueryCache, QueryClient } from '@tanstack/react-query';
import { type Api, createApi, createTransport } from '../api/api-client';
import { toUiError } from '../api/api-error';
import type { AuthSession } from '../auth/auth-session';

export interface AppServices {
  api: Api;
  queryClient: QueryClient;
  /** Set once `auth.config` is known; the transport asks it for tokens. */
  setAuth(session: AuthSession | null): void;
}

/** Built once at start-up: the API transport and the query cache, shared by every page. */
export function createAppServices(): AppServices {
  let auth: AuthSession | null = null;
  const transport = createTransport({ accessToken: async () => (auth ? auth.accessToken() : null) });
  const api = createApi(transport);
  const queryClient = new QueryClient({
    queryCache: new QueryCache({
      onError(error) {
        // The API refused the token (revoked, or expired during sleep): renew once, else the
        // person is sent to sign in again by the auth state change.
        if (toUiError(error).code === 'UNAUTHENTICATED') void auth?.tokenRejected();
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry(failureCount, error) {
          const ui = toUiError(error);
          // Retrying cannot fix these: show them at once.
          if (ui.procedureMissing || ui.code === 'UNAUTHENTICATED' || ui.code === 'FORBIDDEN') return false;
          if (ui.code.endsWith('NOT_FOUND') || ui.code === 'VALIDATION_FAILED' || ui.code === 'BAD_REQUEST')
            return false;
          return failureCount < 2;
        },
      },
    },
  });
  return {
    api,
    queryClient,
    setAuth(session) {
      auth = session;
    },
  };
}
