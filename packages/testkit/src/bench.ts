/**
 * Helpers for benchmarks (`pnpm bench`). A benchmark prints its human-readable lines and one
 * `BENCH {json}` line per figure; scripts/bench.mjs collects those into docs/performance.md.
 */
export interface BenchFigure {
  /** Stable name, e.g. `up.ready.warm`. */
  name: string;
  value: number;
  unit: string;
  /** The same quantity for a baseline measured in the same run (what the figure is compared with). */
  baseline?: { label: string; value: number };
  /** The target from the issue, as text (e.g. `≤ 5 s`). */
  target?: string;
  /** Whether the figure meets the target (omit when there is none). */
  met?: boolean;
  note?: string;
}

export function reportFigure(figure: BenchFigure): void {
  const base = figure.baseline
    ? ` (baseline ${figure.baseline.label}: ${round(figure.baseline.value)} ${figure.unit})`
    : '';
  const target = figure.target
    ? ` target ${figure.target}${figure.met === undefined ? '' : figure.met ? ' ✓' : ' ✗'}`
    : '';
  process.stdout.write(`${figure.name}: ${round(figure.value)} ${figure.unit}${base}${target}\n`);
  process.stdout.write(`BENCH ${JSON.stringify({ ...figure, value: round(figure.value) })}\n`);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 1000) / 1000);

/** Milliseconds elapsed since `start` (from `performance.now()`). */
export const since = (start: number) => performance.now() - start;
