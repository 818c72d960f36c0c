import type { Quotas } from '../sessions/ports/quotas';

/** Every tenant gets the same limit (null: unlimited). */
export function fixedQuotas(maxRunningSessions: number | null): Quotas {
  return { forTenant: async () => ({ maxRunningSessions }) };
}
