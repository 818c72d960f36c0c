import type { Membership, Tenant, TenantTier } from '@volundr/contracts/identity';
import type { Role } from '@volundr/contracts/principal';

export interface NewTenant {
  id: string;
  /** The new path segment; the path is the parent's path + slug + "/" (or "/slug/" at the root). */
  slug: string;
  name: string;
  parentId: string | null;
  tier: TenantTier;
  maxRunningSessions: number;
  maxStorageGb: number;
  at: Date;
}

export interface TenantPatch {
  name?: string;
  tier?: TenantTier;
  maxRunningSessions?: number;
  maxStorageGb?: number;
}

export interface NewMembership {
  userId: string;
  tenantId: string;
  role: Role;
  at: Date;
}

/** The tenants repository: the tenant tree (materialized paths) and its memberships. */
export interface Tenants {
  byId(id: string): Promise<Tenant | null>;
  byPath(path: string): Promise<Tenant | null>;
  /**
   * The root tenant `id` (path `/id/`), created with defaults if missing; returns what is stored.
   * Throws `TENANT_PATH_TAKEN` when another tenant already has that path.
   */
  ensureRoot(root: { id: string; name: string; at: Date }): Promise<Tenant>;
  /** Throws `TENANT_NOT_FOUND` (no such parent) or `TENANT_PATH_TAKEN`. */
  create(tenant: NewTenant): Promise<Tenant>;
  /** Null when there is no such tenant. */
  update(id: string, patch: TenantPatch): Promise<Tenant | null>;
  /** Direct children, by path. */
  children(id: string): Promise<Tenant[]>;
  /** The whole subtree below `id` (not `id` itself), by path. */
  descendants(id: string): Promise<Tenant[]>;

  /** A user's memberships, oldest first (the first is their home tenant). */
  membershipsOf(userId: string): Promise<Membership[]>;
  membersOf(tenantId: string): Promise<Membership[]>;
  /** Adds the membership if the user has none in that tenant; returns what is stored (role unchanged). */
  ensureMembership(membership: NewMembership): Promise<Membership>;
  /** Adds the membership or changes its role. */
  setMembership(membership: NewMembership): Promise<Membership>;
  /** False when there was no such membership. */
  removeMembership(userId: string, tenantId: string): Promise<boolean>;
}
