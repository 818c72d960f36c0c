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

  async append(event: NewSessionEvent) {
    const id = String(this.all.length + 1);
    const { createdAt, ...rest } = event;
    this.all.push({ ...rest, id, createdAt: createdAt.toISOString() } as SessionEvent);
    for (const wake of this.waiters) wake();
    return id;
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
