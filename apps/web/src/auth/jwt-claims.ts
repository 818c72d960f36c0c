import { ZRole } from '@volundr/contracts/principal';
import { z } from 'zod';

const ZClaims = z.object({
  sub: z.string().optional(),
  roles: z.array(z.string()).optional(),
  tenant: z.string().optional(),
  exp: z.number().optional(),
});

export interface AccessClaims {
  sub: string | null;
  /** Volundr roles only; anything else an IdP puts in `roles` is ignored for display. */
  roles: z.infer<typeof ZRole>[];
  tenant: string | null;
}

/**
 * Reads the claims the UI shows (roles decide whether admin pages appear) from an access
 * token. Display only: the API checks the token and every permission itself.
 */
export function accessClaims(token: string): AccessClaims {
  const empty: AccessClaims = { sub: null, roles: [], tenant: null };
  const payload = token.split('.')[1];
  if (!payload) return empty;
  let json: unknown;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return empty;
  }
  const parsed = ZClaims.safeParse(json);
  if (!parsed.success) return empty;
  return {
    sub: parsed.data.sub ?? null,
    roles: (parsed.data.roles ?? []).flatMap((r) => {
      const role = ZRole.safeParse(r);
      return role.success ? [role.data] : [];
    }),
    tenant: parsed.data.tenant ?? null,
  };
}
