import type { TokenBurn } from '@volundr/contracts/chronicles';

export interface BurnBar {
  /** Seconds since the start at which the bucket begins. */
  t: number;
  tokens: number;
  costUsd: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BurnChart {
  bars: BurnBar[];
  maxTokens: number;
  totalTokens: number;
  totalCostUsd: number;
  bucketSeconds: number;
}

/**
 * Bars for a token-burn chart of `width` × `height`: one per bucket from t = 0 to the last
 * bucket with usage (the API leaves empty buckets out; they are drawn as gaps), heights
 * relative to the busiest bucket, each at most `maxSlot` wide.
 */
export function burnChart(burn: TokenBurn, width: number, height: number, gap = 2, maxSlot = 48): BurnChart {
  const { bucketSeconds } = burn;
  const byIndex = new Map<number, { tokens: number; costUsd: number }>();
  for (const b of burn.buckets) {
    const index = Math.floor(b.t / bucketSeconds);
    const prev = byIndex.get(index) ?? { tokens: 0, costUsd: 0 };
    byIndex.set(index, { tokens: prev.tokens + b.total.tokens, costUsd: prev.costUsd + b.total.costUsd });
  }
  const count = byIndex.size === 0 ? 0 : Math.max(...byIndex.keys()) + 1;
  const maxTokens = Math.max(0, ...[...byIndex.values()].map((v) => v.tokens));
  // Few buckets (a short session) draw as narrow bars from the left, not one wide block.
  const slot = count > 0 ? Math.min(width / count, maxSlot) : 0;
  const bars: BurnBar[] = [];
  for (let i = 0; i < count; i++) {
    const v = byIndex.get(i) ?? { tokens: 0, costUsd: 0 };
    const h = maxTokens > 0 ? (v.tokens / maxTokens) * height : 0;
    bars.push({
      t: i * bucketSeconds,
      tokens: v.tokens,
      costUsd: v.costUsd,
      x: i * slot + gap / 2,
      width: Math.max(1, slot - gap),
      height: h,
      y: height - h,
    });
  }
  return {
    bars,
    maxTokens,
    totalTokens: bars.reduce((s, b) => s + b.tokens, 0),
    totalCostUsd: bars.reduce((s, b) => s + b.costUsd, 0),
    bucketSeconds,
  };
}
