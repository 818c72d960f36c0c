import type { RestRoute } from '../../rest/rest-route';

/** The REST face of stored credentials: metadata in, metadata out (docs/git-and-credentials.md). */
export const credentialRestRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/credentials',
    procedure: 'credentials.list',
    summary: 'My credentials (metadata only: name, type, keys, timestamps) (?type=)',
    tag: 'credentials',
    input: ({ query }) => Object.fromEntries(query.entries()),
  },
  {
    method: 'POST',
    path: '/credentials',
    procedure: 'credentials.create',
    summary: 'Store a credential ({ name, type, data, metadata }); the answer never contains a value',
    tag: 'credentials',
    status: 201,
  },
  {
    method: 'DELETE',
    path: '/credentials/{name}',
    procedure: 'credentials.delete',
    summary: 'Delete one of my credentials',
    tag: 'credentials',
    input: ({ params }) => ({ name: params.name }),
  },
];
