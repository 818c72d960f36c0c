import { z } from 'zod';
import { ZRole } from './principal';

/**
 * Users, tenants, memberships and personal access tokens, as the API and the domain see them.
 * Timestamps are ISO 8601 strings in UTC.
 */

const ZTimestamp = z.iso.datetime();

export const ZUserStatus = z.enum(['provisioning', 'active', 'suspended', 'failed']);
export type UserStatus = z.infer<typeof ZUserStatus>;

/** A person known to Volundr; `id` is the IdP subject. Created on the first request (JIT). */
export const ZUser = z.strictObject({
  id: z.string().min(1).max(255),
  email: z.string().max(320).nullable(),
  displayName: z.string().max(255).nullable(),
  status: ZUserStatus,
  /** The user's home volume (follows them across sessions); set once provisioned. */
  homeVolume: z.string().nullable(),
  /** Why provisioning failed (status `failed`), written for a person. */
  provisionError: z.string().nullable(),
  provisionedAt: ZTimestamp.nullable(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type User = z.infer<typeof ZUser>;

export const ZTenantTier = z.enum(['developer', 'team', 'enterprise']);
export type TenantTier = z.infer<typeof ZTenantTier>;

/** One segment of a tenant path, chosen when a tenant is created under a parent. */
export const ZTenantSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and "-", starting with a letter or digit, ≤ 63');

/** Materialized path: the slugs from the root, each followed by "/", e.g. `/acme/team-a/`. */
export const ZTenantPath = z
  .string()
  .max(2000)
  .regex(/^(\/[^/]+)+\/$/, 'a tenant path looks like /acme/team-a/');

export const ZTenant = z.strictObject({
  id: z.string().min(1).max(255),
  path: ZTenantPath,
  name: z.string().min(1).max(255),
  parentId: z.string().nullable(),
  tier: ZTenantTier,
  maxRunningSessions: z.int().nonnegative(),
  maxStorageGb: z.int().nonnegative(),
  createdAt: ZTimestamp,
});
export type Tenant = z.infer<typeof ZTenant>;

export const ZCreateTenantInput = z.strictObject({
  slug: ZTenantSlug,
  name: z.string().trim().min(1).max(255),
  /** The parent tenant's id; null creates a root tenant. */
  parentId: z.string().min(1).max(255).nullable(),
  tier: ZTenantTier.default('developer'),
  maxRunningSessions: z.int().min(0).max(10_000).default(5),
  maxStorageGb: z.int().min(0).max(1_000_000).default(50),
});
export type CreateTenantInput = z.infer<typeof ZCreateTenantInput>;

export const ZMembership = z.strictObject({
  userId: z.string(),
  tenantId: z.string(),
  role: ZRole,
  grantedAt: ZTimestamp,
});
export type Membership = z.infer<typeof ZMembership>;

/** A personal access token as listed: never the token itself, nor its hash. */
export const ZPersonalAccessToken = z.strictObject({
  id: z.string(),
  ownerId: z.string(),
  name: z.string(),
  /** The first characters of the token, so a person can tell their tokens apart. */
  tokenPrefix: z.string(),
  /** Set for a token that only acts for one session (its broker's). */
  sessionId: z.string().nullable(),
  expiresAt: ZTimestamp.nullable(),
  lastUsedAt: ZTimestamp.nullable(),
  revokedAt: ZTimestamp.nullable(),
  createdAt: ZTimestamp,
});
export type PersonalAccessToken = z.infer<typeof ZPersonalAccessToken>;

export const PERSONAL_ACCESS_TOKEN_PREFIX = 'vpat_';

/** The token a client presents: `vpat_` and at least 32 base62 characters. */
export const ZPersonalAccessTokenValue = z
  .string()
  .regex(/^vpat_[0-9A-Za-z]{32,128}$/, 'a personal access token looks like vpat_ followed by base62 characters');

export const ZPersonalAccessTokenName = z
  .string()
  .min(1, 'a token name is required')
  .max(100, 'at most 100 characters')
  .refine((name) => name.trim() === name, 'no leading or trailing spaces');

export const ZCreatePersonalAccessTokenInput = z.strictObject({
  name: ZPersonalAccessTokenName,
  /** Days until the token expires (default 90, at most 365). */
  expiresInDays: z.int().min(1).max(365).default(90),
});
export type CreatePersonalAccessTokenInput = z.input<typeof ZCreatePersonalAccessTokenInput>;

/** The answer to a create: the token is in it this once and never again. */
export const ZCreatedPersonalAccessToken = z.strictObject({
  token: ZPersonalAccessTokenValue,
  personalAccessToken: ZPersonalAccessToken,
});
export type CreatedPersonalAccessToken = z.infer<typeof ZCreatedPersonalAccessToken>;

export const ZPersonalAccessTokenIdInput = z.strictObject({ id: z.string().min(1).max(255) });

// ── Administration: tenants, members, users (tenant administrators) ──────────────────────────

const ZId = z.string().min(1).max(255);

export const ZTenantIdInput = z.strictObject({ id: ZId });
export type TenantIdInput = z.infer<typeof ZTenantIdInput>;

/** The administered tenants: the caller's tenant and every tenant below it, by path. */
export const ZTenantList = z.array(ZTenant);
export type TenantList = z.infer<typeof ZTenantList>;

/** Changes a tenant; fields left out stay. The path (and so the slug and parent) never changes. */
export const ZUpdateTenantInput = z
  .strictObject({
    id: ZId,
    name: z.string().trim().min(1).max(255).optional(),
    tier: ZTenantTier.optional(),
    maxRunningSessions: z.int().min(0).max(10_000).optional(),
    maxStorageGb: z.int().min(0).max(1_000_000).optional(),
  })
  .refine((input) => Object.keys(input).length > 1, { message: 'name at least one field to change', path: [] });
export type UpdateTenantInput = z.infer<typeof ZUpdateTenantInput>;

export const ZDeleteTenantOutput = z.strictObject({ id: z.string(), deleted: z.literal(true) });
export type DeleteTenantOutput = z.infer<typeof ZDeleteTenantOutput>;

/** A member of a tenant as an administrator sees them: the membership and who it is. */
export const ZTenantMember = z.strictObject({
  userId: z.string(),
  tenantId: z.string(),
  role: ZRole,
  grantedAt: ZTimestamp,
  email: z.string().nullable(),
  displayName: z.string().nullable(),
  status: ZUserStatus,
});
export type TenantMember = z.infer<typeof ZTenantMember>;

export const ZTenantMemberList = z.array(ZTenantMember);

export const ZTenantMembersInput = z.strictObject({ tenantId: ZId });

export const ZAddTenantMemberInput = z.strictObject({ tenantId: ZId, userId: ZId, role: ZRole });
export type AddTenantMemberInput = z.infer<typeof ZAddTenantMemberInput>;

export const ZSetTenantMemberRoleInput = z.strictObject({ tenantId: ZId, userId: ZId, role: ZRole });
export type SetTenantMemberRoleInput = z.infer<typeof ZSetTenantMemberRoleInput>;

export const ZRemoveTenantMemberInput = z.strictObject({ tenantId: ZId, userId: ZId });
export type RemoveTenantMemberInput = z.infer<typeof ZRemoveTenantMemberInput>;

export const ZRemoveTenantMemberOutput = z.strictObject({
  tenantId: z.string(),
  userId: z.string(),
  removed: z.literal(true),
});

/** What re-provisioning a tenant's members did, member by member. */
export const ZTenantReprovisionResult = z.strictObject({
  tenantId: z.string(),
  /** Members whose membership and home volume are in place (and who are `active`). */
  provisioned: z.array(z.string()),
  /** Members left alone: suspended, or being provisioned by a request right now. */
  skipped: z.array(z.strictObject({ userId: z.string(), status: ZUserStatus })),
  /** Members whose provisioning failed again; they stay `failed` with this reason. */
  failed: z.array(z.strictObject({ userId: z.string(), reason: z.string() })),
});
export type TenantReprovisionResult = z.infer<typeof ZTenantReprovisionResult>;

/**
 * A user as an administrator sees them: the record (status, home volume, why provisioning
 * failed) and their memberships in the tenants the administrator administers (no others).
 */
export const ZAdministeredUser = z.strictObject({
  user: ZUser,
  memberships: z.array(ZMembership),
});
export type AdministeredUser = z.infer<typeof ZAdministeredUser>;

export const ZListUsersInput = z.strictObject({
  /** Members of this tenant (default: the caller's tenant); it must be one the caller administers. */
  tenantId: ZId.optional(),
  status: ZUserStatus.optional(),
  /** `nextCursor` of the previous page (users are ordered by id). */
  cursor: ZId.optional(),
  limit: z.int().min(1).max(200).default(50),
});
export type ListUsersInput = z.infer<typeof ZListUsersInput>;

export const ZUserPage = z.strictObject({
  items: z.array(ZAdministeredUser),
  nextCursor: z.string().nullable(),
});
export type UserPage = z.infer<typeof ZUserPage>;

export const ZUserIdInput = z.strictObject({ id: ZId });
export type UserIdInput = z.infer<typeof ZUserIdInput>;
