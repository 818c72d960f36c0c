import { QueryClientProvider } from '@tanstack/react-query';
import { useMemo } from 'react';
import { RouterProvider } from 'react-router';
import { AuthProvider } from './AuthProvider';
import { ApiContext } from './contexts';
import { createRouter } from './router';
import { createAppServices } from './services';

export function App() {
  const services = useMemo(createAppServices, []);
  const router = useMemo(createRouter, []);
  return (
    <QueryClientProvider client={services.queryClient}>
      <ApiContext.Provider value={services.api}>
        <AuthProvider api={services.api} onSession={services.setAuth}>
          <RouterProvider router={router} />
        </AuthProvider>
      </ApiContext.Provider>
    </QueryClientProvider>
  );
}
