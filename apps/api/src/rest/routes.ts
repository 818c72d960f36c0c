import type { RestRoute } from './rest-route';

/** Every REST endpoint under /api/v1, each mapped to its tRPC procedure. */
export const restRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/auth/config',
    procedure: 'auth.config',
    summary: 'How to sign in (issuer, client ids, scopes)',
    tag: 'auth',
    public: true,
  },
  {
    method: 'GET',
    path: '/system/info',
    procedure: 'system.info',
    summary: 'Version and mode of this installation',
    tag: 'system',
    public: true,
  },
];
