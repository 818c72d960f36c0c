import type { SessionEvent } from '@volundr/contracts/session-events';

/**
 * Somewhere domain events go besides PostgreSQL (a message bus, a tracing backend, this
 * process's metrics). The outbox dispatcher hands each sink the events after its cursor, in
 * order, and moves the cursor only when `deliver` resolved: so a sink gets every event at least
 * once, and the same event again (same `id`) after a failure or a takeover by another replica.
 */
export interface EventSink {
  /**
   * Resolves once every event is durably accepted (a bus confirmed it); rejects otherwise, and
   * the same events (and maybe some before them) come again later. Must not hang: a sink whose
   * backend does not answer rejects within its own timeout.
   */
  deliver(events: readonly SessionEvent[]): Promise<void>;
  /** Lets go of connections; `deliver` is not called afterwards. */
  close(): Promise<void>;
}

/** A sink with the name its cursor is kept under. */
export interface NamedSink {
  name: string;
  sink: EventSink;
}
