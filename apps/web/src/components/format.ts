const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const usd = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
const usdSmall = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });

/** 1234 → "1.2K". */
export const formatTokens = (n: number) => compact.format(n);

/** Cents for ordinary amounts, more digits for the tiny cost of a single turn. */
export const formatUsd = (n: number) => (n > 0 && n < 0.01 ? usdSmall.format(n) : usd.format(n));

/** 1500 → "1.5 s", 90_000 → "1 min 30 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}
