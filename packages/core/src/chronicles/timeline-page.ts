import type { TimelineEvent, TimelinePage } from '@volundr/contracts/chronicles';
import { decodeSessionCursor, encodeSessionCursor } from '../sessions/session-cursor';
import type { TimelineEventRecord, TimelineEvents, TimelineQuery } from './ports/timeline-events';

export interface TimelineFilters {
  types?: TimelineQuery['types'];
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

export const toTimelineEventView = (e: TimelineEventRecord): TimelineEvent => ({
  id: e.id,
  type: e.type,
  t: e.t,
  at: e.at.toISOString(),
  label: e.label,
  action: e.action,
  insertions: e.insertions,
  deletions: e.deletions,
  hash: e.hash,
  exitCode: e.exitCode,
  tokens: e.tokens,
  model: e.model,
});

/** One page of a chronicle's timeline, oldest first, with a keyset cursor (time, id). */
export async function timelinePage(
  timeline: TimelineEvents,
  chronicleId: string,
  filters: TimelineFilters,
): Promise<TimelinePage> {
  const after = filters.cursor ? decodeSessionCursor(filters.cursor) : undefined;
  const query: TimelineQuery = { chronicleId, limit: filters.limit + 1 };
  if (filters.types) query.types = filters.types;
  if (filters.from) query.from = new Date(filters.from);
  if (filters.to) query.to = new Date(filters.to);
  if (after) query.after = { at: after.createdAt, id: after.id };
  const rows = await timeline.page(query);
  const items = rows.slice(0, filters.limit);
  const last = items.at(-1);
  return {
    items: items.map(toTimelineEventView),
    nextCursor: rows.length > filters.limit && last ? encodeSessionCursor({ createdAt: last.at, id: last.id }) : null,
  };
}
