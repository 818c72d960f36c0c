import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { loginPath } from '../auth/return-to';
import { useAuth } from './contexts';

/** Pages behind sign-in: a signed-out visitor goes to the login page and comes back here. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status !== 'signed-in') {
    const to = loginPath(location);
    const reason = state.reason ? `${to.includes('?') ? '&' : '?'}reason=${state.reason}` : '';
    return <Navigate to={`${to}${reason}`} replace />;
  }
  return children;
}
