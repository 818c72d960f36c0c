import { ZSessionSource } from '@volundr/contracts/sessions';
import type { ReportStore, ReportsToStore, StoreOptions } from '@volundr/core/chronicles/ports/report-store';
import type { SessionFacts, SessionLookup } from '@volundr/core/chronicles/ports/session-lookup';
import { DomainError } from '@volundr/core/errors';
import { eq } from 'drizzle-orm';
import type { Database, Queryable } from '../client';
import { sessions } from '../schema/sessions';
import { insertDraft } from './chronicles';
import { appendEventsInTransaction } from './outbox';

/** The SessionLookup port: the few session columns chronicles need. */
export function createSessionLookup(q: Queryable): SessionLookup {
  return {
    async byId(id) {
      const [row] = await q.drizzle
        .select({
          id: sessions.id,
          ownerId: sessions.ownerId,
          tenantId: sessions.tenantId,
          name: sessions.name,
          model: sessions.model,
          source: sessions.source,
          templateName: sessions.templateName,
          profileName: sessions.profileName,
          state: sessions.state,
          parentChronicleId: sessions.parentChronicleId,
          runningSince: sessions.runningSince,
          stoppedAt: sessions.stoppedAt,
        })
        .from(sessions)
        .where(eq(sessions.id, id));
      if (!row) return null;
      const source = ZSessionSource.safeParse(row.source);
      if (!source.success) throw new Error(`sessions.source of ${id} is not a session source: ${source.error.message}`);
      return { ...row, source: source.data } satisfies SessionFacts;
    },
  };
}

const num = (value: unknown) => Number(value ?? 0);
const money = (n: number) => Math.round(n * 1e6) / 1e6;

/** Broker keys are unique within their session; the stored key is unique across sessions. */
const storedKey = (sessionId: string, key: string) => `${sessionId}/${key}`;

/** New usage of one minute and model in this batch. */
interface MinuteDelta {
  minute: string;
  model: string;
  n: number;
  i: number;
  o: number;
  cr: number;
  cw: number;
  cost: number;
}

interface FileDelta {
  path: string;
  ins: number;
  del: number;
  n: number;
  created: boolean;
  deleted: boolean;
  at: string;
}

/**
 * The ReportStore port. One transaction per batch, holding the session row (FOR NO KEY UPDATE)
 * so a session's batches apply one at a time: the draft is created once, and counters and the
 * file summary grow only by rows whose key was not stored before (INSERT … ON CONFLICT DO
 * NOTHING RETURNING tells which).
 */
export function createReportStore(database: Database): ReportStore {
  return {
    store: (session, reports, options) => database.transaction((tx) => storeBatch(tx, session, reports, options)),
  };
}

async function storeBatch(tx: Queryable, session: SessionFacts, reports: ReportsToStore, options: StoreOptions) {
  const locked = await tx.execute('SELECT id FROM sessions WHERE id = $1 FOR NO KEY UPDATE', [session.id]);
  if (locked.length === 0) {
    throw new DomainError('SESSION_NOT_FOUND', `No session ${session.id}`, { sessionId: session.id });
  }
  await insertDraft(tx, session, options.newChronicleId, options.at);
  const [chronicle] = await tx.execute<{ id: string; status: string; final_key: string | null }>(
    `SELECT id, status, config_snapshot->>'finalReportKey' AS final_key FROM chronicles WHERE session_id = $1 FOR UPDATE`,
    [session.id],
  );
  if (!chronicle) throw new Error(`chronicle of session ${session.id} vanished inside its transaction`);

  // ── usage ───────────────────────────────────────────────────────────────────────────────
  let newUsage = 0;
  const newUsageKeys = new Set<string>();
  let tokens = 0;
  let cost = 0;
  if (reports.usage.length > 0) {
    const rows = await tx.execute(
      `INSERT INTO token_usage (session_id, idempotency_key, recorded_at, model, provider, input_tokens,
         output_tokens, cache_read_tokens, cache_write_tokens, cost_usd)
       SELECT $1, r.key, r.at, r.model, 'cloud', r.i, r.o, r.cr, r.cw, r.cost
       FROM jsonb_to_recordset($2::jsonb)
         AS r (key text, at timestamptz, model text, i bigint, o bigint, cr bigint, cw bigint, cost numeric)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING floor(extract(epoch FROM recorded_at) / 60)::bigint AS minute, model, input_tokens,
         output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, idempotency_key`,
      [
        session.id,
        JSON.stringify(
          reports.usage.map((r) => ({
            key: storedKey(session.id, r.key),
            at: r.occurredAt,
            model: r.model,
            i: r.inputTokens,
            o: r.outputTokens,
            cr: r.cacheReadTokens,
            cw: r.cacheWriteTokens,
            cost: r.costUsd ?? 0,
          })),
        ),
      ],
    );
    newUsage = rows.length;
    for (const row of rows) newUsageKeys.add(String(row.idempotency_key));
    const minutes = new Map<string, MinuteDelta>();
    for (const row of rows) {
      tokens +=
        num(row.input_tokens) + num(row.output_tokens) + num(row.cache_read_tokens) + num(row.cache_write_tokens);
      cost += num(row.cost_usd);
      const key = `${row.minute}/${row.model}`;
      const delta = minutes.get(key) ?? {
        minute: String(row.minute),
        model: String(row.model),
        n: 0,
        i: 0,
        o: 0,
        cr: 0,
        cw: 0,
        cost: 0,
      };
      delta.n += 1;
      delta.i += num(row.input_tokens);
      delta.o += num(row.output_tokens);
      delta.cr += num(row.cache_read_tokens);
      delta.cw += num(row.cache_write_tokens);
      delta.cost = money(delta.cost + num(row.cost_usd));
      minutes.set(key, delta);
    }
    cost = money(cost);
    if (minutes.size > 0) {
      await tx.execute(
        `INSERT INTO token_usage_minutes (session_id, minute, model, turns, input_tokens, output_tokens,
           cache_read_tokens, cache_write_tokens, cost_usd)
         SELECT $1, m.minute, m.model, m.n, m.i, m.o, m.cr, m.cw, m.cost
         FROM jsonb_to_recordset($2::jsonb)
           AS m (minute bigint, model text, n integer, i bigint, o bigint, cr bigint, cw bigint, cost numeric)
         ON CONFLICT (session_id, minute, model) DO UPDATE SET
           turns = token_usage_minutes.turns + excluded.turns,
           input_tokens = token_usage_minutes.input_tokens + excluded.input_tokens,
           output_tokens = token_usage_minutes.output_tokens + excluded.output_tokens,
           cache_read_tokens = token_usage_minutes.cache_read_tokens + excluded.cache_read_tokens,
           cache_write_tokens = token_usage_minutes.cache_write_tokens + excluded.cache_write_tokens,
           cost_usd = token_usage_minutes.cost_usd + excluded.cost_usd`,
        [session.id, JSON.stringify([...minutes.values()])],
      );
    }
  }

  // ── timeline ────────────────────────────────────────────────────────────────────────────
  let newTimeline = 0;
  const newTimelineItems: { type: string; label: string; action: string | null; t: number }[] = [];
  const files = new Map<string, FileDelta>();
  if (reports.timeline.length > 0) {
    const rows = await tx.execute<{
      type: string;
      label: string;
      action: string | null;
      insertions: number | null;
      deletions: number | null;
      at: string;
      t: number;
    }>(
      `INSERT INTO timeline_events (chronicle_id, session_id, idempotency_key, t, type, label, action,
         insertions, deletions, hash, exit_code, tokens, model, created_at)
       SELECT $1, $2, r.key, r.t, r.type, r.label, r.action, r.ins, r.del, r.hash, r.exit_code, r.tokens, r.model, r.at
       FROM jsonb_to_recordset($3::jsonb) AS r (key text, t integer, type text, label text, action text,
         ins integer, del integer, hash text, exit_code integer, tokens integer, model text, at timestamptz)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING type, label, action, insertions, deletions, created_at AS at, t`,
      [
        chronicle.id,
        session.id,
        JSON.stringify(
          reports.timeline.map((r) => ({
            key: storedKey(session.id, r.key),
            t: Math.floor(r.t),
            type: r.type,
            label: r.label,
            action: r.action ?? null,
            ins: r.insertions ?? null,
            del: r.deletions ?? null,
            hash: r.hash ?? null,
            exit_code: r.exitCode ?? null,
            tokens: r.tokens ?? null,
            model: r.model ?? null,
            at: r.occurredAt,
          })),
        ),
      ],
    );
    newTimeline = rows.length;
    for (const row of rows)
      newTimelineItems.push({ type: row.type, label: row.label, action: row.action, t: Number(row.t) });
    // Several events of one path in a batch become one upsert (ON CONFLICT touches a row once).
    for (const row of rows) {
      if (row.type !== 'file') continue;
      const at = new Date(row.at).toISOString();
      const delta = files.get(row.label) ?? {
        path: row.label,
        ins: 0,
        del: 0,
        n: 0,
        created: false,
        deleted: false,
        at,
      };
      delta.ins += row.insertions ?? 0;
      delta.del += row.deletions ?? 0;
      delta.n += 1;
      delta.created ||= row.action === 'created';
      delta.deleted ||= row.action === 'deleted';
      if (at > delta.at) delta.at = at;
      files.set(row.label, delta);
    }
  }
  if (files.size > 0) {
    await tx.execute(
      `INSERT INTO chronicle_files (chronicle_id, path, insertions, deletions, changes, created, deleted, last_changed_at)
       SELECT $1, f.path, f.ins, f.del, f.n, f.created, f.deleted, f.at
       FROM jsonb_to_recordset($2::jsonb)
         AS f (path text, ins bigint, del bigint, n integer, created boolean, deleted boolean, at timestamptz)
       ON CONFLICT (chronicle_id, path) DO UPDATE SET
         insertions = chronicle_files.insertions + excluded.insertions,
         deletions = chronicle_files.deletions + excluded.deletions,
         changes = chronicle_files.changes + excluded.changes,
         created = chronicle_files.created OR excluded.created,
         deleted = chronicle_files.deleted OR excluded.deleted,
         last_changed_at = greatest(chronicle_files.last_changed_at, excluded.last_changed_at)`,
      [chronicle.id, JSON.stringify([...files.values()])],
    );
  }

  // ── the chronicle ───────────────────────────────────────────────────────────────────────
  // t = 0 of the timeline: an event at t seconds happened t seconds after the start.
  const starts = [
    ...reports.timeline.map((r) => Date.parse(r.occurredAt) - r.t * 1000),
    ...reports.usage.map((r) => Date.parse(r.occurredAt)),
  ];
  const start = starts.length > 0 ? new Date(Math.min(...starts)) : null;
  // A final report applies once: a redelivery must not undo later edits of the summary.
  const final = reports.final && reports.final.key !== chronicle.final_key ? reports.final : null;
  const hasNew = newUsage + newTimeline > 0;
  let status = chronicle.status;
  let reopen = false;
  if (final) status = options.completeOnFinal ? 'complete' : 'draft';
  else if (hasNew && status === 'complete' && options.reopenOnNewEvents) {
    status = 'draft';
    reopen = true;
  }
  const sets = [
    'tokens_used = tokens_used + $2',
    'cost_usd = cost_usd + $3',
    'started_at = CASE WHEN $4::timestamptz IS NULL THEN started_at ELSE least(coalesce(started_at, $4::timestamptz), $4::timestamptz) END',
    'updated_at = $5',
    'status = $6',
    `completed_at = CASE WHEN $6 = 'complete' THEN coalesce(completed_at, $5) ELSE NULL END`,
  ];
  // Times as ISO strings (see insertDraft).
  const params: (string | number | boolean | null)[] = [
    chronicle.id,
    tokens,
    cost,
    start?.toISOString() ?? null,
    options.at.toISOString(),
    status,
  ];
  if (final) {
    params.push(
      final.summary,
      JSON.stringify(final.keyChanges),
      final.unfinishedWork,
      Math.round(final.durationSeconds),
      final.partial ?? false,
      final.key,
    );
    sets.push(
      'summary = $7',
      'key_changes = $8::jsonb',
      'unfinished_work = $9',
      'duration_seconds = $10',
      'partial = $11',
      'report_received_at = $5',
      `config_snapshot = config_snapshot || jsonb_build_object('finalReportKey', $12::text)`,
    );
  } else if (reopen) {
    // The session runs again: the earlier report no longer describes all of it.
    sets.push('partial = false', 'report_received_at = NULL');
  }
  await tx.execute(`UPDATE chronicles SET ${sets.join(', ')} WHERE id = $1`, params);

  if (newUsage > 0) {
    await tx.execute(
      `UPDATE sessions SET tokens_used = tokens_used + $2, cost_usd = cost_usd + $3,
         message_count = message_count + $4 WHERE id = $1`,
      [session.id, tokens, cost, newUsage],
    );
  }
  // Domain events of what was new, committed with it (last: the append lock is held to commit).
  const event = (type: string, data: Record<string, unknown>) => ({
    sessionId: session.id,
    tenantId: session.tenantId,
    ownerId: session.ownerId,
    type,
    data,
    createdAt: options.at,
  });
  const events = reports.usage
    .filter((r) => newUsageKeys.delete(storedKey(session.id, r.key)))
    .map((r) =>
      event('usage_recorded', {
        turnId: r.turnId,
        model: r.model,
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        cacheReadTokens: r.cacheReadTokens,
        cacheWriteTokens: r.cacheWriteTokens,
        costUsd: r.costUsd ?? null,
        durationMs: r.durationMs ?? null,
        occurredAt: r.occurredAt,
      }),
    );
  if (newTimelineItems.length > 0)
    events.push(event('timeline_recorded', { chronicleId: chronicle.id, items: newTimelineItems }));
  const change =
    chronicle.id === options.newChronicleId ? 'created' : final ? 'final_report' : reopen ? 'reopened' : null;
  if (change) events.push(event('chronicle_updated', { chronicleId: chronicle.id, status, change }));
  await appendEventsInTransaction(tx, events);

  return { chronicleId: chronicle.id, newUsage, newTimeline };
}
