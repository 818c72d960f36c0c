import type { IncomingHttpHeaders } from 'node:http';
import type { RestRoute } from '../../rest/rest-route';

interface QueryTypes {
  /** Repeated (`?states=a&states=b`) or comma-separated (`?states=a,b`). */
  arrays?: readonly string[];
  numbers?: readonly string[];
  booleans?: readonly string[];
}

/**
 * A query string as procedure input, converting only the keys the procedure types so: an id
 * or name that looks like a number stays a string, and anything unexpected is left for the
 * procedure's schema to name.
 */
export function typedQuery(query: URLSearchParams, types: QueryTypes = {}): Record<string, unknown> | undefined {
  const input: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    if (types.arrays?.includes(key)) input[key] = values.flatMap((v) => v.split(',')).filter((v) => v !== '');
    else if (types.numbers?.includes(key) && values.length === 1 && /^-?\d{1,15}$/.test(values[0]!))
      input[key] = Number(values[0]);
    else if (types.booleans?.includes(key) && values.length === 1 && /^(true|false)$/.test(values[0]!))
      input[key] = values[0] === 'true';
    else input[key] = values.length > 1 ? values : values[0];
  }
  return Object.keys(input).length > 0 ? input : undefined;
}

const isEmptyObject = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

/** `Last-Event-ID` (what EventSource sends when it reconnects) wins over `?lastEventId=`. */
function streamInput(query: URLSearchParams, headers: IncomingHttpHeaders): unknown {
  const input = typedQuery(query) ?? {};
  const header = headers['last-event-id'];
  if (typeof header === 'string' && header !== '') input.lastEventId = header;
  return input;
}

const session = (action: string, summary: string): RestRoute => ({
  method: 'POST',
  path: `/sessions/{id}/${action}`,
  procedure: `sessions.${action}`,
  summary,
  tag: 'sessions',
  input: ({ params }) => params,
});

/** The REST face of sessions (docs/api.md). `/sessions/stream` comes before `/sessions/{id}`. */
export const sessionRestRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/sessions',
    procedure: 'sessions.list',
    summary: 'Sessions you may see, newest first (?states=running,failed&ownerId=&includeArchived=&limit=&cursor=)',
    tag: 'sessions',
    input: ({ query }) =>
      typedQuery(query, { arrays: ['states'], numbers: ['limit'], booleans: ['includeArchived'] }) ?? {},
  },
  {
    method: 'POST',
    path: '/sessions',
    procedure: 'sessions.create',
    summary: 'Create a session (and start it unless start is false)',
    tag: 'sessions',
    status: 201,
  },
  {
    method: 'GET',
    path: '/sessions/stream',
    procedure: 'sessions.onState',
    summary:
      'Server-Sent Events: every transition and provisioning event (?sessionId= for one session); resume with Last-Event-ID',
    tag: 'sessions',
    stream: true,
    input: ({ query, headers }) => streamInput(query, headers),
  },
  {
    method: 'POST',
    path: '/sessions/archive-stopped',
    procedure: 'sessions.archiveStopped',
    summary: 'Archive all your stopped sessions',
    tag: 'sessions',
    // An empty JSON object is as good as no body; anything else is for the schema to refuse.
    input: ({ body }) => (body === undefined || isEmptyObject(body) ? undefined : body),
  },
  {
    method: 'GET',
    path: '/sessions/{id}',
    procedure: 'sessions.byId',
    summary: 'One session',
    tag: 'sessions',
    input: ({ params, query }) => ({ ...typedQuery(query), ...params }),
  },
  {
    method: 'PATCH',
    path: '/sessions/{id}',
    procedure: 'sessions.update',
    summary: 'Rename a session or change its model or branch (applies at the next start)',
    tag: 'sessions',
  },
  {
    method: 'DELETE',
    path: '/sessions/{id}',
    procedure: 'sessions.delete',
    summary: 'Delete a session (?cleanup=workspace_storage,chronicles also removes those)',
    tag: 'sessions',
    input: ({ params, query }) => ({ ...typedQuery(query, { arrays: ['cleanup'] }), ...params }),
  },
  session('start', 'Start a created, stopped or failed session'),
  session('stop', 'Stop a session'),
  session('archive', 'Archive a session (an active one is stopped first)'),
  session('restore', 'Restore an archived session (as stopped)'),
  {
    method: 'POST',
    path: '/sessions/{id}/access',
    procedure: 'sessions.openService',
    summary: "Open a session's chat, terminal, IDE or API for someone other than its owner (gateways ask; audited)",
    tag: 'sessions',
  },
  {
    method: 'POST',
    path: '/sessions/{id}/activity',
    procedure: 'sessions.reportActivity',
    summary: "Report the agent's activity (the broker does; resets the idle clock)",
    tag: 'sessions',
    status: 204,
  },
];

/** Templates, profiles and models (configuration) and the caller's presets. */
export const catalogRestRoutes: RestRoute[] = [
  { method: 'GET', path: '/templates', procedure: 'templates.list', summary: 'Templates', tag: 'catalog' },
  {
    method: 'GET',
    path: '/templates/{name}',
    procedure: 'templates.byName',
    summary: 'One template',
    tag: 'catalog',
    input: ({ params, query }) => ({ ...typedQuery(query), ...params }),
  },
  { method: 'GET', path: '/profiles', procedure: 'profiles.list', summary: 'Launch profiles', tag: 'catalog' },
  {
    method: 'GET',
    path: '/profiles/{name}',
    procedure: 'profiles.byName',
    summary: 'One launch profile',
    tag: 'catalog',
    input: ({ params, query }) => ({ ...typedQuery(query), ...params }),
  },
  { method: 'GET', path: '/models', procedure: 'models.list', summary: 'The models catalog', tag: 'catalog' },
  {
    method: 'GET',
    path: '/presets',
    procedure: 'presets.list',
    summary: 'Your presets (?cli=claude&isDefault=true)',
    tag: 'presets',
    input: ({ query }) => typedQuery(query, { booleans: ['isDefault'] }) ?? {},
  },
  {
    method: 'POST',
    path: '/presets',
    procedure: 'presets.create',
    summary: 'Save a preset',
    tag: 'presets',
    status: 201,
  },
  {
    method: 'GET',
    path: '/presets/{id}',
    procedure: 'presets.byId',
    summary: 'One of your presets',
    tag: 'presets',
    input: ({ params, query }) => ({ ...typedQuery(query), ...params }),
  },
  { method: 'PATCH', path: '/presets/{id}', procedure: 'presets.update', summary: 'Change a preset', tag: 'presets' },
  {
    method: 'DELETE',
    path: '/presets/{id}',
    procedure: 'presets.delete',
    summary: 'Delete a preset',
    tag: 'presets',
    input: ({ params, query }) => ({ ...typedQuery(query), ...params }),
  },
];
