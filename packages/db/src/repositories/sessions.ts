import { ZSessionEndpoints, ZSessionSpec } from '@volundr/contracts/session-spec';
import { ZLaunchContext, ZSessionRuntime, ZSessionSource } from '@volundr/contracts/sessions';
import { DomainError } from '@volundr/core/errors';
import type {
  ChangeEvents,
  ExpiryQuery,
  SessionListPage,
  SessionListQuery,
  Sessions,
} from '@volundr/core/sessions/ports/sessions';
import { decodeSessionCursor, encodeSessionCursor } from '@volundr/core/sessions/session-cursor';
import {
  QUOTA_STATES,
  type SessionActivity,
  type SessionPatch,
  type SessionRecord,
  WORK_STATES,
} from '@volundr/core/sessions/session-record';
import { and, asc, desc, eq, inArray, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Drizzle, Queryable, Row, SqlParam } from '../client';
import { sessions } from '../schema/sessions';
import { isUniqueViolation } from './pg-errors';
import { APPEND_LOCK, SESSION_EVENTS_CHANNEL } from './session-events';

/** Every column, selected explicitly (SessionRecord is the row, field for column). */
const columns = {
  id: sessions.id,
  name: sessions.name,
  ownerId: sessions.ownerId,
  tenantId: sessions.tenantId,
  model: sessions.model,
  source: sessions.source,
  state: sessions.state,
  stateReason: sessions.stateReason,
  version: sessions.version,
  launch: sessions.launch,
  spec: sessions.spec,
  endpoints: sessions.endpoints,
  runtime: sessions.runtime,
  templateName: sessions.templateName,
  profileName: sessions.profileName,
  presetId: sessions.presetId,
  parentChronicleId: sessions.parentChronicleId,
  idleTimeoutMinutes: sessions.idleTimeoutMinutes,
  activityState: sessions.activityState,
  activityMetadata: sessions.activityMetadata,
  lastActivityAt: sessions.lastActivityAt,
  tokensUsed: sessions.tokensUsed,
  costUsd: sessions.costUsd,
  messageCount: sessions.messageCount,
  leaseOwner: sessions.leaseOwner,
  leaseExpiresAt: sessions.leaseExpiresAt,
  provisioningStartedAt: sessions.provisioningStartedAt,
  runningSince: sessions.runningSince,
  stoppedAt: sessions.stoppedAt,
  archivedAt: sessions.archivedAt,
  createdAt: sessions.createdAt,
  updatedAt: sessions.updatedAt,
};

type SessionRow = Pick<typeof sessions.$inferSelect, keyof typeof columns>;

/** The jsonb documents of a row: they change only through `update`, which bumps `version`. */
const DOCUMENTS = ['source', 'launch', 'spec', 'endpoints', 'runtime'] as const;
type Documents = Pick<SessionRecord, (typeof DOCUMENTS)[number]>;
const {
  source: _source,
  launch: _launch,
  spec: _spec,
  endpoints: _endpoints,
  runtime: _runtime,
  ...lightColumns
} = columns;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * Frozen values of recently used sessions by id, each valid for one version of its row (`tag`):
 * a lookup with another tag misses. The least recently used is dropped past `capacity`.
 * Values are frozen and shared, so a caller that tried to change one in place would fail loudly.
 */
class RecentPerSession<Tag, Value> {
  private readonly entries = new Map<string, { tag: Tag; value: Value }>();
  constructor(private readonly capacity: number) {}
  get(id: string, tag: Tag): Value | undefined {
    const entry = this.entries.get(id);
    if (!entry || entry.tag !== tag) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry); // most recently used last
    return entry.value;
  }
  set(id: string, tag: Tag, value: Value): Value {
    const frozen = deepFreeze(value);
    this.entries.delete(id);
    this.entries.set(id, { tag, value: frozen });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return frozen;
  }
}

/**
 * Parsed documents by id and version: a list page fetches (and validates) the documents of
 * rows it has not seen at that version, and a write's returned row reuses those it did not
 * change. Documents change only through `update`, which bumps the version.
 */
type DocumentCache = RecentPerSession<number, Documents>;

/**
 * Records of recently listed rows by id and row version (PostgreSQL's `xmin`: the id of the
 * transaction that wrote this version of the row, new on every write of any column). A list
 * page reads ids and `xmin`s first and builds only rows it has not seen at that `xmin`; a row
 * read again unchanged is the same frozen record object, so what is made from it (its API view,
 * the view's validation and JSON) is made once per change instead of once per request of a
 * dashboard polling its page.
 */
type ListedRecords = RecentPerSession<string, SessionRecord>;

/** jsonb read back is checked against its contract: a row another writer broke fails loudly, naming it. */
function parseJson<T>(schema: z.ZodType<T>, value: unknown, column: string, id: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new DomainError(
    'INTERNAL',
    `sessions.${column} of session ${id} is not valid: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
  );
}

const ZNullableEndpoints = ZSessionEndpoints.nullable();
const ZNullableSpec = ZSessionSpec.nullable();

type DocumentColumn = (typeof DOCUMENTS)[number];
const DOCUMENT_SCHEMAS: { [K in DocumentColumn]: z.ZodType<Documents[K]> } = {
  source: ZSessionSource,
  launch: ZLaunchContext,
  spec: ZNullableSpec,
  endpoints: ZNullableEndpoints,
  runtime: ZSessionRuntime,
};

type DocumentRow = Pick<SessionRow, 'id' | DocumentColumn>;

/**
 * The documents of a row, parsed. Given the documents of the version before a write and the
 * columns the write changed, only those are parsed: the others are the same documents (they
 * change only through `update`, which bumps the version) — a write of the runtime does not
 * parse the spec again.
 */
function parseDocuments(
  row: DocumentRow,
  before?: { documents: Documents; changed: readonly DocumentColumn[] },
): Documents {
  const documents = { ...before?.documents } as Record<DocumentColumn, unknown>;
  for (const column of before ? before.changed : DOCUMENTS)
    documents[column] = parseJson(DOCUMENT_SCHEMAS[column] as z.ZodType<unknown>, row[column], column, row.id);
  return documents as Documents;
}

/** `endpoints` is NOT NULL: a session without endpoints holds the JSON value `null`. */
const jsonNull = sql`'null'::jsonb`;

const nameTaken = (name: string) =>
  new DomainError('SESSION_NAME_TAKEN', `name: you already have a session named "${name}" that is not archived`, {
    name,
  });

const OWNER_NAME_INDEX = 'sessions_owner_name_key';

/** The columns a SessionPatch may write, mapped to drizzle's update set. */
function patchSet(patch: SessionPatch): Partial<typeof sessions.$inferInsert> {
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch) as [keyof SessionPatch, unknown][]) {
    if (value === undefined) continue;
    if (key === 'endpoints') set[key] = value === null ? jsonNull : value;
    else set[key] = value;
  }
  return set as Partial<typeof sessions.$inferInsert>;
}

/** Epoch milliseconds of a timestamptz, which the driver hands back as a number (cheap to map). */
const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8 AS ${column}`;

/**
 * The narrow columns of a list page, in SQL (see `lightPage`). Timestamps come back under their
 * own names as numbers, so ORDER BY must name `sessions.created_at`: a bare `created_at` would
 * sort by the output expression and skip the index.
 */
const LIGHT_SQL = [
  'id, name, owner_id, tenant_id, model, state, state_reason, version, template_name, profile_name',
  'preset_id, parent_chronicle_id, idle_timeout_minutes, activity_state, activity_metadata',
  'tokens_used::float8 AS tokens_used, cost_usd::float8 AS cost_usd, message_count, lease_owner',
  ...['last_activity_at', 'lease_expires_at', 'provisioning_started_at', 'running_since', 'stopped_at'].map(ms),
  ...['archived_at', 'created_at', 'updated_at'].map(ms),
].join(', ');

const time = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** One record from a row of LIGHT_SQL and its documents, built as one literal (one object shape). */
function fromLight(r: Row, docs: Documents): SessionRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    ownerId: String(r.owner_id),
    tenantId: String(r.tenant_id),
    model: String(r.model),
    source: docs.source,
    state: r.state as SessionRecord['state'],
    stateReason: str(r.state_reason),
    version: Number(r.version),
    launch: docs.launch,
    spec: docs.spec,
    endpoints: docs.endpoints,
    runtime: docs.runtime,
    templateName: str(r.template_name),
    profileName: str(r.profile_name),
    presetId: str(r.preset_id),
    parentChronicleId: str(r.parent_chronicle_id),
    idleTimeoutMinutes: r.idle_timeout_minutes === null ? null : Number(r.idle_timeout_minutes),
    activityState: r.activity_state as SessionRecord['activityState'],
    activityMetadata: (r.activity_metadata ?? {}) as Record<string, unknown>,
    lastActivityAt: time(r.last_activity_at),
    tokensUsed: Number(r.tokens_used),
    costUsd: Number(r.cost_usd),
    messageCount: Number(r.message_count),
    leaseOwner: str(r.lease_owner),
    leaseExpiresAt: time(r.lease_expires_at),
    provisioningStartedAt: time(r.provisioning_started_at),
    runningSince: time(r.running_since),
    stoppedAt: time(r.stopped_at),
    archivedAt: time(r.archived_at),
    createdAt: new Date(Number(r.created_at)),
    updatedAt: new Date(Number(r.updated_at)),
  };
}

/** The WHERE clause of a list page and its parameters, in plain SQL. */
function pageFilter(query: SessionListQuery, wantsArchived: boolean): { where: string; params: (string | number)[] } {
  const params: (string | number)[] = [query.tenantId];
  let where = 'tenant_id = $1';
  if (query.ownerId !== undefined) {
    params.push(query.ownerId);
    where += ` AND owner_id = $${params.length}`;
  }
  if (query.states !== undefined) {
    params.push(`{${query.states.join(',')}}`);
    where += ` AND state = ANY($${params.length}::text[])`;
  }
  if (!wantsArchived) where += ` AND state <> 'archived'`;
  if (query.cursor !== undefined) {
    const { createdAt, id } = decodeSessionCursor(query.cursor);
    params.push(createdAt.toISOString(), id);
    const at = `$${params.length - 1}::timestamptz`;
    where += ` AND (created_at < ${at} OR (created_at = ${at} AND id < $${params.length}))`;
  }
  return { where, params };
}

/**
 * Whole rows (narrow columns, documents and `xmin`) by id, as one JSON array built by
 * PostgreSQL: the driver decodes it with one JSON.parse instead of column by column.
 */
async function rowsById(q: Queryable, ids: readonly string[]): Promise<Map<string, Row>> {
  const [result] = await q.execute<{ rows: Row[] }>(
    `SELECT coalesce(json_agg(r), '[]') AS rows FROM (
       SELECT ${LIGHT_SQL}, source, launch, spec, endpoints, runtime, xmin::text AS xmin FROM sessions
       WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))) r`,
    [JSON.stringify(ids)],
  );
  return new Map((result?.rows ?? []).map((row) => [String(row.id), row]));
}

/** Any clause that keeps rows ordered after the cursor (created_at desc, id desc). */
function afterCursor(cursor: string): SQL {
  const { createdAt, id } = decodeSessionCursor(cursor);
  return or(lt(sessions.createdAt, createdAt), and(eq(sessions.createdAt, createdAt), lt(sessions.id, id))) as SQL;
}

/** What a write returns: the narrow columns as a list page reads them, and the documents. */
const RETURNING_RECORD = `RETURNING ${LIGHT_SQL}, source, launch, spec, endpoints, runtime`;
/** What the events of a write need from its row. */
const RETURNING_OWNER = 'RETURNING id, tenant_id, owner_id';

interface Statement {
  text: string;
  params: SqlParam[];
}

/**
 * One statement that makes `change` (an INSERT, UPDATE or DELETE whose RETURNING names `id`,
 * `tenant_id` and `owner_id`) and appends `events` about the changed row: one statement is one
 * transaction, so both commit or neither does (a failing event insert undoes the change), and
 * the commit is an ordinary, synchronous one. The log's append lock (session-events.ts) is taken
 * after the row is written — the order `appendEventsInTransaction` uses too, so writers of the
 * log never wait for each other's row locks while holding it — and held until commit, which
 * keeps event ids in commit order. No row changed (a stale version): no lock, no events, no
 * NOTIFY. One round trip instead of four for BEGIN, write, append, COMMIT.
 */
function withEvents(change: Statement, events: ChangeEvents, at: Date): Statement {
  if (events.length === 0) return change;
  const n = change.params.length;
  return {
    text: `WITH changed AS (${change.text}),
      locked AS (SELECT pg_advisory_xact_lock(hashtextextended($${n + 1}, 0)) FROM changed LIMIT 1),
      appended AS (
        INSERT INTO session_events (session_id, tenant_id, owner_id, type, data, created_at)
        SELECT c.id, c.tenant_id, c.owner_id, e.body->>'type', e.body->'data', $${n + 3}::timestamptz
        FROM changed c, locked, jsonb_array_elements($${n + 2}::jsonb) WITH ORDINALITY AS e(body, n)
        ORDER BY e.n
        RETURNING id
      )
      SELECT changed.*, (SELECT pg_notify($${n + 4}, max(id)::text) FROM appended) AS notified FROM changed`,
    params: [
      ...change.params,
      APPEND_LOCK,
      JSON.stringify(events.map(({ type, data }) => ({ type, data }))),
      at.toISOString(),
      SESSION_EVENTS_CHANNEL,
    ],
  };
}

/** A statement with `$n` placeholders as drizzle SQL (for a repository given only drizzle). */
function toDrizzleSql({ text, params }: Statement): SQL {
  const parts = text.split(/\$(\d+)/);
  return sql.join(parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`)));
}

/**
 * Lease writes commit without waiting for their WAL flush (this statement's transaction only):
 * a lease is bookkeeping that expires by itself, so losing the last one in a PostgreSQL crash
 * costs nothing, while a flush per claim and release doubles a provisioning's latency. State
 * writes (`update`) stay synchronous, and WAL order makes everything before them durable too.
 */
const leaseCommit = sql`set_config('synchronous_commit', 'off', true) IS NOT NULL`;

/** `now() + ms` as a timestamptz, in the database's clock (the one every replica shares). */
const nowPlus = (ms: number) => sql`now() + make_interval(secs => ${ms / 1000}::double precision)`;

/**
 * The Sessions port on the `sessions` table, the same SQL on PGlite and PostgreSQL. Lifecycle
 * writes are guarded by `version`; lease columns change only through claim/renew/release (in
 * the database's clock, so replicas with skewed clocks agree) and activity columns only
 * through `recordActivity`, neither bumping `version`.
 */
/**
 * Given the database (or a transaction) rather than only its drizzle handle, list pages are
 * read with plain SQL (see `lightPage`); both work.
 */
export function createSessionsRepository(
  target: Drizzle | Queryable,
  options: { documentCache?: number } = {},
): Sessions {
  const raw = 'drizzle' in target ? (target as Queryable) : null;
  const db: Drizzle = raw ? raw.drizzle : (target as Drizzle);
  const documents: DocumentCache = new RecentPerSession(options.documentCache ?? 2_000);
  const listed: ListedRecords = new RecentPerSession(options.documentCache ?? 2_000);
  /** Runs a write (with its events) and returns its rows, decoded alike on both drivers. */
  const run = raw
    ? (statement: Statement) => raw.execute(statement.text, statement.params)
    : async (statement: Statement): Promise<Row[]> => {
        const result = (await db.execute(toDrizzleSql(statement))) as unknown as Row[] | { rows: Row[] };
        return Array.isArray(result) ? result : result.rows;
      };
  /** The drizzle builder's SQL and driver values (jsonb as text, timestamps as ISO strings). */
  const statementOf = (query: { toSQL(): { sql: string; params: unknown[] } }, returning: string): Statement => {
    const { sql: text, params } = query.toSQL();
    return { text: `${text} ${returning}`, params: params as SqlParam[] };
  };
  /** The documents of a row at its version, from the cache or parsed (and cached). */
  const documentsOf = (row: DocumentRow & { version: number }): Documents => {
    const cached = documents.get(row.id, row.version);
    if (cached) return cached;
    const parsed = parseDocuments(row);
    documents.set(row.id, row.version, parsed);
    return parsed;
  };
  const toRecord = (row: SessionRow): SessionRecord => ({ ...row, ...documentsOf(row) });
  /** The record an update returned: documents it did not change come from the version before. */
  const updatedRecord = (row: Row, expectedVersion: number, patch: SessionPatch): SessionRecord => {
    const id = String(row.id);
    const before = documents.get(id, expectedVersion);
    const parsed = parseDocuments(
      row as DocumentRow,
      before ? { documents: before, changed: DOCUMENTS.filter((column) => patch[column] !== undefined) } : undefined,
    );
    documents.set(id, Number(row.version), parsed);
    return fromLight(row, parsed);
  };
  /**
   * A list page in two reads: the ids and `xmin`s of the page (an index scan, a few bytes a
   * row), then whole rows only for those not built at that `xmin` before. A page polled
   * unchanged costs the first read alone. A row deleted between the reads is left out.
   */
  async function listWithPlainSql(
    q: Queryable,
    query: SessionListQuery,
    wantsArchived: boolean,
  ): Promise<SessionListPage> {
    const { where, params } = pageFilter(query, wantsArchived);
    params.push(query.limit + 1);
    const refs = await q.execute<{ id: string; xmin: string }>(
      `SELECT id, xmin::text AS xmin FROM sessions WHERE ${where}
       ORDER BY sessions.created_at DESC, sessions.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = refs.slice(0, query.limit);
    const known = page.map((ref) => listed.get(ref.id, ref.xmin));
    const missing = page.filter((_, i) => !known[i]).map((ref) => ref.id);
    const fetched = missing.length > 0 ? await rowsById(q, missing) : new Map<string, Row>();
    const items: SessionRecord[] = [];
    for (const [i, ref] of page.entries()) {
      let record = known[i];
      const row = record ? undefined : fetched.get(ref.id);
      if (row) {
        const built = fromLight(row, documentsOf(row as DocumentRow & { version: number }));
        record = listed.set(built.id, String(row.xmin), built);
      }
      if (record) items.push(record);
    }
    const last = items.at(-1);
    return { items, nextCursor: refs.length > query.limit && last ? encodeSessionCursor(last) : null };
  }

  async function missingOrStale(id: string, expectedVersion: number): Promise<never> {
    const [row] = await db.select({ version: sessions.version }).from(sessions).where(eq(sessions.id, id));
    if (!row) throw new DomainError('SESSION_NOT_FOUND', `No session ${id}`);
    throw new DomainError(
      'CONCURRENT_MODIFICATION',
      `Session ${id} changed (version ${row.version}, expected ${expectedVersion})`,
      { id, version: row.version, expectedVersion },
    );
  }

  const byId = async (id: string) => {
    const [row] = await db.select(columns).from(sessions).where(eq(sessions.id, id));
    return row ? toRecord(row) : null;
  };

  return {
    byId,

    async insert(session, events = []) {
      const insert = db.insert(sessions).values({ ...session, endpoints: session.endpoints ?? jsonNull });
      try {
        await run(withEvents(statementOf(insert, RETURNING_OWNER), events, session.createdAt));
      } catch (error) {
        if (isUniqueViolation(error, OWNER_NAME_INDEX)) throw nameTaken(session.name);
        throw error;
      }
    },

    async update(id, expectedVersion, patch, events = []) {
      // Leaving the work states ends the work: the lease goes with that write (see the port).
      const freesLease = patch.state !== undefined && !WORK_STATES.includes(patch.state);
      const update = db
        .update(sessions)
        .set({
          ...patchSet(patch),
          version: sql`${sessions.version} + 1`,
          ...(freesLease ? { leaseOwner: null, leaseExpiresAt: null } : {}),
        })
        .where(and(eq(sessions.id, id), eq(sessions.version, expectedVersion)));
      let rows: Row[];
      try {
        rows = await run(withEvents(statementOf(update, RETURNING_RECORD), events, patch.updatedAt));
      } catch (error) {
        if (isUniqueViolation(error, OWNER_NAME_INDEX)) {
          const name = patch.name ?? (await byId(id))?.name ?? '';
          throw nameTaken(name);
        }
        throw error;
      }
      const [row] = rows;
      return row ? updatedRecord(row, expectedVersion, patch) : missingOrStale(id, expectedVersion);
    },

    async delete(id, expectedVersion, change) {
      const remove: Statement = {
        text: `DELETE FROM sessions WHERE id = $1 AND version = $2 ${RETURNING_OWNER}`,
        params: [id, expectedVersion],
      };
      const rows = await run(change ? withEvents(remove, change.events, change.at) : remove);
      if (rows.length === 0) await missingOrStale(id, expectedVersion);
    },

    async list(query: SessionListQuery): Promise<SessionListPage> {
      const wantsArchived = query.states ? query.states.includes('archived') : query.includeArchived;
      if (raw) return listWithPlainSql(raw, query, wantsArchived);
      const rows = await db
        .select(lightColumns)
        .from(sessions)
        .where(
          and(
            eq(sessions.tenantId, query.tenantId),
            query.ownerId === undefined ? undefined : eq(sessions.ownerId, query.ownerId),
            query.states === undefined ? undefined : inArray(sessions.state, [...query.states]),
            wantsArchived ? undefined : ne(sessions.state, 'archived'),
            query.cursor === undefined ? undefined : afterCursor(query.cursor),
          ),
        )
        .orderBy(desc(sessions.createdAt), desc(sessions.id))
        .limit(query.limit + 1);
      const page = rows.slice(0, query.limit);
      const missing = page.filter((row) => !documents.get(row.id, row.version));
      if (missing.length > 0) {
        const fetched = await db
          .select({
            id: sessions.id,
            version: sessions.version,
            source: sessions.source,
            launch: sessions.launch,
            spec: sessions.spec,
            endpoints: sessions.endpoints,
            runtime: sessions.runtime,
          })
          .from(sessions)
          .where(
            inArray(
              sessions.id,
              missing.map((row) => row.id),
            ),
          );
        for (const row of fetched) documentsOf(row);
      }
      const items: SessionRecord[] = [];
      for (const row of page) {
        // A row changed between the two reads is read again whole; one deleted meanwhile is gone.
        const docs = documents.get(row.id, row.version);
        const item = docs ? { ...row, ...docs } : await byId(row.id);
        if (item) items.push(item);
      }
      const last = items.at(-1);
      return { items, nextCursor: rows.length > query.limit && last ? encodeSessionCursor(last) : null };
    },

    async countRunningForTenant(tenantId) {
      const [row] = await db
        .select({ count: sql<number>`count(*)::int` })
        .from(sessions)
        .where(and(eq(sessions.tenantId, tenantId), inArray(sessions.state, [...QUOTA_STATES])));
      return Number(row?.count ?? 0);
    },

    async claimWork(owner, leaseMs, limit) {
      // FOR UPDATE SKIP LOCKED: concurrent claimers on PostgreSQL never wait on each other and
      // never take the same row; a locked row is re-checked against the lease condition after
      // the other claimer commits. On PGlite one connection serializes it anyway.
      const claimable = db
        .select({ id: sessions.id })
        .from(sessions)
        .where(
          and(
            inArray(sessions.state, [...WORK_STATES]),
            or(
              sql`${sessions.leaseOwner} IS NULL`,
              eq(sessions.leaseOwner, owner),
              sql`${sessions.leaseExpiresAt} <= now()`,
            ),
          ),
        )
        .orderBy(asc(sessions.updatedAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      const rows = await db
        .update(sessions)
        .set({ leaseOwner: owner, leaseExpiresAt: nowPlus(leaseMs) })
        .where(and(inArray(sessions.id, claimable), leaseCommit))
        .returning(columns);
      return rows.map(toRecord).sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
    },

    async renewLease(id, owner, leaseMs) {
      const rows = await db
        .update(sessions)
        .set({ leaseExpiresAt: nowPlus(leaseMs) })
        .where(and(eq(sessions.id, id), eq(sessions.leaseOwner, owner), leaseCommit))
        .returning({ id: sessions.id });
      return rows.length === 1;
    },

    async releaseLease(id, owner) {
      await db
        .update(sessions)
        .set({ leaseOwner: null, leaseExpiresAt: null })
        .where(and(eq(sessions.id, id), eq(sessions.leaseOwner, owner), leaseCommit));
    },

    async findExpired(query: ExpiryQuery) {
      // The same rule as idle-policy.ts `expiryReason` (which the caller re-checks).
      const at = sql`${query.now.toISOString()}::timestamptz`;
      const since = sql`coalesce(${sessions.runningSince}, ${sessions.updatedAt})`;
      const lifetime =
        query.maxLifetimeMs === null
          ? undefined
          : sql`${since} + make_interval(secs => ${query.maxLifetimeMs / 1000}::double precision) <= ${at}`;
      const idle = sql`${sessions.idleTimeoutMinutes} IS NOT NULL AND ${sessions.activityState} = 'idle'
        AND greatest(${since}, ${sessions.lastActivityAt}) + make_interval(mins => ${sessions.idleTimeoutMinutes}) <= ${at}`;
      const rows = await db
        .select(columns)
        .from(sessions)
        .where(and(eq(sessions.state, 'running'), lifetime ? or(lifetime, idle) : idle))
        .orderBy(asc(sessions.updatedAt))
        .limit(query.limit);
      return rows.map(toRecord);
    },

    async recordActivity(id, activity: SessionActivity, events = []) {
      const update = db
        .update(sessions)
        .set({ activityState: activity.state, activityMetadata: activity.metadata, lastActivityAt: activity.at })
        .where(eq(sessions.id, id));
      const rows = await run(withEvents(statementOf(update, RETURNING_OWNER), events, activity.at));
      if (rows.length === 0) throw new DomainError('SESSION_NOT_FOUND', `No session ${id}`);
    },
  };
}
