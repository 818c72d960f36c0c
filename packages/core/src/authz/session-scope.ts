import type { Action, Authorization, Resource } from './ports/authorization';

/** What a session-scoped credential (a session broker's report token) may do — on its own session only. */
export const SESSION_SCOPED_ACTIONS: ReadonlySet<Action> = new Set([
  'read',
  'report_usage',
  'report_activity',
  'report_timeline',
  'report_chronicle',
]);

/**
 * Wraps any Authorization adapter so a principal carrying `sessionScope` is confined to that
 * session and to reporting, whatever its roles; everyone else is decided by the inner adapter.
 */
export function withSessionScope(inner: Authorization): Authorization {
  return {
    async check(principal, action, resource: Resource) {
      const scope = principal.sessionScope;
      if (!scope) return inner.check(principal, action, resource);
      if (resource.kind !== 'session' || resource.id !== scope) {
        return { allowed: false, reason: `credential is limited to session ${scope}` };
      }
      if (!SESSION_SCOPED_ACTIONS.has(action)) {
        return { allowed: false, reason: `a session-scoped credential may not ${action}` };
      }
      return inner.check(principal, action, resource);
    },
    async listScope(principal, kind, tenantId) {
      if (principal.sessionScope) return 'none';
      return inner.listScope(principal, kind, tenantId);
    },
  };
}
