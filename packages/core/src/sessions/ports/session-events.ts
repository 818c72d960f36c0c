import type { SessionEvent, SessionEventBody } from '@volundr/contracts/session-events';

/** An event to append; the store assigns the id. */
export type NewSessionEvent = SessionEventBody & {
  sessionId: string;
  tenantId: string;
  ownerId: string;
  createdAt: Date;
};

export interface SessionEventFilter {
  tenantId: string;
  /** Only events of sessions owned by this user (list scope `own`). */
  ownerId?: string;
  sessionId?: string;
}

/**
 * The session event log (`session_events`) and its live feed. Ids increase in append order;
 * every API replica sees every event (PostgreSQL LISTEN/NOTIFY in production).
 */
export interface SessionEvents {
  /** Appends the event and returns its id (a decimal string). */
  append(event: NewSessionEvent): Promise<string>;
  /**
   * Events matching the filter with id > `afterId` (all stored ones first, then live ones as
   * they are appended), in id order, until `signal` aborts or the consumer stops iterating.
   * A slow consumer must not block appends or other consumers and must not lose events.
   */
  subscribe(filter: SessionEventFilter, afterId: string | undefined, signal?: AbortSignal): AsyncIterable<SessionEvent>;
}
