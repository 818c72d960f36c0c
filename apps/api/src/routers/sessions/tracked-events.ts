import { isTrackedEnvelope, type TrackedEnvelope, tracked } from '@trpc/server';
import type { SessionEvent } from '@volundr/contracts/session-events';
import { ZSessionEvent } from '@volundr/contracts/session-events';
import { z } from 'zod';

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
        yield tracked(String(id), ZSessionEvent.parse(data));
      }
    } finally {
      await iterator.return?.();
    }
  });
