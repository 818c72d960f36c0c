import type { RestRoute } from '../../rest/rest-route';

/** Query values stay strings (ids and cursors are digits); only `limit` is a number. */
function auditQuery(query: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    const value = query.get(key) ?? '';
    input[key] = key === 'limit' && /^\d{1,6}$/.test(value) ? Number(value) : value;
  }
  return input;
}

/** The REST face of the event pipeline and the audit log (docs/events-and-observability.md). */
export const eventRestRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/events/health',
    procedure: 'events.health',
    summary: "Each event sink's state and lag (tenant admins)",
    tag: 'events',
    input: () => ({}),
  },
  {
    method: 'GET',
    path: '/audit',
    procedure: 'audit.list',
    summary:
      'Audit entries of your tenant, newest first (filters: action, actorId, resourceOwnerId, resourceId, since, until; cursor) — tenant admins',
    tag: 'events',
    input: ({ query }) => auditQuery(query),
  },
];
