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
  /** Who granted it, for the audit log (default `system`: provisioning). */
  actorId?: string;
}

/** Who changes a membership or a tenant, and when, for the audit log. */
export interface MembershipChangeBy {
  actorId: string;
  at: Date;
}

/** A role change: the membership before and after. */
export interface RoleChange {
  before: Membership;
  after: Membership;
}

/** Why a tenant could not be deleted: what it still holds. */
export interface TenantContents {
  members: number;
  sessions: number;
  /** Chronicles and workspaces outlive their sessions and keep the tenant too. */
  chronicles: number;
  workspaces: number;
  /** Sub-tenants. */
  children: number;
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
  /**
   * Throws `TENANT_NOT_FOUND` (no such parent) or `TENANT_PATH_TAKEN`. `by` names who created
   * it, for the audit log.
   */
  create(tenant: NewTenant, by?: MembershipChangeBy): Promise<Tenant>;
  /** Null when there is no such tenant. `by` names who changed it, for the audit log. */
  update(id: string, patch: TenantPatch, by?: MembershipChangeBy): Promise<Tenant | null>;
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
  /** False when there was no such membership. `by` names who removed it, for the audit log. */
  removeMembership(userId: string, tenantId: string, by?: MembershipChangeBy): Promise<boolean>;

  /** The memberships of these users, in one query (oldest first per user). */
  membershipsOfUsers(userIds: readonly string[]): Promise<Membership[]>;
  /** Adds a membership; throws `MEMBERSHIP_EXISTS` when the user is already a member. */
  addMember(membership: NewMembership & { actorId: string }): Promise<Membership>;
  /**
   * Changes a member's role, keeping the tenant administered: throws `TENANT_LAST_ADMIN` when it
   * would demote the tenant's last `volundr:admin`. Serialized per tenant, so two concurrent
   * demotions cannot both pass the check. Null when the user is not a member.
   */
  changeRole(membership: NewMembership & { actorId: string }): Promise<RoleChange | null>;
  /**
   * Removes a member, keeping the tenant administered: `TENANT_LAST_ADMIN` for its last admin
   * while other members remain (the last member may go, leaving an empty tenant). Serialized per
   * tenant like `changeRole`. The removed membership, or null when there was none.
   */
  removeMember(userId: string, tenantId: string, by: MembershipChangeBy): Promise<Membership | null>;
  /**
   * Deletes a tenant that holds nothing (no members, no sessions, no sub-tenants): `deleted`, or
   * what it still holds; null when there is no such tenant.
   */
  deleteIfEmpty(
    id: string,
    by?: MembershipChangeBy,
  ): Promise<{ deleted: true } | { deleted: false; contents: TenantContents } | null>;
}
