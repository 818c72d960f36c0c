/** Kubernetes quantities as numbers (cores for cpu, bytes for memory), to compare requests with limits. */
const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

export function parseQuantity(value: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value.trim());
  if (!match) throw new Error(`"${value}" is not a quantity`);
  return Number(match[1]) * (SUFFIX[match[2] ?? ''] ?? 1);
}

/** `request × ratio` written in the request's unit family (bytes as Mi, cpu as millicores). */
export function scaleQuantity(value: string, ratio: number, kind: 'cpu' | 'memory'): string {
  const n = parseQuantity(value) * ratio;
  return kind === 'cpu' ? `${Math.ceil(n * 1000)}m` : `${Math.ceil(n / 2 ** 20)}Mi`;
}
