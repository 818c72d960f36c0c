import type { RestRoute } from '../../rest/rest-route';
import { typedQuery } from '../sessions/rest-routes';

const user = (action: 'suspend' | 'unsuspend' | 'reprovision', summary: string): RestRoute => ({
  method: 'POST',
  path: `/users/{id}/${action}`,
  procedure: `users.${action}`,
  summary,
  tag: 'administration',
  input: ({ params }) => ({ id: params.id }),
});

/** The REST face of user administration (docs/identity.md, "Administration"). */
export const userRestRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/users',
    procedure: 'users.list',
    summary: 'Members of a tenant you administer, by id (?tenantId=&status=&limit=&cursor=)',
    tag: 'administration',
    input: ({ query }) => typedQuery(query, { numbers: ['limit'] }) ?? {},
  },
  {
    method: 'GET',
    path: '/users/{id}',
    procedure: 'users.byId',
    summary: 'A user of the tenants you administer, with those memberships',
    tag: 'administration',
    input: ({ params }) => ({ id: params.id }),
  },
  user('suspend', 'Suspend an account (its requests are refused until the suspension is lifted)'),
  user('unsuspend', 'Lift a suspension'),
  user('reprovision', 'Re-provision an account (home volume, then active)'),
];
