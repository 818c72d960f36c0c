import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { Authorization } from '@volundr/core/authz/ports/authorization';
import { DomainError } from '@volundr/core/errors';
import { z } from 'zod';

/**
 * `mode` is the runtime mode, set by the composition root from the top-level `mode` (never
 * trusted from the adapter block itself), so a production config cannot opt in by accident.
 */
export const ZAllowAllOptions = z.object({ mode: z.enum(['local', 'production']) }).strict();
export type AllowAllOptions = z.infer<typeof ZAllowAllOptions>;

export function createAllowAllAuthorization(options: AllowAllOptions): Authorization {
  if (options.mode !== 'local') {
    throw new DomainError(
      'CONFIG_INVALID',
      `The allow-all authorization adapter is for local development only and refuses to start in ` +
        `'${options.mode}' mode: it lets every user do everything, including to other tenants. ` +
        `Use "@volundr/adapter-authz/builtin-roles#builtinRoles", Cerbos or OPA instead.`,
      { adapter: 'allow-all', mode: options.mode },
    );
  }
  return {
    check: async () => ({ allowed: true, reason: 'allow-all adapter (local development only)' }),
    listScope: async () => 'all',
  };
}

export const allowAll = defineAdapter({
  port: 'authorization',
  options: ZAllowAllOptions,
  create: (options): Authorization => createAllowAllAuthorization(options),
});
