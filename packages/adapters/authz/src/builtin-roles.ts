import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { Authorization } from '@volundr/core/authz/ports/authorization';
import { z } from 'zod';
import { listScopeFrom, listScopeProbes } from './list-scope';
import { evaluateRules } from './role-rules';

/** The built-in adapter has no settings: its rules are the table in role-rules.ts. */
export const ZBuiltinRolesOptions = z.object({}).strict();
export type BuiltinRolesOptions = z.infer<typeof ZBuiltinRolesOptions>;

/** Decides in-process from the role table; the default in every mode. */
export function createBuiltinRolesAuthorization(_options: BuiltinRolesOptions = {}): Authorization {
  return {
    check: async (principal, action, resource) => evaluateRules(principal, action, resource),
    listScope: async (principal, kind, tenantId) => {
      const { others, own } = listScopeProbes(principal, kind, tenantId);
      return listScopeFrom(
        evaluateRules(principal, 'list', others).allowed,
        evaluateRules(principal, 'list', own).allowed,
      );
    },
  };
}

export const builtinRoles = defineAdapter({
  port: 'authorization',
  options: ZBuiltinRolesOptions,
  create: (options): Authorization => createBuiltinRolesAuthorization(options),
});
