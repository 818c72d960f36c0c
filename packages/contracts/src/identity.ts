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
