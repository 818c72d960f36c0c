import type { RestRoute } from '../../rest/rest-route';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The REST face of integrations (docs/git-and-credentials.md). */
export const integrationRestRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/integrations/catalog',
    procedure: 'integrations.catalog',
    summary: 'GitHub/GitLab instances you can connect, and how',
    tag: 'integrations',
    input: () => ({}),
  },
  {
    method: 'GET',
    path: '/integrations',
    procedure: 'integrations.list',
    summary: 'My integrations (metadata only)',
    tag: 'integrations',
    input: () => ({}),
  },
  {
    method: 'POST',
    path: '/integrations',
    procedure: 'integrations.connect',
    summary: 'Connect: { method: token, provider, token } or { method: oauth, provider, code, state }',
    tag: 'integrations',
    status: 201,
  },
  {
    method: 'POST',
    path: '/integrations/oauth/{provider}/authorize',
    procedure: 'integrations.authorize',
    summary: "Start an OAuth connection: the provider's authorize URL and the state",
    tag: 'integrations',
    input: ({ params }) => ({ provider: params.provider }),
  },
  {
    method: 'DELETE',
    path: '/integrations/{id}',
    procedure: 'integrations.disconnect',
    summary: 'Disconnect an integration (its token is deleted)',
    tag: 'integrations',
    input: ({ params }) => ({ id: params.id }),
  },
  {
    method: 'POST',
    path: '/integrations/{id}/test',
    procedure: 'integrations.test',
    summary: 'Check the integration: who its token belongs to',
    tag: 'integrations',
    input: ({ params, body }) => ({ ...(isRecord(body) ? body : {}), id: params.id }),
  },
];
