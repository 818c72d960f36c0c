import type { TimelineEventType } from '@volundr/contracts/reports';
import type {
  CommitRow,
  TimelineEventRecord,
  TimelineEvents,
  TimelineQuery,
} from '@volundr/core/chronicles/ports/timeline-events';
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, max, or, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../client';
import { chronicleFiles, timelineEvents } from '../schema/chronicles';

const columns = {
  id: timelineEvents.id,
  type: timelineEvents.type,
  t: timelineEvents.t,
  at: timelineEvents.createdAt,
  label: timelineEvents.label,
  action: timelineEvents.action,
  insertions: timelineEvents.insertions,
  deletions: timelineEvents.deletions,
  hash: timelineEvents.hash,
  exitCode: timelineEvents.exitCode,
  tokens: timelineEvents.tokens,
  model: timelineEvents.model,
};

interface EventRow {
  id: number;
  type: string;
  t: number;
  at: Date;
  label: string;
  action: string | null;
  insertions: number | null;
  deletions: number | null;
  hash: string | null;
  exitCode: number | null;
  tokens: number | null;
  model: string | null;
}

const ACTIONS = new Set(['created', 'modified', 'deleted']);

const toEvent = (row: EventRow): TimelineEventRecord => ({
  id: String(row.id),
  type: row.type as TimelineEventType,
  t: row.t,
  at: row.at,
  label: row.label,
  action: row.action && ACTIONS.has(row.action) ? (row.action as TimelineEventRecord['action']) : null,
  insertions: row.insertions,
  deletions: row.deletions,
  hash: row.hash,
  exitCode: row.exitCode,
  tokens: row.tokens,
  model: row.model,
});

/**
 * The TimelineEvents port: pages of `timeline_events` (created_at holds when the event
 * happened), the file summary maintained in `chronicle_files`, and the commits.
 */
export function createTimelineEventsRepository(q: Queryable): TimelineEvents {
  const db = q.drizzle;
  return {
    async page(query: TimelineQuery) {
      const conditions: (SQL | undefined)[] = [eq(timelineEvents.chronicleId, query.chronicleId)];
      if (query.types) conditions.push(inArray(timelineEvents.type, [...query.types]));
      if (query.from) conditions.push(gte(timelineEvents.createdAt, query.from));
      if (query.to) conditions.push(lt(timelineEvents.createdAt, query.to));
      if (query.after) {
        const id = Number(query.after.id);
        if (!Number.isSafeInteger(id)) return [];
        conditions.push(
          or(
            gt(timelineEvents.createdAt, query.after.at),
            and(eq(timelineEvents.createdAt, query.after.at), gt(timelineEvents.id, id)),
          ),
        );
      }
      const rows = await db
        .select(columns)
        .from(timelineEvents)
        .where(and(...conditions))
        .orderBy(asc(timelineEvents.createdAt), asc(timelineEvents.id))
        .limit(query.limit);
      return rows.map(toEvent);
    },

    async files(chronicleId, limit) {
      const rows = await db
        .select({
          path: chronicleFiles.path,
          insertions: chronicleFiles.insertions,
          deletions: chronicleFiles.deletions,
          changes: chronicleFiles.changes,
          created: chronicleFiles.created,
          deleted: chronicleFiles.deleted,
          lastChangedAt: chronicleFiles.lastChangedAt,
        })
        .from(chronicleFiles)
        .where(eq(chronicleFiles.chronicleId, chronicleId))
        .orderBy(desc(chronicleFiles.lastChangedAt), asc(chronicleFiles.path))
        .limit(limit);
      if (rows.length < limit) {
        // Every path is on the page: the totals are its sums (one query fewer on the common path).
        return {
          rows,
          totals: {
            files: rows.length,
            insertions: rows.reduce((n, r) => n + r.insertions, 0),
            deletions: rows.reduce((n, r) => n + r.deletions, 0),
          },
        };
      }
      const [totals] = await db
        .select({
          files: sql<number>`count(*)::int`,
          insertions: sql<string>`coalesce(sum(${chronicleFiles.insertions}), 0)::text`,
          deletions: sql<string>`coalesce(sum(${chronicleFiles.deletions}), 0)::text`,
        })
        .from(chronicleFiles)
        .where(eq(chronicleFiles.chronicleId, chronicleId));
      return {
        rows,
        totals: {
          files: Number(totals?.files ?? 0),
          insertions: Number(totals?.insertions ?? 0),
          deletions: Number(totals?.deletions ?? 0),
        },
      };
    },

    async commits(chronicleId, limit): Promise<CommitRow[]> {
      const rows = await db
        .select({
          hash: timelineEvents.hash,
          message: timelineEvents.label,
          at: timelineEvents.createdAt,
          insertions: timelineEvents.insertions,
          deletions: timelineEvents.deletions,
        })
        .from(timelineEvents)
        .where(
          and(
            eq(timelineEvents.chronicleId, chronicleId),
            eq(timelineEvents.type, 'git'),
            isNotNull(timelineEvents.hash),
          ),
        )
        .orderBy(desc(timelineEvents.createdAt), desc(timelineEvents.id))
        .limit(limit);
      return rows.map((row) => ({ ...row, hash: row.hash ?? '' }));
    },

    async lastT(chronicleId) {
      const [row] = await db
        .select({ t: max(timelineEvents.t) })
        .from(timelineEvents)
        .where(eq(timelineEvents.chronicleId, chronicleId));
      return row?.t ?? null;
    },
  };
}
