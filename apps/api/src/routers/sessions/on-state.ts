import { tracked } from '@trpc/server';
import type { SessionEvent } from '@volundr/contracts/session-events';
import { ZWatchSessionEventsInput } from '@volundr/contracts/session-events';
import { storableProcedure } from '../../trpc/storable-input';
import { ZTrackedSessionEvents } from './tracked-events';

async function* trackedEvents(events: AsyncIterable<SessionEvent>) {
  for await (const event of events) yield tracked(event.id, event);
}

/**
 * Every transition and provisioning event of one session (`sessionId`) or of every session the
 * principal may list, with ids: a client that reconnects with `lastEventId` (tRPC does it for
 * it; over REST the `Last-Event-ID` header) gets what it missed, then live events. The access
 * check runs when the subscription is made, so a refusal is an error answer (a REST 404), not
 * a stream that fails after it started; the events then come from an async generator that ends
 * when `signal` aborts.
 */
export const onState = storableProcedure
  .input(ZWatchSessionEventsInput)
  .output(ZTrackedSessionEvents)
  .subscription(async ({ ctx, input, signal }) =>
    trackedEvents(await ctx.services.sessions.watch(ctx.principal, input, signal)),
  );
