import type { SessionEvent } from '@volundr/contracts/session-events';
import { DomainError } from '@volundr/core/errors';
import type { NewSessionEvent, SessionEventFilter, SessionEvents } from '@volundr/core/sessions/ports/session-events';
import type { Database, Row } from '../client';

/**
 * The session event log (`session_events`) and its live feed.
 *
 * Ordering: appends take a transaction-scoped advisory lock, so ids are handed out and
 * committed in the same order. Every snapshot then sees a prefix of the log (minus ids of
 * rolled-back appends), and a reader following `id > cursor` never skips an event that commits
 * later with a smaller id — the trap of a bare bigserial under concurrent writers. The price is
 * that writers of the log are serialized from the lock to the end of their commit, WAL flush
 * included (a fraction of a millisecond on a local disk; PostgreSQL releases locks after it).
 *
 * Live feed: one LISTEN per process (PostgreSQL LISTEN/NOTIFY across API processes, in-process
 * on PGlite). A NOTIFY only says "something was appended": the feed then reads the new rows by
 * id from the table, once for all subscribers, into a bounded window of recent events. A
 * subscriber whose cursor is inside the window is served from memory; one that fell behind (a
 * slow consumer, a resume from an old id) reads the table at its own pace in batches. Nobody
 * waits for anybody, memory stays bounded, and nothing is dropped.
 */
export interface SessionEventsOptions {
  /** Recent events kept in memory for live subscribers. Default 4096. */
  windowSize?: number;
  /** Rows per read from the table. Default 500. */
  batchSize?: number;
  /** A read even without NOTIFY (a notification lost while the listen connection reconnected). Default 2 s. */
  pollIntervalMs?: number;
  /**
   * With more than `batchAbove` live subscribers in this process, reads of new events start at
   * most this often (a NOTIFY sooner waits for the rest of the interval). Default 5 ms.
   *
   * Each read wakes every subscriber, and each wake-up is a socket write per subscriber. With
   * many subscribers, the commits of one provisioning a few milliseconds apart (spec, pod
   * submitted, running) are worth merging into one wake-up. With few, a wake-up costs nothing
   * and a read waits for nothing: a change's events commit together (one NOTIFY, read at once),
   * and NOTIFYs during a read are served by one more read after it.
   */
  minReadIntervalMs?: number;
  /** Live subscribers above which reads are spaced by `minReadIntervalMs`. Default 100. */
  batchAbove?: number;
}

export interface SessionEventsRepository extends SessionEvents {
  /** Ends every live subscription (their iterators finish) and stops listening. */
  close(): Promise<void>;
}

export const SESSION_EVENTS_CHANNEL = 'volundr_session_events';
/** Every writer of the log takes this transaction-scoped lock before inserting (see above). */
export const APPEND_LOCK = 'volundr:session_events:append';

// `ORDER BY session_events.id`, never `ORDER BY id`: that would sort by this text alias.
const COLUMNS = `id::text AS id, session_id, tenant_id, owner_id, type, data,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at`;

interface EventRow extends Row {
  id: string;
  session_id: string | null;
  tenant_id: string;
  owner_id: string;
  type: string;
  data: unknown;
  created_at: string;
}

interface Stored {
  seq: bigint;
  event: SessionEvent;
}

const toStored = (row: EventRow): Stored => ({
  seq: BigInt(row.id),
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

const INT8_MAX = 9_223_372_036_854_775_807n;

/** Index of the first stored event with seq > cursor (window is ordered by seq), or -1. */
function firstAfter(window: readonly Stored[], cursor: bigint): number {
  let lo = 0;
  let hi = window.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (window[mid]!.seq > cursor) hi = mid;
    else lo = mid + 1;
  }
  return lo < window.length ? lo : -1;
}

const matches = (e: SessionEvent, f: SessionEventFilter) =>
  e.tenantId === f.tenantId &&
  (f.ownerId === undefined || e.ownerId === f.ownerId) &&
  (f.sessionId === undefined || e.sessionId === f.sessionId);

function filterSql(f: SessionEventFilter, params: (string | number)[]): string {
  params.push(f.tenantId);
  let where = `tenant_id = $${params.length}`;
  if (f.ownerId !== undefined) {
    params.push(f.ownerId);
    where += ` AND owner_id = $${params.length}`;
  }
  if (f.sessionId !== undefined) {
    params.push(f.sessionId);
    where += ` AND session_id = $${params.length}`;
  }
  return where;
}

export function createSessionEventsRepository(
  database: Database,
  options: SessionEventsOptions = {},
): SessionEventsRepository {
  const windowSize = options.windowSize ?? 4096;
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const minReadIntervalMs = options.minReadIntervalMs ?? 5;
  const batchAbove = options.batchAbove ?? 100;

  // ---- the shared feed ---------------------------------------------------------------------
  /** Events with seq in (windowFrom, head], in order. */
  let window: Stored[] = [];
  let windowFrom = 0n;
  let head = 0n;
  let subscribers = 0;
  let lifecycle: Promise<void> = Promise.resolve();
  let listening = false;
  let unlisten: (() => Promise<void>) | null = null;
  let poll: NodeJS.Timeout | null = null;
  let reading: Promise<void> | null = null;
  let readAgain = false;
  let closed = false;
  let waiters = new Set<() => void>();

  const wakeAll = () => {
    const current = waiters;
    waiters = new Set();
    for (const wake of current) wake();
  };

  async function readNew(): Promise<void> {
    do {
      readAgain = false;
      for (;;) {
        const rows = await database.execute<EventRow>(
          `SELECT ${COLUMNS} FROM session_events WHERE id > $1::bigint ORDER BY session_events.id LIMIT $2`,
          [head.toString(), batchSize],
        );
        if (rows.length === 0) break;
        for (const row of rows) window.push(toStored(row));
        head = window.at(-1)!.seq;
        if (window.length > windowSize) {
          const dropped = window.length - windowSize;
          windowFrom = window[dropped - 1]!.seq;
          window = window.slice(dropped);
        }
        wakeAll();
        if (rows.length < batchSize) break;
      }
    } while (readAgain);
  }

  /** Reads what was appended since the last read; concurrent calls coalesce into one more read. */
  let lastReadAt = 0;
  let scheduled: NodeJS.Timeout | null = null;

  function refresh(): Promise<void> {
    if (!listening) return Promise.resolve();
    if (reading) {
      readAgain = true;
      return reading;
    }
    const wait = subscribers > batchAbove ? lastReadAt + minReadIntervalMs - performance.now() : 0;
    if (wait > 0) {
      scheduled ??= setTimeout(() => {
        scheduled = null;
        void refresh();
      }, wait);
      return Promise.resolve();
    }
    lastReadAt = performance.now();
    reading = readNew()
      .catch(() => {
        // The next NOTIFY or poll retries; subscribers keep waiting meanwhile.
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  }

  async function startFeed() {
    unlisten = await database.listen(SESSION_EVENTS_CHANNEL, () => void refresh());
    // Listening before reading the head: an append racing with this start either is below the
    // head read here or arrives as a NOTIFY afterwards.
    const [row] = await database.execute<{ head: string } & Row>(
      'SELECT coalesce(max(id), 0)::text AS head FROM session_events',
    );
    head = BigInt(row?.head ?? '0');
    windowFrom = head;
    window = [];
    listening = true;
    // A NOTIFY that arrived before `listening` was set was ignored: read once to cover it.
    void refresh();
    poll = setInterval(() => void refresh(), pollIntervalMs);
    poll.unref();
  }

  async function stopFeed() {
    listening = false;
    if (scheduled) clearTimeout(scheduled);
    scheduled = null;
    if (poll) clearInterval(poll);
    poll = null;
    window = [];
    const stop = unlisten;
    unlisten = null;
    await stop?.().catch(() => {});
  }

  function acquire(): Promise<void> {
    subscribers += 1;
    lifecycle = lifecycle.then(async () => {
      if (!listening && !closed && subscribers > 0) await startFeed();
    });
    return lifecycle;
  }

  function release() {
    subscribers -= 1;
    lifecycle = lifecycle.then(async () => {
      if (listening && subscribers === 0) await stopFeed();
    });
  }

  /** Waits for the feed to move; `wakeOnAbort.current` lets the subscription's abort end the wait. */
  function changed(wakeOnAbort: { current: (() => void) | null }): Promise<void> {
    return new Promise<void>((resolve) => {
      waiters.add(resolve);
      wakeOnAbort.current = resolve;
    });
  }

  async function readTable(filter: SessionEventFilter, after: bigint, upTo: bigint): Promise<Stored[]> {
    const params: (string | number)[] = [after.toString(), upTo.toString()];
    const where = filterSql(filter, params);
    params.push(batchSize);
    const rows = await database.execute<EventRow>(
      `SELECT ${COLUMNS} FROM session_events WHERE id > $1::bigint AND id <= $2::bigint AND ${where}
       ORDER BY session_events.id LIMIT $${params.length}`,
      params,
    );
    return rows.map(toStored);
  }

  async function* subscribe(
    filter: SessionEventFilter,
    afterId: string | undefined,
    signal?: AbortSignal,
  ): AsyncGenerator<SessionEvent> {
    if (afterId !== undefined && !/^\d{1,19}$/.test(afterId))
      throw new DomainError('BAD_REQUEST', `lastEventId: "${afterId}" is not an event id (a decimal number)`);
    let cursor = afterId === undefined ? 0n : BigInt(afterId);
    if (cursor > INT8_MAX) cursor = INT8_MAX;
    // One abort listener for the whole subscription, waking whatever wait is current: a live
    // subscriber waits once per event, and racing each wait with an abort promise would leave
    // a reaction on that promise per event for the life of the subscription.
    const wakeOnAbort: { current: (() => void) | null } = { current: null };
    // A flag, not `signal.aborted`: that getter runs on every event of every subscriber.
    let aborted = signal?.aborted ?? false;
    const onAbort = () => {
      aborted = true;
      wakeOnAbort.current?.();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    await acquire();
    try {
      while (!aborted && !closed) {
        if (cursor >= windowFrom) {
          // Live: everything after the cursor up to the head is in memory.
          const start = firstAfter(window, cursor);
          if (start < 0) {
            await changed(wakeOnAbort);
            continue;
          }
          const pending = window.slice(start);
          for (const stored of pending) {
            cursor = stored.seq;
            if (matches(stored.event, filter)) {
              yield stored.event;
              if (aborted || closed) return;
              if (cursor < windowFrom) break; // fell behind while the consumer was busy
            }
          }
          continue;
        }
        // Behind the window: catch up from the table, in batches, up to the head known now
        // (every id up to it is committed, so the range is final).
        const upTo = head;
        const batch = await readTable(filter, cursor, upTo);
        for (const stored of batch) {
          cursor = stored.seq;
          yield stored.event;
          if (aborted || closed) return;
        }
        if (batch.length < batchSize) cursor = cursor > upTo ? cursor : upTo;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      release();
    }
  }

  return {
    async append(event: NewSessionEvent) {
      const { sessionId, tenantId, ownerId, createdAt, type, data } = event;
      // One statement (one round trip): lock, insert, notify. The lock is held until the
      // statement's implicit commit, which is what orders ids by commit (see above). The commit
      // is an ordinary durable one: an acknowledged event survives a PostgreSQL crash. (Events
      // about a change of a session's row are not appended here but with the change, by the
      // sessions repository, in one transaction.)
      const [row] = await database.execute<{ id: string } & Row>(
        `WITH lock AS (
           SELECT pg_advisory_xact_lock(hashtextextended($7, 0))
         ),
         inserted AS (
           INSERT INTO session_events (session_id, tenant_id, owner_id, type, data, created_at)
           SELECT $1, $2, $3, $4, $5::jsonb, $6::timestamptz FROM lock
           RETURNING id
         )
         SELECT id::text AS id, pg_notify($8, id::text) FROM inserted`,
        [
          sessionId,
          tenantId,
          ownerId,
          type,
          JSON.stringify(data),
          createdAt.toISOString(),
          APPEND_LOCK,
          SESSION_EVENTS_CHANNEL,
        ],
      );
      if (!row) throw new Error('appending a session event returned no id');
      return row.id;
    },

    subscribe,

    async close() {
      closed = true;
      wakeAll();
      lifecycle = lifecycle.then(stopFeed);
      await lifecycle;
    },
  };
}
