import type { SessionEvent } from '@volundr/contracts/session-events';

/**
 * A place in the event log: `(txId, eventId)`, both decimal strings. The log is read in that
 * order so a reader never passes an event whose transaction commits late (docs/database.md).
 */
export interface OutboxPosition {
  txId: string;
  eventId: string;
}

export interface OutboxEvent {
  position: OutboxPosition;
  event: SessionEvent;
}

export interface OutboxBatch {
  events: OutboxEvent[];
  heldBack: boolean;
}

/** Where a sink starts the first time it is seen: after everything already logged, or at the beginning. */
export type StartFrom = 'latest' | 'earliest';

export interface SinkCursor {
  sink: string;
  position: OutboxPosition;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  deliveredAt: Date | null;
  failures: number;
  lastError: string | null;
  lastErrorAt: Date | null;
}

export interface SinkLag {
  /** Events after the cursor, counted up to `cap`. */
  events: number;
  capped: boolean;
  /** When the oldest event after the cursor was appended (null: none waits). */
  oldestAt: Date | null;
}

/**
 * The outbox side of the event log (`session_events` + `outbox_cursors`): one cursor and one
 * lease per sink. Leases are timed by the database's clock, so replicas' clocks do not matter.
 */
export interface Outbox {
  /**
   * Takes the sink's lease for `owner` (or renews it) and returns its cursor, creating it at
   * `startFrom` the first time; null while another owner holds an unexpired lease.
   */
  lease(sink: string, owner: string, leaseMs: number, startFrom: StartFrom): Promise<OutboxPosition | null>;
  /**
   * Up to `limit` events after `after`, committed and safe to pass (the tx_id rule), in order;
   * `heldBack` when committed events after them wait for an older transaction to end.
   */
  read(after: OutboxPosition, limit: number): Promise<OutboxBatch>;
  /**
   * Moves the cursor forward to `to` and renews the lease, only while `owner` holds it; false
   * when the lease was lost (another replica took the sink over: stop delivering).
   */
  advance(sink: string, owner: string, to: OutboxPosition, leaseMs: number): Promise<boolean>;
  /** Records a failed delivery (count and message) while `owner` holds the lease. */
  recordFailure(sink: string, owner: string, message: string): Promise<void>;
  /** Gives the lease up (no-op when `owner` does not hold it). */
  release(sink: string, owner: string): Promise<void>;
  /** Every sink's cursor, lease and last failure. */
  cursors(): Promise<SinkCursor[]>;
  /** How far the sink is behind the log. */
  lag(sink: string, cap: number): Promise<SinkLag>;
  /** Calls `listener` when events may have been appended (any replica); returns the unsubscribe. */
  onAppended(listener: () => void): Promise<() => Promise<void>>;
}
