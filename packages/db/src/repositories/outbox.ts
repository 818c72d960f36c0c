import type { SessionEvent } from '@volundr/contracts/session-events';
import type {
  Outbox,
  OutboxEvent,
  OutboxPosition,
  SinkCursor,
  SinkLag,
  StartFrom,
} from '@volundr/core/events/ports/outbox';
import type { Database, Queryable, Row } from '../client';
import { SESSION_EVENTS_CHANNEL } from './session-events';

/**
 * The Outbox port on `session_events` and `outbox_cursors`.
 *
 * Reading order and safety: events are read in `(tx_id, id)` order, after the sink's cursor,
 * and only those whose transaction id is below `pg_snapshot_xmin(pg_current_snapshot())` —
 * every transaction that could still commit a row at or before them has ended, so the set
 * read is final and a cursor moved past it never skips a late commit, whatever transaction
 * wrote the row (the append lock of session-events.ts orders ids too, but this rule does not
 * depend on it). On PGlite there is one connection and no gap.
 *
 * Leases: `lease_owner` + `lease_expires_at`, timed by the database's clock; the cursor moves
 * only in an UPDATE that requires the lease, so a replica that lost its lease cannot move it.
 */
const EVENT_COLUMNS = `tx_id::text AS tx_id, id::text AS id, session_id, tenant_id, owner_id, type, data,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at`;

const SAFE = 'tx_id < pg_snapshot_xmin(pg_current_snapshot())';
/**
 * Cursor moves commit without waiting for their WAL flush (this statement's transaction only):
 * losing the last one in a PostgreSQL crash means that batch is delivered again (same ids),
 * while a flush per batch would halve the dispatch rate.
 */
const ASYNC_COMMIT = `set_config('synchronous_commit', 'off', true) IS NOT NULL`;
const LEASE_UNTIL = `now() + make_interval(secs => $3::float8 / 1000)`;
const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8 AS ${column}_ms`;

interface EventRow extends Row {
  tx_id: string;
  id: string;
  session_id: string | null;
  tenant_id: string;
  owner_id: string;
  type: string;
  data: unknown;
  created_at: string;
}

interface PositionRow extends Row {
  tx_id: string;
  event_id: string;
}

interface CursorRow extends Row {
  sink: string;
  tx_id: string;
  event_id: string;
  lease_owner: string | null;
  lease_expires_at_ms: number | string | null;
  delivered_at_ms: number | string | null;
  failures: number;
  last_error: string | null;
  last_error_at_ms: number | string | null;
}

const toEvent = (row: EventRow): OutboxEvent => ({
  position: { txId: row.tx_id, eventId: row.id },
  event: {
    id: row.id,
    sessionId: row.session_id ?? '',
    tenantId: row.tenant_id,
    ownerId: row.owner_id,
    createdAt: row.created_at,
    type: row.type,
    data: row.data,
  } as SessionEvent,
});

const dateOrNull = (ms: number | string | null) => (ms === null ? null : new Date(Number(ms)));
const toPosition = (row: PositionRow): OutboxPosition => ({ txId: row.tx_id, eventId: row.event_id });

export function createOutboxRepository(database: Database): Outbox {
  return {
    async lease(sink: string, owner: string, leaseMs: number, startFrom: StartFrom) {
      const [taken] = await database.execute<PositionRow>(
        `UPDATE outbox_cursors SET lease_owner = $2, lease_expires_at = ${LEASE_UNTIL}
         WHERE sink = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at IS NULL OR lease_expires_at < now())
         RETURNING last_tx_id::text AS tx_id, last_event_id::text AS event_id`,
        [sink, owner, leaseMs],
      );
      if (taken) return toPosition(taken);
      // First time this sink is seen: create its cursor (another replica may race: one wins).
      const [created] = await database.execute<PositionRow>(
        `WITH head AS (
           SELECT tx_id, id FROM session_events WHERE $4 = 'latest' AND ${SAFE}
           ORDER BY tx_id DESC, id DESC LIMIT 1
         )
         INSERT INTO outbox_cursors (sink, last_tx_id, last_event_id, lease_owner, lease_expires_at, updated_at)
         SELECT $1, coalesce((SELECT tx_id FROM head), '0'::xid8), coalesce((SELECT id FROM head), 0), $2, ${LEASE_UNTIL}, now()
         ON CONFLICT (sink) DO NOTHING
         RETURNING last_tx_id::text AS tx_id, last_event_id::text AS event_id`,
        [sink, owner, leaseMs, startFrom],
      );
      return created ? toPosition(created) : null;
    },

    async read(after: OutboxPosition, limit: number) {
      // In (tx_id, id) order the safe rows come first: the batch is the prefix of safe ones, and
      // a visible row after it tells that events are held back. ORDER BY the table's columns:
      // `tx_id` and `id` alone would name the text aliases.
      const rows = await database.execute<EventRow & { safe: boolean }>(
        `SELECT ${EVENT_COLUMNS}, ${SAFE} AS safe FROM session_events
         WHERE (tx_id, id) > ($1::xid8, $2::bigint)
         ORDER BY session_events.tx_id, session_events.id LIMIT $3`,
        [after.txId, after.eventId, limit],
      );
      const unsafe = rows.findIndex((row) => !row.safe);
      const events = (unsafe < 0 ? rows : rows.slice(0, unsafe)).map(toEvent);
      return { events, heldBack: unsafe >= 0 };
    },

    async advance(sink: string, owner: string, to: OutboxPosition, leaseMs: number) {
      const forward = `(last_tx_id, last_event_id) < ($4::xid8, $5::bigint)`;
      const rows = await database.execute(
        `UPDATE outbox_cursors SET
           last_tx_id = CASE WHEN ${forward} THEN $4::xid8 ELSE last_tx_id END,
           last_event_id = CASE WHEN ${forward} THEN $5::bigint ELSE last_event_id END,
           delivered_at = CASE WHEN ${forward} THEN now() ELSE delivered_at END,
           failures = CASE WHEN ${forward} THEN 0 ELSE failures END,
           last_error = CASE WHEN ${forward} THEN NULL ELSE last_error END,
           last_error_at = CASE WHEN ${forward} THEN NULL ELSE last_error_at END,
           lease_expires_at = ${LEASE_UNTIL},
           updated_at = now()
         WHERE sink = $1 AND lease_owner = $2 AND ${ASYNC_COMMIT}
         RETURNING sink`,
        [sink, owner, leaseMs, to.txId, to.eventId],
      );
      return rows.length === 1;
    },

    async recordFailure(sink: string, owner: string, message: string) {
      await database.execute(
        `UPDATE outbox_cursors SET failures = failures + 1, last_error = $3, last_error_at = now()
         WHERE sink = $1 AND lease_owner = $2`,
        [sink, owner, message.slice(0, 2000)],
      );
    },

    async release(sink: string, owner: string) {
      await database.execute(
        `UPDATE outbox_cursors SET lease_owner = NULL, lease_expires_at = NULL WHERE sink = $1 AND lease_owner = $2`,
        [sink, owner],
      );
    },

    async cursors(): Promise<SinkCursor[]> {
      const rows = await database.execute<CursorRow>(
        `SELECT sink, last_tx_id::text AS tx_id, last_event_id::text AS event_id, lease_owner, failures, last_error,
           ${epochMs('lease_expires_at')}, ${epochMs('delivered_at')}, ${epochMs('last_error_at')}
         FROM outbox_cursors ORDER BY sink`,
      );
      return rows.map((row) => ({
        sink: row.sink,
        position: { txId: row.tx_id, eventId: row.event_id },
        leaseOwner: row.lease_owner,
        leaseExpiresAt: dateOrNull(row.lease_expires_at_ms),
        deliveredAt: dateOrNull(row.delivered_at_ms),
        failures: Number(row.failures),
        lastError: row.last_error,
        lastErrorAt: dateOrNull(row.last_error_at_ms),
      }));
    },

    async lag(sink: string, cap: number): Promise<SinkLag> {
      const [row] = await database.execute<{ events: number; oldest_ms: number | string | null } & Row>(
        `SELECT
           (SELECT count(*) FROM (
              SELECT 1 FROM session_events e WHERE (e.tx_id, e.id) > (c.last_tx_id, c.last_event_id) LIMIT $2
            ) AS behind)::int AS events,
           (SELECT (extract(epoch FROM e.created_at) * 1000)::float8 FROM session_events e
            WHERE (e.tx_id, e.id) > (c.last_tx_id, c.last_event_id)
            ORDER BY e.tx_id, e.id LIMIT 1) AS oldest_ms
         FROM outbox_cursors c WHERE c.sink = $1`,
        [sink, cap],
      );
      if (!row) return { events: 0, capped: false, oldestAt: null };
      const events = Number(row.events);
      return { events, capped: events >= cap, oldestAt: dateOrNull(row.oldest_ms) };
    },

    onAppended: (listener: () => void) => database.listen(SESSION_EVENTS_CHANNEL, () => listener()),
  };
}

/** Must equal APPEND_LOCK in session-events.ts: every writer of the log takes the same lock. */
const APPEND_LOCK = 'volundr:session_events:append';

export interface EventToAppend {
  sessionId: string;
  tenantId: string;
  ownerId: string;
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Appends events inside the caller's transaction, so they commit with the change they describe
 * (or not at all). Takes the log's append lock like `SessionEvents.append` — held until the
 * transaction ends, so call this last in the transaction — and notifies live feeds at commit.
 */
export async function appendEventsInTransaction(tx: Queryable, events: readonly EventToAppend[]): Promise<void> {
  if (events.length === 0) return;
  await tx.execute('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [APPEND_LOCK]);
  await tx.execute(
    `WITH inserted AS (
       INSERT INTO session_events (session_id, tenant_id, owner_id, type, data, created_at)
       SELECT e.session_id, e.tenant_id, e.owner_id, e.type, e.data, e.created_at
       FROM jsonb_to_recordset($1::jsonb)
         AS e (session_id text, tenant_id text, owner_id text, type text, data jsonb, created_at timestamptz)
       RETURNING id
     )
     SELECT pg_notify($2, max(id)::text) FROM inserted`,
    [
      JSON.stringify(
        events.map((e) => ({
          session_id: e.sessionId,
          tenant_id: e.tenantId,
          owner_id: e.ownerId,
          type: e.type,
          data: e.data,
          created_at: e.createdAt.toISOString(),
        })),
      ),
      SESSION_EVENTS_CHANNEL,
    ],
  );
}
