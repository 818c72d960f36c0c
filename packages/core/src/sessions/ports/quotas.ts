export interface TenantQuota {
  /** Sessions in starting/provisioning/running at once; null means no limit. */
  maxRunningSessions: number | null;
}

/** Per-tenant limits (the `tenants` table in production). */
export interface Quotas {
  forTenant(tenantId: string): Promise<TenantQuota>;
}
