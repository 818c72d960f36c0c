import { createBrowserRouter, Outlet } from 'react-router';
import { LoadingState } from '../components/LoadingState';
import { AppShell } from './AppShell';
import { RequireAuth } from './RequireAuth';
import { RouteError } from './RouteError';

/**
 * Every page is its own chunk (loaded on first visit); the shell and sign-in gate are in the
 * initial bundle.
 */
export function createRouter() {
  return createBrowserRouter([
    {
      path: '/login',
      errorElement: <RouteError />,
      hydrateFallbackElement: <LoadingState label="Loading…" />,
      lazy: async () => ({ Component: (await import('../pages/LoginPage/LoginPage')).LoginPage }),
    },
    {
      path: '/auth/callback',
      errorElement: <RouteError />,
      hydrateFallbackElement: <LoadingState label="Loading…" />,
      lazy: async () => ({ Component: (await import('../pages/AuthCallbackPage/AuthCallbackPage')).AuthCallbackPage }),
    },
    {
      path: '/popout/:id/:tab',
      errorElement: <RouteError />,
      hydrateFallbackElement: <LoadingState label="Loading…" />,
      element: (
        <RequireAuth>
          <Outlet />
        </RequireAuth>
      ),
      children: [
        {
          index: true,
          lazy: async () => ({ Component: (await import('../pages/PopoutPage/PopoutPage')).PopoutPage }),
        },
      ],
    },
    {
      // Session services (chat, terminal, IDE) live under /s/ behind the gateway. This app is
      // only reached there when the gateway did not route the request: say so, in a frame too.
      path: '/s/*',
      hydrateFallbackElement: <LoadingState label="Loading…" />,
      lazy: async () => ({
        Component: (await import('../pages/SessionServiceUnavailablePage/SessionServiceUnavailablePage'))
          .SessionServiceUnavailablePage,
      }),
    },
    {
      path: '/',
      errorElement: <RouteError />,
      hydrateFallbackElement: <LoadingState label="Loading…" />,
      element: (
        <RequireAuth>
          <AppShell />
        </RequireAuth>
      ),
      children: [
        {
          index: true,
          lazy: async () => ({ Component: (await import('../pages/DashboardPage/DashboardPage')).DashboardPage }),
        },
        {
          path: 'launch',
          lazy: async () => ({ Component: (await import('../pages/LaunchPage/LaunchPage')).LaunchPage }),
        },
        {
          path: 'sessions/:id/:tab?',
          lazy: async () => ({ Component: (await import('../pages/SessionPage/SessionPage')).SessionPage }),
        },
        {
          path: 'chronicles',
          lazy: async () => ({ Component: (await import('../pages/ChroniclesPage/ChroniclesPage')).ChroniclesPage }),
        },
        {
          path: 'chronicles/:id',
          lazy: async () => ({ Component: (await import('../pages/ChroniclePage/ChroniclePage')).ChroniclePage }),
        },
        {
          path: 'settings/:section?',
          lazy: async () => ({ Component: (await import('../pages/SettingsPage/SettingsPage')).SettingsPage }),
        },
        {
          path: '*',
          lazy: async () => ({ Component: (await import('../pages/NotFoundPage/NotFoundPage')).NotFoundPage }),
        },
      ],
    },
  ]);
}
