import { isTrackedEnvelope, type TrackedEnvelope, tracked } from '@trpc/server';
import type { SessionEvent } from '@volundr/contracts/session-events';
import { ZSessionEvent } from '@volundr/contracts/session-events';
import { z } from 'zod';

/**
 * Live events are one object shared by every subscriber (the repository's window), so each is
 * validated once, not once per subscriber.
 */
const validated = new WeakMap<object, SessionEvent>();
function checked(data: unknown): SessionEvent {
  if (typeof data === 'object' && data !== null) {
    const known = validated.get(data);
    if (known) return known;
    const event = ZSessionEvent.parse(data);
    validated.set(data, event);
    return event;
  }
  return ZSessionEvent.parse(data);
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/**
 * The output schema of `sessions.onState`: a stream of `tracked(id, event)` whose every event is
 * checked against ZSessionEvent as it passes (tRPC's output validation sees the iterable, not
 * its items). Nothing the client did not choose leaves the server.
 */
export const ZTrackedSessionEvents = z
  .custom<AsyncIterable<TrackedEnvelope<SessionEvent>>>(isAsyncIterable, 'a stream of session events')
  .transform(async function* (events): AsyncGenerator<TrackedEnvelope<SessionEvent>> {
    const iterator = events[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        const value: unknown = next.value;
        if (!isTrackedEnvelope(value)) throw new Error('sessions.onState yielded an untracked value');
        const [id, data] = value;
        yield tracked(String(id), checked(data));
      }
    } finally {
      await iterator.return?.();
    }
  });
