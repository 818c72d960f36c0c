import type { ChronicleRecord } from '@volundr/core/chronicles/chronicle-record';
import { projectOf } from '@volundr/core/chronicles/chronicle-record';
import { ENDED_SESSION_STATES } from '@volundr/core/chronicles/completion-rules';
import type { ChronicleListQuery, Chronicles, CompletionCandidate } from '@volundr/core/chronicles/ports/chronicles';
import type { SessionFacts } from '@volundr/core/chronicles/ports/session-lookup';
import { and, arrayContains, asc, desc, eq, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../client';
import { chronicles } from '../schema/chronicles';
import { sessions } from '../schema/sessions';

/** Every column, selected explicitly (ChronicleRecord is the row, with the snapshot's names lifted out). */
const columns = {
  id: chronicles.id,
  sessionId: chronicles.sessionId,
  ownerId: chronicles.ownerId,
  tenantId: chronicles.tenantId,
  status: chronicles.status,
  partial: chronicles.partial,
  project: chronicles.project,
  repo: chronicles.repo,
  branch: chronicles.branch,
  model: chronicles.model,
  templateName: chronicles.templateName,
  configSnapshot: chronicles.configSnapshot,
  summary: chronicles.summary,
  keyChanges: chronicles.keyChanges,
  unfinishedWork: chronicles.unfinishedWork,
  tokensUsed: chronicles.tokensUsed,
  costUsd: chronicles.costUsd,
  durationSeconds: chronicles.durationSeconds,
  tags: chronicles.tags,
  parentChronicleId: chronicles.parentChronicleId,
  startedAt: chronicles.startedAt,
  reportReceivedAt: chronicles.reportReceivedAt,
  completedAt: chronicles.completedAt,
  createdAt: chronicles.createdAt,
  updatedAt: chronicles.updatedAt,
};

type ChronicleRow = Pick<typeof chronicles.$inferSelect, keyof typeof columns>;

/** What `config_snapshot` holds: the session as it was when its chronicle started. */
const ZSnapshot = z.object({
  sessionName: z.string().nullable().catch(null).default(null),
  profileName: z.string().nullable().catch(null).default(null),
});

const ZKeyChanges = z.array(z.string()).catch([]);

export function toChronicleRecord(row: ChronicleRow): ChronicleRecord {
  const snapshot = ZSnapshot.catch({ sessionName: null, profileName: null }).parse(row.configSnapshot);
  return {
    id: row.id,
    sessionId: row.sessionId,
    ownerId: row.ownerId,
    tenantId: row.tenantId,
    status: row.status,
    partial: row.partial,
    project: row.project,
    repo: row.repo,
    branch: row.branch,
    model: row.model,
    templateName: row.templateName,
    profileName: snapshot.profileName,
    sessionName: snapshot.sessionName,
    summary: row.summary,
    keyChanges: ZKeyChanges.parse(row.keyChanges),
    unfinishedWork: row.unfinishedWork,
    tokensUsed: row.tokensUsed,
    costUsd: row.costUsd,
    durationSeconds: row.durationSeconds,
    tags: row.tags,
    parentChronicleId: row.parentChronicleId,
    startedAt: row.startedAt,
    reportReceivedAt: row.reportReceivedAt,
    completedAt: row.completedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/*
 * Raw statements get times as ISO strings: on postgres.js, drizzle replaces the Date serializer
 * of the shared client, so a Date parameter of `execute` would not be sent.
 */

/**
 * Inserts the session's draft unless it has a chronicle (one per session: a unique index);
 * seeded with the session's repository, branch, model, template and reforge parent.
 */
export async function insertDraft(q: Queryable, session: SessionFacts, id: string, at: Date): Promise<void> {
  const git = session.source.type === 'git' ? session.source : null;
  await q.execute(
    `INSERT INTO chronicles (id, session_id, owner_id, tenant_id, status, project, repo, branch, model,
       template_name, config_snapshot, parent_chronicle_id, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $12)
     ON CONFLICT (session_id) WHERE session_id IS NOT NULL DO NOTHING`,
    [
      id,
      session.id,
      session.ownerId,
      session.tenantId,
      projectOf(git?.repo ?? null),
      git?.repo ?? null,
      git?.branch ?? null,
      session.model,
      session.templateName,
      JSON.stringify({ sessionName: session.name, profileName: session.profileName }),
      session.parentChronicleId,
      at.toISOString(),
    ],
  );
}

/**
 * The Chronicles port on `chronicles` (with `chronicle_files` and `timeline_events` cascading).
 * `q` is the database or a transaction of it.
 */
export function createChroniclesRepository(q: Queryable): Chronicles {
  const db = q.drizzle;

  const byId = async (id: string) => {
    const [row] = await db.select(columns).from(chronicles).where(eq(chronicles.id, id));
    return row ? toChronicleRecord(row) : null;
  };

  const bySession = async (sessionId: string) => {
    const [row] = await db.select(columns).from(chronicles).where(eq(chronicles.sessionId, sessionId));
    return row ? toChronicleRecord(row) : null;
  };

  return {
    byId,
    bySession,

    async ensureForSession(session, id, at) {
      await insertDraft(q, session, id, at);
      const chronicle = await bySession(session.id);
      if (!chronicle) throw new Error(`chronicle of session ${session.id} vanished right after it was ensured`);
      return chronicle;
    },

    async list(query: ChronicleListQuery) {
      const conditions: (SQL | undefined)[] = [eq(chronicles.tenantId, query.tenantId)];
      if (query.ownerId !== undefined) conditions.push(eq(chronicles.ownerId, query.ownerId));
      if (query.status) conditions.push(eq(chronicles.status, query.status));
      if (query.model) conditions.push(eq(chronicles.model, query.model));
      if (query.repo) conditions.push(or(eq(chronicles.repo, query.repo), eq(chronicles.project, query.repo)));
      if (query.tags && query.tags.length > 0) conditions.push(arrayContains(chronicles.tags, [...query.tags]));
      if (query.after) {
        const { createdAt, id } = query.after;
        conditions.push(
          or(lt(chronicles.createdAt, createdAt), and(eq(chronicles.createdAt, createdAt), lt(chronicles.id, id))),
        );
      }
      const rows = await db
        .select(columns)
        .from(chronicles)
        .where(and(...conditions))
        .orderBy(desc(chronicles.createdAt), desc(chronicles.id))
        .limit(query.limit + 1);
      return rows.map(toChronicleRecord);
    },

    async update(id, patch, at) {
      const [row] = await db
        .update(chronicles)
        .set({
          ...(patch.summary !== undefined ? { summary: patch.summary } : {}),
          ...(patch.unfinishedWork !== undefined ? { unfinishedWork: patch.unfinishedWork } : {}),
          ...(patch.tags !== undefined ? { tags: patch.tags } : {}),
          updatedAt: at,
        })
        .where(eq(chronicles.id, id))
        .returning(columns);
      return row ? toChronicleRecord(row) : null;
    },

    async delete(id) {
      const rows = await db.delete(chronicles).where(eq(chronicles.id, id)).returning({ id: chronicles.id });
      return rows.length > 0;
    },

    async chain(id, maxDepth) {
      // Up through the parents, down through the children; position < 0 for ancestors.
      const ordered = await q.execute<{ id: string }>(
        `WITH RECURSIVE up (id, parent, depth) AS (
           SELECT id, parent_chronicle_id, 0 FROM chronicles WHERE id = $1
           UNION ALL
           SELECT c.id, c.parent_chronicle_id, up.depth + 1
           FROM chronicles c JOIN up ON c.id = up.parent WHERE up.depth < $2
         ), down (id, depth) AS (
           SELECT id, 0 FROM chronicles WHERE id = $1
           UNION ALL
           SELECT c.id, down.depth + 1
           FROM chronicles c JOIN down ON c.parent_chronicle_id = down.id WHERE down.depth < $2
         ), positioned AS (
           SELECT id, -depth AS position FROM up
           UNION ALL
           SELECT id, depth FROM down WHERE depth > 0
         ), firsts AS (
           SELECT DISTINCT ON (id) id, position FROM positioned ORDER BY id, abs(position)
         )
         SELECT f.id FROM firsts f JOIN chronicles c ON c.id = f.id
         ORDER BY f.position, c.created_at, c.id`,
        [id, maxDepth],
      );
      if (ordered.length === 0) return [];
      const rows = await db
        .select(columns)
        .from(chronicles)
        .where(
          inArray(
            chronicles.id,
            ordered.map((r) => r.id),
          ),
        );
      const byKey = new Map(rows.map((row) => [row.id, toChronicleRecord(row)]));
      return ordered.flatMap((r) => byKey.get(r.id) ?? []);
    },

    async dueForCompletion(now, graceMs, limit): Promise<CompletionCandidate[]> {
      const endedBefore = new Date(now.getTime() - graceMs);
      const endedAt = sql`coalesce(${sessions.stoppedAt}, ${sessions.updatedAt}, ${chronicles.updatedAt})`;
      const rows = await db
        .select({
          ...columns,
          sessionState: sessions.state,
          stoppedAt: sessions.stoppedAt,
          sessionUpdatedAt: sessions.updatedAt,
        })
        .from(chronicles)
        .leftJoin(sessions, eq(sessions.id, chronicles.sessionId))
        .where(
          and(
            eq(chronicles.status, 'draft'),
            or(isNull(sessions.id), inArray(sessions.state, [...ENDED_SESSION_STATES])),
            or(
              sql`${chronicles.reportReceivedAt} IS NOT NULL`,
              sql`${endedAt} <= ${endedBefore.toISOString()}::timestamptz`,
            ),
          ),
        )
        .orderBy(asc(chronicles.updatedAt), asc(chronicles.id))
        .limit(limit);
      return rows.map(({ sessionState, stoppedAt, sessionUpdatedAt, ...row }) => ({
        chronicle: toChronicleRecord(row),
        sessionState,
        sessionStoppedAt: stoppedAt ?? sessionUpdatedAt,
      }));
    },

    async complete(id, completion) {
      const [row] = await db
        .update(chronicles)
        .set({
          status: 'complete',
          partial: completion.partial,
          completedAt: completion.at,
          updatedAt: completion.at,
          ...(completion.summary !== undefined ? { summary: completion.summary } : {}),
          ...(completion.keyChanges !== undefined ? { keyChanges: completion.keyChanges } : {}),
          ...(completion.durationSeconds !== undefined ? { durationSeconds: completion.durationSeconds } : {}),
        })
        .where(
          and(
            eq(chronicles.id, id),
            eq(chronicles.status, 'draft'),
            completion.onlyWithoutReport ? isNull(chronicles.reportReceivedAt) : undefined,
          ),
        )
        .returning(columns);
      return row ? toChronicleRecord(row) : null;
    },

    async purge(cutoff, batchSize) {
      let removedChronicles = 0;
      for (;;) {
        const rows = await q.execute(
          `DELETE FROM chronicles WHERE id IN (
             SELECT id FROM chronicles WHERE updated_at < $1 ORDER BY updated_at LIMIT $2
           ) RETURNING id`,
          [cutoff.toISOString(), batchSize],
        );
        removedChronicles += rows.length;
        if (rows.length < batchSize) break;
      }
      let removedUsage = 0;
      for (;;) {
        // Usage of a session whose chronicle is still kept stays: its token burn needs it.
        const rows = await q.execute(
          `DELETE FROM token_usage WHERE id IN (
             SELECT tu.id FROM token_usage tu
             WHERE tu.recorded_at < $1
               AND NOT EXISTS (SELECT 1 FROM chronicles c WHERE c.session_id = tu.session_id)
             LIMIT $2
           ) RETURNING id`,
          [cutoff.toISOString(), batchSize],
        );
        removedUsage += rows.length;
        if (rows.length < batchSize) break;
      }
      const cutoffMinute = Math.floor(cutoff.getTime() / 60_000);
      for (;;) {
        const rows = await q.execute(
          `DELETE FROM token_usage_minutes WHERE (session_id, minute, model) IN (
             SELECT m.session_id, m.minute, m.model FROM token_usage_minutes m
             WHERE m.minute < $1
               AND NOT EXISTS (SELECT 1 FROM chronicles c WHERE c.session_id = m.session_id)
             LIMIT $2
           ) RETURNING minute`,
          [cutoffMinute, batchSize],
        );
        if (rows.length < batchSize) break;
      }
      return { chronicles: removedChronicles, tokenUsage: removedUsage };
    },

    async deleteForSession(sessionId) {
      const rows = await db
        .delete(chronicles)
        .where(eq(chronicles.sessionId, sessionId))
        .returning({ id: chronicles.id });
      return rows.length;
    },
  };
}
