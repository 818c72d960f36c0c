import type { SessionEvent } from '@volundr/contracts/session-events';
import type { NewSessionEvent, SessionEventFilter, SessionEvents } from '../sessions/ports/session-events';

const matches = (e: SessionEvent, f: SessionEventFilter) =>
  e.tenantId === f.tenantId &&
  (f.ownerId === undefined || e.ownerId === f.ownerId) &&
  (f.sessionId === undefined || e.sessionId === f.sessionId);

/** Test double of the event log: an array plus wake-ups for live subscribers. */
export class InMemorySessionEvents implements SessionEvents {
  readonly all: SessionEvent[] = [];
  private waiters = new Set<() => void>();
  private failure: { error: Error; skip: number } | null = null;

  /**
   * Makes a write of events fail with `error` after `skip` more succeed — an `append`, or the
   * events of a `Sessions` write, which then changes nothing either (as when the event insert
   * fails inside the repository's transaction).
   */
  failWrite(error: Error, skip = 0) {
    this.failure = { error, skip };
  }

  /** Throws the injected failure when its turn has come (before anything is written). */
  refuseIfFailing() {
    if (!this.failure) return;
    if (this.failure.skip-- > 0) return;
    const { error } = this.failure;
    this.failure = null;
    throw error;
  }

  /** Appends at once (the in-memory Sessions writes a change's events with this). */
  push(event: NewSessionEvent): string {
    const id = String(this.all.length + 1);
    const { createdAt, ...rest } = event;
    this.all.push({ ...rest, id, createdAt: createdAt.toISOString() } as SessionEvent);
    for (const wake of this.waiters) wake();
    return id;
  }

  async append(event: NewSessionEvent) {
    this.refuseIfFailing();
    return this.push(event);
  }

  /** Events of one session, in order (for assertions). */
  of(sessionId: string) {
    return this.all.filter((e) => e.sessionId === sessionId);
  }

  async *subscribe(filter: SessionEventFilter, afterId: string | undefined, signal?: AbortSignal) {
    let next = afterId ? Number(afterId) : 0;
    while (!signal?.aborted) {
      while (next < this.all.length) {
        const event = this.all[next++];
        if (event && matches(event, filter)) yield event;
        if (signal?.aborted) return;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.add(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }
}
