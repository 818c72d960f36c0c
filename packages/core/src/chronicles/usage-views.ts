import type { ModelTokenCounts, SessionUsage, TokenBurn, TokenCounts } from '@volundr/contracts/chronicles';
import type { BurnRow, ModelUsageRow, UsageCounts } from './ports/token-usage';

/** Cost sums of numeric(14,6) values: keep six decimals, drop float noise. */
const money = (n: number) => Math.round(n * 1e6) / 1e6;

export function tokenCounts(rows: readonly UsageCounts[]): TokenCounts {
  const sum = (pick: (r: UsageCounts) => number) => rows.reduce((total, r) => total + pick(r), 0);
  const inputTokens = sum((r) => r.inputTokens);
  const outputTokens = sum((r) => r.outputTokens);
  const cacheReadTokens = sum((r) => r.cacheReadTokens);
  const cacheWriteTokens = sum((r) => r.cacheWriteTokens);
  return {
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    tokens: inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens,
    costUsd: money(sum((r) => r.costUsd)),
  };
}

const modelCounts = (model: string, rows: readonly UsageCounts[]): ModelTokenCounts => ({
  model,
  ...tokenCounts(rows),
});

/** Totals, per model (by name) and the number of turns that reported usage. */
export function usageView(rows: readonly ModelUsageRow[]): Omit<SessionUsage, 'sessionId'> {
  return {
    turns: rows.reduce((n, r) => n + r.turns, 0),
    total: tokenCounts(rows),
    byModel: [...rows].sort((a, b) => a.model.localeCompare(b.model)).map((r) => modelCounts(r.model, [r])),
  };
}

/** The burn's rows summed per model: the usage totals without a second scan. */
export function perModel(rows: readonly BurnRow[]): ModelUsageRow[] {
  const models = new Map<string, ModelUsageRow>();
  for (const row of rows) {
    const sum = models.get(row.model) ?? {
      model: row.model,
      turns: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0,
    };
    sum.turns += row.turns;
    sum.inputTokens += row.inputTokens;
    sum.outputTokens += row.outputTokens;
    sum.cacheReadTokens += row.cacheReadTokens;
    sum.cacheWriteTokens += row.cacheWriteTokens;
    sum.costUsd += row.costUsd;
    models.set(row.model, sum);
  }
  return [...models.values()];
}

/** Buckets with usage, ascending; each with its total and per-model counts. */
export function burnView(rows: readonly BurnRow[], start: Date | null, bucketSeconds: number): TokenBurn {
  const byBucket = new Map<number, BurnRow[]>();
  for (const row of rows) {
    const list = byBucket.get(row.bucket) ?? [];
    list.push(row);
    byBucket.set(row.bucket, list);
  }
  // Buckets count from the minute the session started (see TokenUsage.burn).
  const startMs = start ? Math.floor(start.getTime() / 60_000) * 60_000 : 0;
  return {
    bucketSeconds,
    startedAt: start ? new Date(startMs).toISOString() : null,
    buckets: [...byBucket.entries()]
      .sort(([a], [b]) => a - b)
      .map(([bucket, models]) => ({
        t: bucket * bucketSeconds,
        at: new Date(startMs + bucket * bucketSeconds * 1000).toISOString(),
        total: tokenCounts(models),
        byModel: [...models].sort((a, b) => a.model.localeCompare(b.model)).map((m) => modelCounts(m.model, [m])),
      })),
  };
}
