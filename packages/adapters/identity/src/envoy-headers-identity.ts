import { BlockList, isIP } from 'node:net';
import { ZPrincipal } from '@volundr/contracts/principal';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import { DomainError } from '@volundr/core/errors';
import type { Credentials, Identity } from '@volundr/core/identity/ports/identity';
import { z } from 'zod';
import { mapRoles, ZRoleMap } from './role-mapping';

/** An IP address or CIDR block, IPv4 or IPv6. */
const ZAddressOrCidr = z.string().refine((value) => {
  const [address = '', prefix, extra] = value.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}, 'expected an IP address or CIDR block such as 10.0.0.0/8 or fd00::/8');

export const ZEnvoyHeadersIdentityOptions = z.strictObject({
  /** Peers allowed to assert identity headers: the proxy's addresses, never the whole network. */
  trustedProxies: z.array(ZAddressOrCidr).min(1),
  roleMap: ZRoleMap.default({}),
  defaultTenant: z.string().min(1).max(255).default('default'),
});
export type EnvoyHeadersIdentityOptions = z.input<typeof ZEnvoyHeadersIdentityOptions>;

export const ENVOY_HEADERS = {
  userId: 'x-auth-user-id',
  email: 'x-auth-email',
  tenant: 'x-auth-tenant',
  roles: 'x-auth-roles',
} as const;

const ZRoleNames = z.array(z.string().max(255)).max(256);

/** `x-auth-roles` is either a base64 JSON array (what Envoy's jwt_authn forwards) or a CSV list. */
export function parseRolesHeader(value: string | undefined): string[] {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return [];
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed, 'base64').toString('utf8').trim();
    if (decoded.startsWith('[')) {
      let json: unknown;
      try {
        json = JSON.parse(decoded);
      } catch {
        throw new DomainError(
          'UNAUTHENTICATED',
          `${ENVOY_HEADERS.roles} is neither a base64 JSON array nor a CSV list`,
        );
      }
      const parsed = ZRoleNames.safeParse(json);
      if (!parsed.success) {
        throw new DomainError('UNAUTHENTICATED', `${ENVOY_HEADERS.roles} must be a JSON array of role names`);
      }
      return parsed.data;
    }
  }
  return trimmed
    .split(',')
    .map((role) => role.trim())
    .filter(Boolean);
}

/** Node reports IPv4 peers on dual-stack sockets as `::ffff:a.b.c.d`. */
function normalizeAddress(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const unmapped = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  const family = isIP(unmapped);
  if (family === 4) return { address: unmapped, family: 'ipv4' };
  const raw = isIP(address);
  return raw === 6 ? { address, family: 'ipv6' } : null;
}

function buildBlockList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

/**
 * Trusts identity headers set by a proxy that already validated the user's JWT (Envoy's
 * jwt_authn + header mutation), but only when the request's peer is one of the configured
 * proxies: from any other address the headers are ignored and the request is anonymous.
 */
export function createEnvoyHeadersIdentity(input: EnvoyHeadersIdentityOptions): Identity {
  const options = ZEnvoyHeadersIdentityOptions.parse(input);
  const trusted = buildBlockList(options.trustedProxies);
  const fromTrustedProxy = (remoteAddress: string | undefined) => {
    const peer = remoteAddress ? normalizeAddress(remoteAddress) : null;
    return peer !== null && trusted.check(peer.address, peer.family);
  };

  return {
    async authenticate(credentials: Credentials) {
      if (!fromTrustedProxy(credentials.remoteAddress)) return null;
      const header = (name: string) => credentials.headers[name]?.trim() || undefined;
      const userId = header(ENVOY_HEADERS.userId);
      if (!userId) return null;
      const parsed = ZPrincipal.safeParse({
        userId,
        email: header(ENVOY_HEADERS.email) ?? null,
        name: null,
        tenantId: header(ENVOY_HEADERS.tenant) ?? options.defaultTenant,
        roles: mapRoles(parseRolesHeader(header(ENVOY_HEADERS.roles)), options.roleMap),
      });
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))].join(', ');
        throw new DomainError('UNAUTHENTICATED', `identity headers from the proxy are not acceptable (${fields})`);
      }
      return parsed.data;
    },
  };
}

/** `{ use: "@volundr/adapter-identity/envoy-headers-identity#envoyHeadersIdentity", trustedProxies: [...] }` */
export const envoyHeadersIdentity = defineAdapter({
  port: 'identity',
  options: ZEnvoyHeadersIdentityOptions,
  create: (options): Identity => createEnvoyHeadersIdentity(options),
});
