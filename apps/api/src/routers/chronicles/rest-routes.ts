import { queryToInput } from '../../rest/query-input';
import type { RestRoute } from '../../rest/rest-route';

/** `?tags=a&tags=b` or `?tags=a,b` (tags hold no commas). */
function listQuery(query: URLSearchParams, key: string): Record<string, unknown> {
  const input = queryToInput(query, new Set([key]));
  const values = input[key];
  if (Array.isArray(values)) input[key] = values.flatMap((v) => String(v).split(',')).filter((v) => v !== '');
  return input;
}

/** The REST face of chronicles, reports, usage and session timelines (docs/chronicles.md). */
export const chronicleRestRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/chronicles',
    procedure: 'chronicles.list',
    summary: 'Chronicles you may see, newest first (filters: repo, model, tags, status; cursor)',
    tag: 'chronicles',
    input: ({ query }) => listQuery(query, 'tags'),
  },
  {
    method: 'GET',
    path: '/chronicles/{id}',
    procedure: 'chronicles.byId',
    summary: 'A chronicle with its file summary, commits, usage, token burn (?bucketSeconds=60–3600)',
    tag: 'chronicles',
  },
  {
    method: 'PATCH',
    path: '/chronicles/{id}',
    procedure: 'chronicles.update',
    summary: "Change a chronicle's summary, unfinished work or tags",
    tag: 'chronicles',
  },
  {
    method: 'DELETE',
    path: '/chronicles/{id}',
    procedure: 'chronicles.delete',
    summary: 'Delete a chronicle and its timeline',
    tag: 'chronicles',
  },
  {
    method: 'GET',
    path: '/chronicles/{id}/timeline',
    procedure: 'chronicles.timeline',
    summary: "A chronicle's timeline (?types=file&types=git&from=&to=&cursor=&limit=)",
    tag: 'chronicles',
    input: ({ params, query }) => ({ ...listQuery(query, 'types'), id: params.id }),
  },
  {
    method: 'POST',
    path: '/chronicles/{id}/reforge',
    procedure: 'chronicles.reforge',
    summary: 'Start a new session that continues this chronicle',
    tag: 'chronicles',
    status: 201,
    input: ({ params, body }) => ({ ...(isRecord(body) ? body : {}), id: params.id }),
  },
  {
    method: 'GET',
    path: '/chronicles/{id}/chain',
    procedure: 'chronicles.chain',
    summary: 'The reforge chain through a chronicle, oldest first',
    tag: 'chronicles',
  },
  {
    method: 'POST',
    path: '/sessions/{id}/reports',
    procedure: 'reports.submit',
    summary: "The session broker's reports (usage, activity, timeline, final); idempotent by key",
    tag: 'reports',
    input: ({ params, body }) => ({ sessionId: params.id, batch: body }),
  },
  {
    method: 'GET',
    path: '/sessions/{id}/usage',
    procedure: 'usage.bySession',
    summary: "A session's token usage and cost, in total and per model",
    tag: 'usage',
    input: ({ params }) => ({ sessionId: params.id }),
  },
  {
    method: 'GET',
    path: '/sessions/{id}/tokens',
    procedure: 'usage.tokens',
    summary: "A session's token burn per bucket and model (?bucketSeconds=60–3600, default 300)",
    tag: 'usage',
    input: ({ params, query }) => ({ ...queryToInput(query), sessionId: params.id }),
  },
  {
    method: 'GET',
    path: '/sessions/{id}/timeline',
    procedure: 'timeline.bySession',
    summary: "A session's events (?types=&from=&to=&cursor=&limit=)",
    tag: 'usage',
    input: ({ params, query }) => ({ ...listQuery(query, 'types'), sessionId: params.id }),
  },
];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
