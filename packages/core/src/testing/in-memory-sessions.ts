import { DomainError } from '../errors';
import { expiryReason } from '../sessions/idle-policy';
import type {
  ChangeEvents,
  ExpiryQuery,
  SessionListPage,
  SessionListQuery,
  Sessions,
} from '../sessions/ports/sessions';
import { decodeSessionCursor, encodeSessionCursor } from '../sessions/session-cursor';
import {
  QUOTA_STATES,
  type SessionActivity,
  type SessionPatch,
  type SessionRecord,
  WORK_STATES,
} from '../sessions/session-record';
import type { Clock } from '../shared/ports/clock';
import type { InMemorySessionEvents } from './in-memory-session-events';

/**
 * Test double of the Sessions repository: version checks and leases as the port describes, and
 * a write's events appended to `events` together with the change (both or neither).
 */
export class InMemorySessions implements Sessions {
  readonly rows = new Map<string, SessionRecord>();
  /** Makes the next `update` throw this error (a crash or a database failure mid-step). */
  failNextUpdate: Error | null = null;

  constructor(
    private readonly clock: Clock,
    /** The log the writes' events go to (the world's, so its subscribers see them). */
    readonly events: InMemorySessionEvents,
  ) {}

  /** Applies `change` and appends its events in one step: nothing can fail in between. */
  private commit(
    session: Pick<SessionRecord, 'id' | 'tenantId' | 'ownerId'>,
    at: Date,
    events: ChangeEvents,
    change: () => void,
  ) {
    if (events.length > 0) this.events.refuseIfFailing();
    change();
    for (const body of events)
      this.events.push({
        ...body,
        sessionId: session.id,
        tenantId: session.tenantId,
        ownerId: session.ownerId,
        createdAt: at,
      });
  }

  async byId(id: string) {
    const row = this.rows.get(id);
    return row ? structuredClone(row) : null;
  }

  async insert(session: SessionRecord, events: ChangeEvents = []) {
    if (this.rows.has(session.id)) throw new DomainError('INTERNAL', `duplicate session id ${session.id}`);
    this.checkName(session);
    this.commit(session, session.createdAt, events, () => this.rows.set(session.id, structuredClone(session)));
  }

  private current(id: string, expectedVersion: number) {
    const row = this.rows.get(id);
    if (!row) throw new DomainError('SESSION_NOT_FOUND', `No session ${id}`);
    if (row.version !== expectedVersion)
      throw new DomainError(
        'CONCURRENT_MODIFICATION',
        `Session ${id} changed (version ${row.version}, expected ${expectedVersion})`,
      );
    return row;
  }

  async update(id: string, expectedVersion: number, patch: SessionPatch, events: ChangeEvents = []) {
    if (this.failNextUpdate) {
      const error = this.failNextUpdate;
      this.failNextUpdate = null;
      throw error;
    }
    const row = this.current(id, expectedVersion);
    const next = { ...row, ...structuredClone(patch), version: row.version + 1 };
    if (patch.state !== undefined && !WORK_STATES.includes(patch.state)) {
      next.leaseOwner = null;
      next.leaseExpiresAt = null;
    }
    this.checkName(next);
    this.commit(next, patch.updatedAt, events, () => this.rows.set(id, next));
    return structuredClone(next);
  }

  /** The unique index (owner_id, name) WHERE state <> 'archived'. */
  private checkName(s: SessionRecord) {
    if (s.state === 'archived') return;
    for (const other of this.rows.values()) {
      if (other.id !== s.id && other.ownerId === s.ownerId && other.name === s.name && other.state !== 'archived')
        throw new DomainError('SESSION_NAME_TAKEN', `name: you already have a session named "${s.name}"`);
    }
  }

  async delete(id: string, expectedVersion: number, events?: { at: Date; events: ChangeEvents }) {
    const row = this.current(id, expectedVersion);
    this.commit(row, events?.at ?? this.clock.now(), events?.events ?? [], () => this.rows.delete(id));
  }

  async list(query: SessionListQuery): Promise<SessionListPage> {
    const after = query.cursor ? decodeSessionCursor(query.cursor) : null;
    const wantsArchived = query.states ? query.states.includes('archived') : query.includeArchived;
    const rows = [...this.rows.values()]
      .filter(
        (s) =>
          s.tenantId === query.tenantId &&
          (query.ownerId === undefined || s.ownerId === query.ownerId) &&
          (query.states === undefined || query.states.includes(s.state)) &&
          (wantsArchived || s.state !== 'archived'),
      )
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .filter(
        (s) =>
          !after ||
          s.createdAt.getTime() < after.createdAt.getTime() ||
          (s.createdAt.getTime() === after.createdAt.getTime() && s.id < after.id),
      );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((s) => structuredClone(s)),
      nextCursor: rows.length > query.limit && last ? encodeSessionCursor(last) : null,
    };
  }

  async countRunningForTenant(tenantId: string) {
    return [...this.rows.values()].filter((s) => s.tenantId === tenantId && QUOTA_STATES.includes(s.state)).length;
  }

  async claimWork(owner: string, leaseMs: number, limit: number) {
    const now = this.clock.now();
    const free = [...this.rows.values()]
      .filter(
        (s) =>
          WORK_STATES.includes(s.state) &&
          (s.leaseOwner === null || s.leaseOwner === owner || (s.leaseExpiresAt !== null && s.leaseExpiresAt <= now)),
      )
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
      .slice(0, limit);
    for (const s of free) {
      s.leaseOwner = owner;
      s.leaseExpiresAt = new Date(now.getTime() + leaseMs);
    }
    return free.map((s) => structuredClone(s));
  }

  async renewLease(id: string, owner: string, leaseMs: number) {
    const row = this.rows.get(id);
    if (!row || row.leaseOwner !== owner) return false;
    row.leaseExpiresAt = new Date(this.clock.now().getTime() + leaseMs);
    return true;
  }

  async releaseLease(id: string, owner: string) {
    const row = this.rows.get(id);
    if (row?.leaseOwner === owner) {
      row.leaseOwner = null;
      row.leaseExpiresAt = null;
    }
  }

  async findExpired(query: ExpiryQuery) {
    return [...this.rows.values()]
      .filter((s) => expiryReason(s, query.now, { maxLifetimeMs: query.maxLifetimeMs }) !== null)
      .slice(0, query.limit)
      .map((s) => structuredClone(s));
  }

  async recordActivity(id: string, activity: SessionActivity, events: ChangeEvents = []) {
    const row = this.rows.get(id);
    if (!row) throw new DomainError('SESSION_NOT_FOUND', `No session ${id}`);
    this.commit(row, activity.at, events, () => {
      row.activityState = activity.state;
      row.activityMetadata = structuredClone(activity.metadata);
      row.lastActivityAt = activity.at;
    });
  }
}
