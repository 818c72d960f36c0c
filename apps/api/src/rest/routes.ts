import { chronicleRestRoutes } from '../routers/chronicles/rest-routes';
import { credentialRestRoutes } from '../routers/credentials/rest-routes';
import { eventRestRoutes } from '../routers/events/rest-routes';
import { gitRestRoutes } from '../routers/git/rest-routes';
import { integrationRestRoutes } from '../routers/integrations/rest-routes';
import { catalogRestRoutes, sessionRestRoutes } from '../routers/sessions/rest-routes';
import { tenantRestRoutes } from '../routers/tenants/rest-routes';
import { userRestRoutes } from '../routers/users/rest-routes';
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
  {
    method: 'GET',
    path: '/me',
    procedure: 'me',
    summary: 'Who I am: principal, user record, memberships',
    tag: 'identity',
  },
  {
    method: 'GET',
    path: '/tokens',
    procedure: 'tokens.list',
    summary: 'My personal access tokens (metadata only)',
    tag: 'identity',
  },
  {
    method: 'POST',
    path: '/tokens',
    procedure: 'tokens.create',
    summary: 'Create a personal access token (shown once)',
    tag: 'identity',
    status: 201,
  },
  {
    method: 'DELETE',
    path: '/tokens/{id}',
    procedure: 'tokens.revoke',
    summary: 'Revoke a personal access token',
    tag: 'identity',
  },
  ...chronicleRestRoutes,
  ...sessionRestRoutes,
  ...catalogRestRoutes,
  ...eventRestRoutes,
  ...gitRestRoutes,
  ...credentialRestRoutes,
  ...integrationRestRoutes,
  ...tenantRestRoutes,
  ...userRestRoutes,
];
