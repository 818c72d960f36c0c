import { createContext, useContext } from 'react';
import type { Api } from '../api/api-client';
import type { AuthSession, AuthState } from '../auth/auth-session';

export const ApiContext = createContext<Api | null>(null);

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider>');
  return api;
}

export interface AuthContextValue {
  session: AuthSession;
  state: AuthState;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside <AuthProvider>');
  return auth;
}
