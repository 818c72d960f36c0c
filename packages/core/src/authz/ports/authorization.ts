import type { Principal } from '@volundr/contracts/principal';

export type ResourceKind =
  | 'session'
  | 'chronicle'
  | 'preset'
  | 'tenant'
  | 'user'
  | 'personal_access_token'
  | 'credential'
  | 'audit';

export type Action =
  | 'create'
  | 'read'
  | 'list'
  | 'update'
  | 'delete'
  | 'start'
  | 'stop'
  | 'archive'
  | 'restore'
  | 'chat'
  | 'report_usage'
  | 'report_activity'
  | 'report_timeline'
  | 'report_chronicle'
  | 'reforge'
  | 'admin';

export interface Resource {
  kind: ResourceKind;
  /** Absent for collection-level checks (create, list). */
  id?: string;
  ownerId?: string;
  tenantId: string;
  attributes?: Record<string, unknown>;
}

export interface Decision {
  allowed: boolean;
  /** Why, for logs and audit — never shown to another tenant. */
  reason?: string;
}

/** May this principal do this action on this resource? Asked by every use case. */
export interface Authorization {
  check(principal: Principal, action: Action, resource: Resource): Promise<Decision>;
  /**
   * How a list query must be narrowed for this principal, so lists are filtered in the
   * query, not after: `all` within the tenant, only `own` resources, or `none`.
   */
  listScope(principal: Principal, kind: ResourceKind, tenantId: string): Promise<'all' | 'own' | 'none'>;
}
