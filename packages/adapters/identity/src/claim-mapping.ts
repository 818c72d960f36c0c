import { type Principal, ZPrincipal } from '@volundr/contracts/principal';
import { DomainError } from '@volundr/core/errors';
import { z } from 'zod';
import { mapRoles, type RoleMap } from './role-mapping';

/** A dotted claim path (`realm_access.roles`), or several tried in order (first present wins). */
const ZClaimPaths = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((value) => (typeof value === 'string' ? [value] : value));

export const ZClaimPreset = z.enum(['generic', 'keycloak', 'entra', 'okta']);
export type ClaimPreset = z.infer<typeof ZClaimPreset>;

/** Which claims hold the principal's fields: a preset plus per-field overrides. */
export const ZClaimMappingOptions = z.strictObject({
  preset: ZClaimPreset.default('generic'),
  userId: ZClaimPaths.optional(),
  email: ZClaimPaths.optional(),
  name: ZClaimPaths.optional(),
  tenant: ZClaimPaths.optional(),
  roles: ZClaimPaths.optional(),
});
export type ClaimMappingOptions = z.input<typeof ZClaimMappingOptions>;

export interface ClaimMapping {
  userId: string[];
  email: string[];
  name: string[];
  tenant: string[];
  roles: string[];
}

/**
 * Where each IdP puts things in its access tokens:
 * - Keycloak: realm roles under `realm_access.roles`; no tenant claim (add a mapper and override `tenant`).
 * - Entra ID: app roles in `roles`, directory tenant in `tid`; `email` is optional, UPN in `preferred_username`.
 * - Okta: `groups` (needs a groups claim on the authorization server).
 */
export const claimPresets: Record<ClaimPreset, ClaimMapping> = {
  generic: {
    userId: ['sub'],
    email: ['email'],
    name: ['name', 'preferred_username'],
    tenant: ['tenant'],
    roles: ['roles'],
  },
  keycloak: {
    userId: ['sub'],
    email: ['email'],
    name: ['name', 'preferred_username'],
    tenant: ['tenant'],
    roles: ['realm_access.roles'],
  },
  entra: {
    userId: ['sub'],
    email: ['email', 'preferred_username', 'upn'],
    name: ['name'],
    tenant: ['tid'],
    roles: ['roles'],
  },
  okta: {
    userId: ['sub'],
    email: ['email'],
    name: ['name', 'preferred_username'],
    tenant: ['tenant'],
    roles: ['groups'],
  },
};

export function resolveClaimMapping(options: z.output<typeof ZClaimMappingOptions>): ClaimMapping {
  const preset = claimPresets[options.preset];
  return {
    userId: options.userId ?? preset.userId,
    email: options.email ?? preset.email,
    name: options.name ?? preset.name,
    tenant: options.tenant ?? preset.tenant,
    roles: options.roles ?? preset.roles,
  };
}

function readPath(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, segment)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function firstString(claims: Record<string, unknown>, paths: readonly string[]): string | null {
  for (const path of paths) {
    const value = readPath(claims, path);
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return null;
}

/** Roles may be a JSON array of strings or a space/comma separated string (some IdPs flatten them). */
function roleNames(claims: Record<string, unknown>, paths: readonly string[]): string[] {
  for (const path of paths) {
    const value = readPath(claims, path);
    if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
    if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  }
  return [];
}

export interface MapClaimsConfig {
  mapping: ClaimMapping;
  roleMap: RoleMap;
  defaultTenant: string;
}

/** Turns verified token claims into a Principal; never echoes claim values in errors. */
export function mapClaims(claims: Record<string, unknown>, config: MapClaimsConfig): Principal {
  const userId = firstString(claims, config.mapping.userId);
  if (!userId) {
    throw new DomainError('UNAUTHENTICATED', `token has no user id claim (${config.mapping.userId.join(', ')})`);
  }
  const candidate = {
    userId,
    email: firstString(claims, config.mapping.email),
    name: firstString(claims, config.mapping.name),
    tenantId: firstString(claims, config.mapping.tenant) ?? config.defaultTenant,
    roles: mapRoles(roleNames(claims, config.mapping.roles), config.roleMap),
  };
  const parsed = ZPrincipal.safeParse(candidate);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))].join(', ');
    throw new DomainError('UNAUTHENTICATED', `token claims are not acceptable (${fields})`);
  }
  return parsed.data;
}
