import type { AuditAction, AuditEntry } from '@volundr/contracts/events';

export interface NewAuditEntry {
  tenantId: string;
  /** A user id, or `system`. */
  actorId: string;
  action: AuditAction;
  resource: { kind: string; id: string | null; ownerId: string | null };
  reason: string | null;
  data: Record<string, unknown>;
  at: Date;
}

export interface AuditQuery {
  tenantId: string;
  action?: AuditAction;
  actorId?: string;
  resourceOwnerId?: string;
  resourceId?: string;
  since?: Date;
  until?: Date;
  /** Entries with an id below this one (the previous page's last). */
  beforeId?: string;
  limit: number;
}

/** The audit log (`audit_log`): append-only, newest first when listed. */
export interface AuditLog {
  record(entry: NewAuditEntry): Promise<void>;
  list(query: AuditQuery): Promise<AuditEntry[]>;
}
