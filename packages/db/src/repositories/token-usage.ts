import type { BurnRow, ModelUsageRow, TokenUsage } from '@volundr/core/chronicles/ports/token-usage';
import type { Queryable, Row } from '../client';

/** Sums come back as PostgreSQL prints bigint/numeric (text); they are counts and dollars. */
const num = (value: unknown) => Number(value ?? 0);

const sums = `sum(input_tokens) AS input, sum(output_tokens) AS output, sum(cache_read_tokens) AS cache_read,
  sum(cache_write_tokens) AS cache_write, sum(cost_usd) AS cost`;

const counts = (row: Row) => ({
  inputTokens: num(row.input),
  outputTokens: num(row.output),
  cacheReadTokens: num(row.cache_read),
  cacheWriteTokens: num(row.cache_write),
  costUsd: num(row.cost),
});

/** The TokenUsage port: aggregates of `token_usage` by model and by time bucket, in SQL. */
export function createTokenUsageRepository(q: Queryable): TokenUsage {
  return {
    async byModel(sessionId): Promise<ModelUsageRow[]> {
      const rows = await q.execute(
        `SELECT model, count(*) AS turns, ${sums} FROM token_usage WHERE session_id = $1 GROUP BY model ORDER BY model`,
        [sessionId],
      );
      return rows.map((row) => ({ model: String(row.model), turns: num(row.turns), ...counts(row) }));
    },

    async firstAt(sessionId) {
      const [row] = await q.execute<{ first: string | null }>(
        'SELECT min(recorded_at) AS first FROM token_usage WHERE session_id = $1',
        [sessionId],
      );
      return row?.first ? new Date(row.first) : null;
    },

    async burn(sessionId, start, bucketSeconds): Promise<BurnRow[]> {
      // Buckets count from the minute of the start. Whole-minute buckets sum the maintained
      // per-minute rows (a minute lies inside one bucket); others aggregate every report.
      const startMinute = Math.floor(start.getTime() / 60_000);
      const rows =
        bucketSeconds % 60 === 0
          ? await q.execute(
              `SELECT greatest(0, (minute - $2) * 60 / $3)::int AS bucket, model, sum(turns) AS turns,
                      ${sums}
               FROM token_usage_minutes WHERE session_id = $1
               GROUP BY 1, 2 ORDER BY 1, 2`,
              [sessionId, startMinute, bucketSeconds],
            )
          : await q.execute(
              `SELECT greatest(0, floor((extract(epoch FROM recorded_at) - $2 * 60) / $3))::int AS bucket,
                      model, count(*) AS turns, ${sums}
               FROM token_usage WHERE session_id = $1
               GROUP BY 1, 2 ORDER BY 1, 2`,
              [sessionId, startMinute, bucketSeconds],
            );
      return rows.map((row) => ({
        bucket: num(row.bucket),
        model: String(row.model),
        turns: num(row.turns),
        ...counts(row),
      }));
    },
  };
}
