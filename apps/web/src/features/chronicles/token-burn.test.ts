import type { TokenBurn } from '@volundr/contracts/chronicles';
import { describe, expect, it } from 'vitest';
import { burnChart } from './token-burn';

const counts = (tokens: number, costUsd = 0) => ({
  inputTokens: tokens,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  tokens,
  costUsd,
});
const bucket = (t: number, tokens: number, costUsd = 0) => ({
  t,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, t)).toISOString(),
  total: counts(tokens, costUsd),
  byModel: [],
});

describe('burnChart', () => {
  it('draws one bar per bucket up to the last used one, gaps for empty buckets, scaled to the busiest', () => {
    const burn: TokenBurn = {
      bucketSeconds: 300,
      startedAt: '2026-01-01T00:00:00.000Z',
      buckets: [bucket(0, 1000, 0.01), bucket(900, 4000, 0.04)],
    };
    const chart = burnChart(burn, 400, 100, 0, 1000);
    expect(chart.bars.map((b) => [b.t, b.tokens, b.height])).toEqual([
      [0, 1000, 25],
      [300, 0, 0],
      [600, 0, 0],
      [900, 4000, 100],
    ]);
    expect(chart.bars.map((b) => b.x)).toEqual([0, 100, 200, 300]);
    expect(chart.bars[3]?.y).toBe(0);
    expect(chart).toMatchObject({ maxTokens: 4000, totalTokens: 5000, bucketSeconds: 300 });
    expect(chart.totalCostUsd).toBeCloseTo(0.05);
  });

  it('has no bars when nothing was used', () => {
    expect(burnChart({ bucketSeconds: 300, startedAt: null, buckets: [] }, 400, 100)).toMatchObject({
      bars: [],
      maxTokens: 0,
      totalTokens: 0,
    });
  });

  it('keeps bars narrow when there are few buckets', () => {
    const chart = burnChart({ bucketSeconds: 60, startedAt: null, buckets: [bucket(0, 10)] }, 640, 100, 2, 48);
    expect(chart.bars).toEqual([expect.objectContaining({ x: 1, width: 46, height: 100 })]);
  });
});
