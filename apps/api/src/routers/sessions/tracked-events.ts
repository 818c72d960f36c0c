import { type TrackedEnvelope, tracked } from '@trpc/server';
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
 * The output schema of `sessions.onState`: the session events the use case streams, each checked
 * against ZSessionEvent as it passes (tRPC's output validation sees the iterable, not its items)
 * and yielded as `tracked(event.id, event)`, so clients resume with `lastEventId`. One async
 * generator does both: every layer of generators costs each of a thousand subscribers a few
 * promises per event.
 */
export const ZTrackedSessionEvents = z
  .custom<AsyncIterable<SessionEvent>>(isAsyncIterable, 'a stream of session events')
  .transform(async function* (events): AsyncGenerator<TrackedEnvelope<SessionEvent>> {
    for await (const event of events) {
      const checkedEvent = checked(event);
      yield tracked(checkedEvent.id, checkedEvent);
    }
  });
